"""One person across the process, in Chromium: the consent question on the tablet (Arabic,
Chinese; axe clean), the same tablet back in the next session as the same person, someone
added without a device whom a mediator writes for, and a badge on a shared tablet."""

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.screens import note, post, tablet_joins, trainer_logs_in
from tests.browser.test_accessibility import AXE, assert_no_violations
from tests.servers import PonteServer

TABLET = {"width": 800, "height": 1280}
LAPTOP = {"width": 1400, "height": 1000}
QUESTION = {"ar": "كلماتك وصورك", "zh": "你的话和你的照片", "en": "Your words and your photos"}


def code_of(server: PonteServer, kind: str) -> str:
    return next(s["join_code"] for s in server.demo["sessions"] if s["kind"] == kind)


def id_of(server: PonteServer, kind: str) -> int:
    return next(s["id"] for s in server.demo["sessions"] if s["kind"] == kind)


def joins_by_hand(page: Page, server: PonteServer, code: str, name: str, language: str):
    page.goto(server.url + "/join")
    page.fill("#join-code", code.lower())
    page.fill("#join-name", name)
    page.select_option("#join-language", language)
    expect(page.locator("#join-submit")).to_be_enabled()
    page.click("#join-submit")
    expect(page.locator("#me")).to_contain_text(name)


