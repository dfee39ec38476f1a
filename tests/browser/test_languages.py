"""Notes across languages in real browsers: an Arabic tablet right to left, a mediator who
translates a Chinese note for an Italian tablet, notes written for someone else, machine
drafts a mediator confirms, and pictogram reactions seen by the other tablets and the wall."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from tests.browser.screens import (
    answers_consent,
    note,
    post,
    projector_opens,
    tablet_joins,
    trainer_logs_in,
)
from tests.servers import PonteServer

SHOTS = "/tmp/ponte-languages-{}.png"


def listening(server: PonteServer) -> dict:
    return next(s for s in server.demo["sessions"] if s["kind"] == "listening")


def tr(page: Page, text: str, **params) -> str:
    """``text`` as this page's interface says it (static/js/i18n.js's t())."""
    return page.evaluate("([text, params]) => t(text, params)", [text, params])


def center_x(page: Page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box["x"] + box["width"] / 2


def test_a_tablet_that_joins_in_arabic_reads_right_to_left(live_server, new_page):
    code = listening(live_server)["join_code"]
    tablet = new_page()
    tablet.goto(live_server.url + "/join")
    # The languages the interface speaks come first.
    values = tablet.locator("#join-language option").evaluate_all("(os) => os.map((o) => o.value)")
    assert values[:4] == ["it", "ar", "en", "zh"], values
    tablet.fill("#join-code", code)
    tablet.fill("#join-name", "Amina")
    tablet.select_option("#join-language", "ar")

    # The join page comes back in Arabic with what was typed.
    expect(tablet).to_have_url(re.compile(r"[?&]lang=ar"))
    expect(tablet.locator("html")).to_have_attribute("dir", "rtl")
    expect(tablet.locator("#join-code")).to_have_value(code)
    expect(tablet.locator("#join-name")).to_have_value("Amina")
    expect(tablet.locator("#join-language")).to_have_value("ar")
    tablet.click("#join-submit")

    expect(tablet.locator("#me")).to_contain_text("Amina")
    answers_consent(tablet)
    html = tablet.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    # The interface speaks Arabic (the name, the board's notes and the prompts are Latin or
    # absent here, so Arabic letters in the chrome are the interface's own words).
    chrome = tablet.evaluate(
        "() => [document.querySelector('.topbar'), document.querySelector('#composer')]"
        ".map((n) => n.innerText).join(' ')"
    )
    assert re.search(r"[\u0600-\u06ff]", chrome), chrome
    # Mirrored: the Post button sits at the left end of the composer, the 🌐 button too.
    assert center_x(tablet, "#composer-send") < center_x(tablet, "#composer-text")
    assert center_x(tablet, "#language-button") < center_x(tablet, ".brand")
    tablet.screenshot(path=SHOTS.format("arabic-tablet"), full_page=True)


def test_a_mediator_translates_a_chinese_note_for_an_italian_tablet(live_server, new_page):
    code = listening(live_server)["join_code"]
    li = new_page()
    marco = new_page()
    giulia = new_page()
    tablet_joins(li, live_server, code, "Li Wei", language="zh")
    tablet_joins(marco, live_server, code, "Marco", role="mediator", language="it")
    tablet_joins(giulia, live_server, code, "Giulia", language="it")

    post(li, "学校没有翻译")
    expect(note(li, "学校没有翻译").locator(".lang-badge")).to_contain_text("中文")
    # Only mediators translate.
    expect(note(giulia, "学校没有翻译").locator("button.translate")).to_have_count(0)

    card = note(marco, "学校没有翻译")
    card.locator("button.translate").click()
    form = card.locator("form.translate-form")
    expect(form.locator("select")).to_have_value("it")  # the first process language without one
    form.locator("select").select_option("it")
    form.locator("textarea").fill("A scuola non c'è traduzione")
    card.screenshot(path=SHOTS.format("mediator-translating"))
    form.locator("button[type=submit]").click()
    expect(form).to_have_count(0)

    # Giulia reads it in Italian, says who translated it, and one tap shows the original.
    italian = giulia.locator(".note", has_text="A scuola non c'è traduzione")
    expect(italian.locator(".note-text")).to_have_text("A scuola non c'è traduzione")
    expect(italian.locator(".note-text")).to_have_attribute("lang", "it")
    expect(italian.locator(".note-translated")).to_contain_text("Marco")
    expect(italian.locator(".note-translated")).to_contain_text("中文")
    giulia.screenshot(path=SHOTS.format("translated-note"), full_page=True)
    toggle = italian.locator("button.show-original")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    original = giulia.locator(".note", has_text="学校没有翻译")
    expect(original.locator(".note-text")).to_have_text("学校没有翻译")
    expect(original.locator(".note-text")).to_have_attribute("lang", "zh")
    expect(original.locator("button.show-original")).to_have_attribute("aria-pressed", "true")
    expect(original.locator("button.show-original")).to_be_focused()
    original.locator("button.show-original").click()
    expect(italian.locator(".note-text")).to_have_text("A scuola non c'è traduzione")

    # Li, who wrote it, still reads her own words; the English interface of a late-comer
    # reads the label in English.
    expect(note(li, "学校没有翻译").locator(".note-translated")).to_have_count(0)
    ada = new_page()
    tablet_joins(ada, live_server, code, "Ada", language="en")
    expect(note(ada, "学校没有翻译").locator(".note-translated")).to_have_count(0)
    giulia.reload()  # stored: after a reload it is still in Italian
    expect(giulia.locator(".note", has_text="A scuola non c'è traduzione")).to_be_visible()


def test_a_mediator_writes_a_note_for_a_participant(live_server, new_page):
    code = listening(live_server)["join_code"]
    mei = new_page()
    ada = new_page()
    tablet_joins(mei, live_server, code, "Mei Ling", language="zh")
    tablet_joins(ada, live_server, code, "Ada", language="en")
    marco = new_page()
    tablet_joins(marco, live_server, code, "Marco", role="mediator", language="it")
    # Someone who joins after the mediator appears in the list too.
    oksana = new_page()
    tablet_joins(oksana, live_server, code, "Oksana", language="en")

    said_by = marco.locator("#composer-said-by")
    expect(said_by.locator("option", has_text="Oksana")).to_have_count(1)
    expect(said_by).to_have_value("")  # myself, at first
    said_by.select_option(label="🙋 Mei Ling")
    expect(marco.locator("#composer-language")).to_have_value("zh")  # Mei's language
    post(marco, "我的孩子需要中文老师")

    card = note(ada, "我的孩子需要中文老师")
    expect(card.locator(".note-author")).to_have_text(
        tr(ada, "said by {author}, written by {scribe}", author="Mei Ling", scribe="Marco")
    )
    expect(card.locator(".lang-badge")).to_have_attribute("data-language", "zh")
    expect(card).to_have_class(re.compile(r"\brole-migrant\b"))  # Mei's note, not the mediator's
    # Participants see no mediator fields.
    expect(ada.locator("#composer-said-by")).to_be_hidden()


def test_reactions_reach_the_other_tablets_and_the_wall(live_server, new_page):
    session = listening(live_server)
    trainer = new_page(width=1280, height=900)
    trainer_logs_in(trainer, live_server)
    trainer.goto(f"{live_server.url}/sessions/{session['id']}")
    wall = projector_opens(trainer, new_page)

    amina = new_page()
    li = new_page()
    tablet_joins(amina, live_server, session["join_code"], "Amina", language="ar")
    tablet_joins(li, live_server, session["join_code"], "Li Wei", language="zh")
    post(amina, "نحتاج إلى مترجم في المدرسة")

    agree = note(li, "نحتاج إلى مترجم في المدرسة").locator(".reaction[data-kind=agree]")
    expect(agree).to_have_attribute("aria-pressed", "false")
    expect(agree.locator(".reaction-icon")).to_have_attribute("aria-hidden", "true")
    agree.click()
    expect(agree).to_have_attribute("aria-pressed", "true")
    expect(agree.locator(".reaction-count")).to_have_text("1")

    mine = note(amina, "نحتاج إلى مترجم في المدرسة").locator(".reaction[data-kind=agree]")
    expect(mine.locator(".reaction-count")).to_have_text("1")
    expect(mine).to_have_attribute("aria-pressed", "false")  # Li's, not Amina's
    on_wall = note(wall, "نحتاج إلى مترجم في المدرسة").locator(".reaction[data-kind=agree]")
    expect(on_wall.locator(".reaction-count")).to_have_text("1")
    expect(note(wall, "نحتاج إلى مترجم في المدرسة").locator("button.reaction")).to_have_count(0)
    on_console = note(trainer, "نحتاج إلى مترجم في المدرسة").locator(".reaction[data-kind=agree]")
    expect(on_console.locator(".reaction-count")).to_have_text("1")
    # The trainer reads the counts, and may translate: staff bridge languages too.
    expect(note(trainer, "نحتاج إلى مترجم في المدرسة").locator("button.reaction")).to_have_count(0)
    expect(note(trainer, "نحتاج إلى مترجم في المدرسة").locator("button.translate")).to_be_visible()
    amina.screenshot(path=SHOTS.format("reactions-arabic"), full_page=True)

    # Every reaction has a name a screen reader says, not only a pictogram.
    names = [
        note(li, "نحتاج إلى مترجم في المدرسة").locator(f".reaction[data-kind={kind}]")
        for kind in ("agree", "disagree", "unclear", "important")
    ]
    for button in names:
        label = button.locator(".reaction-label").inner_text().strip()
        assert re.search(r"\w", label), label
        expect(button).to_have_accessible_name(re.compile(re.escape(label)))

    agree.click()  # taken back
    expect(on_wall).to_have_count(0)  # the wall shows only reactions someone gave
    expect(mine.locator(".reaction-count")).to_have_text("0")


def test_a_participant_switches_language_from_the_tablet(live_server, new_page):
    code = listening(live_server)["join_code"]
    mei = new_page()
    marco = new_page()
    tablet_joins(mei, live_server, code, "Mei Ling", language="zh")
    tablet_joins(marco, live_server, code, "Marco", role="mediator", language="it")
    expect(mei.locator("html")).to_have_attribute("lang", "zh")
    post(mei, "公园很干净")
    card = note(marco, "公园很干净")
    card.locator("button.translate").click()
    card.locator("form.translate-form textarea").fill("Il parco è pulito")
    card.locator("form.translate-form button[type=submit]").click()
    expect(marco.locator(".note", has_text="Il parco è pulito")).to_be_visible()

    mei.locator("#language-button").click()
    dialog = mei.locator("dialog.language-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("button[data-language=zh]")).to_have_attribute("aria-pressed", "true")
    expect(dialog.locator("button[data-language=zh]")).to_be_focused()
    dialog.locator("button[data-language=it]").click()

    # The tablet comes back in Italian, and reads notes in Italian, her own included.
    expect(mei).to_have_url(re.compile(r"[?&]lang=it"))
    expect(mei.locator("html")).to_have_attribute("lang", "it")
    expect(mei.locator("#me")).to_contain_text("Mei Ling")
    expect(mei.locator(".note", has_text="Il parco è pulito")).to_be_visible()
    stored = mei.evaluate(
        "() => Object.keys(localStorage).filter((k) => /^ponte:session:\\d+$/.test(k))"
        ".map((k) => JSON.parse(localStorage.getItem(k)).language)"
    )
    assert stored == ["it"], stored
    mei.locator("#language-button").click()
    expect(dialog.locator("button[data-language=it]")).to_have_attribute("aria-pressed", "true")
    mei.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


# --- machine drafts ----------------------------------------------------------------------


class FakeLibreTranslate(BaseHTTPRequestHandler):
    """POST /translate answers {"translatedText": "[target] text"}, like LibreTranslate."""

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        answer = json.dumps({"translatedText": f"[{body['target']}] {body['q']}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def translating_server(tmp_path):
    """A Ponte server whose machine translation provider is a fake LibreTranslate."""
    fake = ThreadingHTTPServer(("127.0.0.1", 0), FakeLibreTranslate)
    thread = threading.Thread(target=fake.serve_forever, daemon=True)
    thread.start()
    server = PonteServer(
        tmp_path, env={"PONTE_LIBRETRANSLATE_URL": f"http://127.0.0.1:{fake.server_port}"}
    )
    server.demo = server.seed_demo()
    server.start()
    yield server
    server.stop()
    fake.shutdown()


def test_a_mediator_confirms_a_machine_draft(translating_server, new_page):
    code = listening(translating_server)["join_code"]
    li = new_page()
    marco = new_page()
    giulia = new_page()
    tablet_joins(li, translating_server, code, "Li Wei", language="zh")
    tablet_joins(marco, translating_server, code, "Marco", role="mediator", language="it")
    tablet_joins(giulia, translating_server, code, "Giulia", language="en")
    post(li, "公交车太少")

    card = note(marco, "公交车太少")
    card.locator("button.translate").click()
    form = card.locator("form.translate-form")
    form.locator("select").select_option("en")
    form.locator("button.machine-draft").click()
    expect(form.locator("textarea")).to_have_value("[en] 公交车太少")
    expect(form.locator("button[type=submit]")).to_contain_text(tr(marco, "Confirm translation"))
    form.get_by_role("button", name=tr(marco, "Cancel")).click()

    # Giulia sees the draft, marked as a machine's.
    draft = giulia.locator(".note", has_text="[en] 公交车太少")
    expect(draft.locator(".note-translated")).to_contain_text(
        tr(giulia, "Machine translation, not verified")
    )

    # Marco corrects and confirms it: now it is his.
    confirm = note(marco, "公交车太少").locator("button.confirm-translation")
    expect(confirm).to_have_attribute("data-language", "en")
    confirm.click()
    form = note(marco, "公交车太少").locator("form.translate-form")
    expect(form.locator("select")).to_have_value("en")
    form.locator("textarea").fill("There are too few buses")
    form.locator("button[type=submit]").click()
    checked = giulia.locator(".note", has_text="There are too few buses")
    expect(checked.locator(".note-translated")).to_contain_text(
        tr(giulia, "Translated from {language} by {name}", language="中文", name="Marco")
    )
    expect(note(marco, "公交车太少").locator("button.confirm-translation")).to_have_count(0)
