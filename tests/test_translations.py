"""The interface speaks Italian, English, Chinese and Arabic: complete catalogs, pages, errors."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ponte import i18n
from ponte.extensions import db, socketio
from sessions import services as session_services
from tests.conftest import new_client_id
from workshops import services as workshop_services

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ("it", "en", "zh", "ar")
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")
# t("...") in the scripts: a t() the extractor does not see (one nested in another t() call)
# would never be translated.
SCRIPT_CALL = re.compile(
    r"""(?<![\w.$])t\(\s*"((?:[^"\\\n]|\\.)*)"|(?<![\w.$])t\(\s*'((?:[^'\\\n]|\\.)*)'"""
)


def catalog_path(language: str) -> Path:
    return i18n.TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, language: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogs():
    """The .mo files the app reads are built by scripts/setup.sh; build them if they are stale."""
    stale = False
    for language in LANGUAGES:
        po = catalog_path(language)
        mo = po.with_suffix(".mo")
        stale = stale or not mo.is_file() or mo.stat().st_mtime < po.stat().st_mtime
    if stale:
        subprocess.run(["bash", "scripts/translations.sh", "compile"], cwd=REPO, check=True)


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory):
    """The strings of the code as they are now, extracted the way scripts/translations.sh does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(["bash", "scripts/translations.sh", "extract", str(pot)], cwd=REPO, check=True)
    return read_catalog(pot)


@pytest.fixture(scope="module")
def catalogs():
    return {language: read_catalog(catalog_path(language), language) for language in LANGUAGES}


def message_ids(template) -> list[str]:
    return [message.id for message in template if message.id]


def test_the_catalogs_are_the_interface_languages():
    assert set(LANGUAGES) <= set(i18n.interface_languages())
    assert i18n.interface_languages()[0] == "it"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(fresh_template, catalogs, language):
    catalog = catalogs[language]
    missing = [
        i for i in message_ids(fresh_template) if i not in catalog or not translated(catalog[i])
    ]
    fuzzy = [i for i in message_ids(fresh_template) if i in catalog and catalog[i].fuzzy]
    assert not missing, (
        f"{len(missing)} strings have no {language} translation "
        f"(run scripts/translations.sh update, then translate them):\n" + "\n".join(missing)
    )
    assert not fuzzy, f"{len(fuzzy)} {language} translations are marked fuzzy:\n" + "\n".join(fuzzy)


def test_the_english_catalog_says_the_source(catalogs):
    different = [m.id for m in catalogs["en"] if m.id and m.string and m.string != m.id]
    assert not different


def placeholders_kept(message) -> bool:
    """A translation uses the placeholders of its source. In a plural, a form may leave out the
    count (Arabic writes "two notes" as a word), never another placeholder."""
    if not isinstance(message.id, (list, tuple)):
        found, wanted = PLACEHOLDER.findall(message.string), PLACEHOLDER.findall(message.id)
        return sorted(found) == sorted(wanted)
    source = set(PLACEHOLDER.findall(message.id[1]))
    return all(
        source - {"%(num)s"} <= set(PLACEHOLDER.findall(form)) <= source for form in message.string
    )


def translated(message) -> bool:
    if isinstance(message.string, (list, tuple)):
        return all(message.string)
    return bool(message.string)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(catalogs, language):
    wrong = [
        f"{message.id!r} -> {message.string!r}"
        for message in catalogs[language]
        if message.id and translated(message) and not placeholders_kept(message)
    ]
    assert not wrong, "placeholders changed:\n" + "\n".join(wrong)


def test_every_script_string_reaches_the_catalog(fresh_template):
    ids = set(message_ids(fresh_template))
    unseen = []
    for script in sorted((REPO / "static" / "js").glob("*.js")):
        code = re.sub(r"(?m)(^|\s)//.*$", "", script.read_text(encoding="utf-8"))  # comments
        for match in SCRIPT_CALL.finditer(code):
            text = match.group(1) if match.group(1) is not None else match.group(2)
            text = text.encode().decode("unicode_escape") if "\\" in text else text
            if text not in ids:
                unseen.append(f"{script.name}: {text}")
    assert not unseen, "t() calls the extractor missed (nested in another t()?):\n" + "\n".join(
        unseen
    )


@pytest.fixture
def browser(make_app):
    """A client of an app that holds no application context open, as a real server: each request
    picks its language (with the `app` fixture's context open, Flask-Babel keeps the first one)."""
    return make_app().test_client()


@pytest.fixture
def live_code(make_app):
    """An app with a live session: (app, its join code)."""
    app = make_app()
    with app.app_context():
        trainer = workshop_services.create_account("t@example.org", "Tina", "a long password")
        workshop = workshop_services.create_workshop("Prato", "Prato", ["it", "zh", "ar"], trainer)
        ws = session_services.create_session(workshop, "listening", "Ascolto")
        session_services.open_session(ws)
        db.session.commit()
        code = ws.join_code
        db.session.remove()
    return app, code


def test_arabic_pages_read_right_to_left(browser):
    html = browser.get("/join?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "انضم إلى جلسة" in html  # Join a session
    assert "Join a session" not in html


def test_the_chosen_language_is_remembered(browser):
    browser.get("/join?lang=zh")
    html = browser.get("/join", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert '<html lang="zh" dir="ltr">' in html
    assert "加入活动" in html  # Join a session
    english = browser.get("/join?lang=en").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in english and "Join a session" in english


def test_the_browser_language_is_used(browser):
    html = browser.get("/", headers={"Accept-Language": "it-IT,it;q=0.9"}).get_data(as_text=True)
    assert '<html lang="it" dir="ltr">' in html
    assert "Entra in una sessione" in html
    html = browser.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert '<html lang="zh" dir="ltr">' in html


def test_a_browser_language_the_interface_does_not_speak_gets_italian(browser):
    html = browser.get("/", headers={"Accept-Language": "ur"}).get_data(as_text=True)
    assert '<html lang="it" dir="ltr">' in html


def test_api_refusals_speak_the_language_of_the_request(browser):
    body = {"code": "ZZZZZZ", "name": "Li", "role": "migrant", "language": "zh"}
    response = browser.post("/api/join", json=body, headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["code"] == "unknown_code"  # the protocol stays as it is
    assert error["message"] == "没有进行中的活动使用这个代码。请和主持人核对。"
    response = browser.post("/api/join?lang=ar", json=body)
    assert (
        response.get_json()["error"]["message"]
        == "لا توجد جلسة جارية بهذا الرمز. تحقّق منه مع المدرّب."
    )


def test_socket_refusals_speak_the_language_of_the_tablet(live_code):
    app, code = live_code
    client = app.test_client()
    body = {"code": code, "name": "Amina", "role": "migrant", "language": "ar"}
    token = client.post("/api/join", json=body, headers={"Accept-Language": "zh"}).get_json()
    sio = socketio.test_client(
        app,
        auth={"token": token["token"]},
        flask_test_client=client,
        headers={"Accept-Language": "ar"},
    )
    try:
        ack = sio.emit("create_post", {"client_id": new_client_id(), "text": "  "}, callback=True)
    finally:
        sio.disconnect()
    assert ack["ok"] is False and ack["error"]["code"] == "text_required"
    assert ack["error"]["message"] == "اكتب شيئًا قبل النشر."  # Write something before posting.


def test_the_scripts_get_their_strings_in_the_page_language():
    italian = i18n.script_messages("it")
    assert italian["Write something first."] == "Prima scrivi qualcosa."
    assert italian["Sending…"] == "Invio in corso…"
    assert "Wrong email or password." not in italian  # a server message: not shipped to scripts
    assert i18n.script_messages("en") == {}  # English is the text itself


def test_a_page_ships_its_script_strings(browser):
    html = browser.get("/join?lang=zh").get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="ponte-i18n">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["language"] == "zh" and data["dir"] == "ltr"
    assert data["messages"]["Type the code the trainer shows."] == "请输入主持人展示的代码。"