@pytest.mark.parametrize("language", ["ar", "zh"])
def test_the_consent_question_is_asked_once_in_the_persons_language(
    live_server, open_page, language
):
    assert AXE.exists(), "run `bash scripts/setup.sh test` to download axe-core"
    tablet = open_page()
    joins_by_hand(tablet, live_server, code_of(live_server, "listening"), "Nadia", language)
    dialog = tablet.locator("#consent-dialog")
    expect(dialog).to_be_visible()
    expect(tablet.locator("html")).to_have_attribute("lang", language)
    expect(tablet.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    expect(dialog.get_by_role("heading", level=2)).to_contain_text(QUESTION[language])
    # Pictograms beside every choice, words with them; nothing chosen for them in advance.
    expect(dialog.locator(".consent-tile")).to_have_count(6)
    expect(dialog.locator(".consent-icon")).to_have_count(6)
    assert dialog.locator("input:checked").count() == 0
    expect(dialog.locator("#consent-save")).to_be_disabled()
    # The question may not be dismissed the first time: Escape leaves it open.
    tablet.keyboard.press("Escape")
    expect(dialog).to_be_visible()
    # With a modal dialog open axe checks the dialog only (the page behind it is inert), so
    # the page-wide rules (title, lang) are checked on the tablet pages by test_accessibility.
    assert_no_violations(tablet, f"consent question ({language})", must_pass={"color-contrast"})
    dialog.locator("input[name=consent-quote][value=anonymous]").check()
    dialog.locator("input[name=consent-photos][value=false]").check()
    dialog.locator("#consent-save").click()
    expect(dialog).to_be_hidden()
    # The answer is the person's: it stays after a reload, and "My choices" shows it.
    tablet.reload()
    expect(tablet.locator("#me")).to_contain_text("Nadia")
    expect(tablet.locator("#composer-text")).to_be_visible()
    expect(dialog).to_be_hidden()
    tablet.locator("#consent-button").click()
    expect(dialog).to_be_visible()
    expect(dialog.locator("input[name=consent-quote][value=anonymous]")).to_be_checked()
    dialog.locator("input[name=consent-quote][value=never]").check()
    dialog.locator("#consent-save").click()
    expect(dialog).to_be_hidden()
    board = tablet.evaluate(
        """async (id) => {
            const me = JSON.parse(localStorage.getItem('ponte:session:' + id));
            const r = await fetch('/api/sessions/' + id + '/board',
                                  {headers: {Authorization: 'Bearer ' + me.token}});
            return (await r.json()).me;
        }""",
        id_of(live_server, "listening"),
    )
    assert board["consent"] == {"quote": "never", "photos": False, "asked": True}


def test_the_same_tablet_is_the_same_person_in_the_next_session(live_server, open_page):
    tablet = open_page()
    other = open_page()
    tablet_joins(tablet, live_server, code_of(live_server, "listening"), "Samir", language="ar")
    first = tablet.evaluate("JSON.parse(localStorage.getItem('ponte:people'))")[0]
    # The next session: the join page knows them, and does not ask for consent again.
    tablet.goto(live_server.url + "/join?lang=en")
    expect(tablet.locator("#welcome-back")).to_contain_text("Welcome back, Samir.")
    expect(tablet.locator("#join-name")).to_have_value("Samir")
    tablet.fill("#join-code", code_of(live_server, "face_to_face"))
    tablet.click("#join-submit")
    expect(tablet.locator("#me")).to_contain_text("Samir")
    expect(tablet.locator("#composer-text")).to_be_visible()
    expect(tablet.locator("#consent-dialog")).to_be_hidden()
    again = tablet.evaluate("JSON.parse(localStorage.getItem('ponte:people'))")[0]
    assert again["person_id"] == first["person_id"] and again["key"] == first["key"]
    # A second tablet in the meeting sees what the returning person writes, live.
    tablet_joins(other, live_server, code_of(live_server, "face_to_face"), "Lina", language="en")
    post(tablet, "أنا هنا مرة أخرى")
    expect(note(other, "أنا هنا مرة أخرى")).to_be_visible()
    # Leave: the shared tablet forgets the person; the next one to use it starts anew.
    tablet.click("#leave")
    expect(tablet).to_have_url(re.compile(r"/join"))
    expect(tablet.locator("#welcome-back")).to_be_hidden()
    assert tablet.evaluate("localStorage.getItem('ponte:people')") is None


def test_someone_without_a_device_is_written_for_and_joins_later_with_a_badge(
    live_server, open_page
):
    code = code_of(live_server, "co_projecting")
    trainer = open_page(LAPTOP)
    trainer_logs_in(trainer, live_server)
    mediator = open_page()
    neighbour = open_page()
    tablet_joins(mediator, live_server, code, "Mediatore Omar", role="mediator", language="en")
    tablet_joins(neighbour, live_server, code, "Giulia", language="en")
    # The mediator adds Rahel, who has no phone, from their own tablet.
    mediator.click("#add-person")
    dialog = mediator.locator(".add-person-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("#add-person-name").fill("Rahel")
    dialog.locator("#add-person-language").select_option("en")
    dialog.locator("#add-person-submit").click()
    expect(dialog).to_be_hidden()
    expect(mediator.locator("#toast")).to_contain_text("Rahel is in the session. Badge:")
    badge = re.search(r"Badge: (\w{4}-\w{4})", mediator.locator("#toast").inner_text()).group(1)
    # She is chosen as the author; the note counts as hers, live on the other tablet.
    expect(mediator.locator("#composer-said-by option:checked")).to_contain_text("Rahel")
    mediator.fill("#composer-text", "I need the forms in Tigrinya")
    mediator.click("#composer-send")
    card = note(neighbour, "I need the forms in Tigrinya")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Rahel")
    # Staff see her once on the people page, and her badge is printable.
    trainer.goto(f"{live_server.url}/workshops/{live_server.demo['workshop_id']}/people?lang=en")
    row = trainer.locator("tr", has_text="Rahel")
    expect(row).to_contain_text("no device of their own")
    trainer.goto(
        f"{live_server.url}/workshops/{live_server.demo['workshop_id']}/people/badges?lang=en"
    )
    expect(trainer.locator(".badge-card", has_text="Rahel")).to_contain_text(badge)
    # Later, on a shared tablet, she types her badge with the session's code.
    shared = open_page()
    shared.goto(f"{live_server.url}/join?lang=en&badge={badge}")
    expect(shared.locator("#join-badge")).to_have_value(badge)
    shared.fill("#join-code", code)
    shared.click("#join-submit")
    expect(shared.locator("#me")).to_contain_text("Rahel")
    # Her consent was never asked (the mediator added her): her tablet asks her now.
    expect(shared.locator("#consent-dialog")).to_be_visible()
    # The Report counts her once, with her presences.
    response = requests.get(
        f"{live_server.url}/api/sessions/{id_of(live_server, 'co_projecting')}/board",
        headers={
            "Authorization": "Bearer "
            + shared.evaluate(
                "JSON.parse(localStorage.getItem('ponte:session:"
                + str(id_of(live_server, "co_projecting"))
                + "')).token"
            )
        },
        timeout=10,
    )
    me = response.json()["me"]
    people = shared.evaluate("JSON.parse(localStorage.getItem('ponte:people'))")
    assert me["person_id"] == people[0]["person_id"] and me["name"] == "Rahel"
