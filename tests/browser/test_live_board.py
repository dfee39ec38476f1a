"""A listening session in real browsers: a trainer and two tablets, live."""

import requests
from playwright.sync_api import expect

from tests.browser.screens import note, trainer_logs_in
from tests.browser.screens import tablet_joins_in_english as tablet_joins


def test_trainer_and_two_tablets_run_a_listening_session(live_server, new_page):
    trainer = new_page(width=1280, height=900)
    trainer_logs_in(trainer, live_server)

    # The trainer creates a process and a session, and opens it.
    trainer.fill("input[name=title]", "Ascolto al Macrolotto")
    trainer.fill("input[name=city]", "Prato")
    trainer.fill("input[name=languages]", "it, en, zh, ar")
    trainer.click("text=Create process")
    trainer.select_option("select[name=kind]", "listening")
    trainer.fill("input[name=title]", "Cosa funziona, cosa no")
    trainer.fill("input[name=place]", "Centro Ricerche Prato")
    trainer.click("text=Create session")
    trainer.click("text=Open session")
    code = trainer.locator("#join-code").inner_text().strip()
    assert len(code) == 6
    expect(trainer.locator("img.qr")).to_be_visible()

    amina = new_page()
    li = new_page()
    tablet_joins(amina, live_server, code, "Amina", language="ar")
    tablet_joins(li, live_server, code, "Li Wei", language="zh")
    expect(trainer.locator("#attendance [data-role=migrant] .attendance-count")).to_have_text("2")

    # Amina posts under "What is hard?" (an Italian process's default prompt, which her tablet
    # reads in Arabic); Li and the trainer see it without reloading.
    amina.click("button.chip:has-text('ما الصعب؟')")
    amina.fill("#composer-text", "مواعيد مكتب الهجرة صعبة")
    amina.click("#composer-send")
    expect(note(amina, "مواعيد مكتب الهجرة صعبة")).not_to_have_class("is-pending")
    expect(note(li, "مواعيد مكتب الهجرة صعبة")).to_be_visible()
    expect(note(trainer, "مواعيد مكتب الهجرة صعبة")).to_be_visible()
    column = li.locator("[data-column]", has=note(li, "مواعيد مكتب الهجرة صعبة"))
    expect(column.locator(".column-title")).to_have_text("什么很难？")  # Li reads Chinese

    # Li answers; Amina sees it.
    li.fill("#composer-text", "学校没有翻译")
    li.click("#composer-send")
    expect(note(amina, "学校没有翻译")).to_be_visible()

    # The trainer hides Amina's note: it disappears from both tablets.
    note(trainer, "مواعيد مكتب الهجرة صعبة").get_by_role("button", name="Hide").click()
    expect(note(amina, "مواعيد مكتب الهجرة صعبة")).to_have_count(0)
    expect(note(li, "مواعيد مكتب الهجرة صعبة")).to_have_count(0)
    expect(note(trainer, "مواعيد مكتب الهجرة صعبة")).to_have_class("note role-migrant is-hidden")
    assert amina.evaluate("window.__sameDocument") and li.evaluate("window.__sameDocument")

    # After a reload the board is the same: the note is stored, the hidden one stays hidden.
    li.reload()
    expect(note(li, "学校没有翻译")).to_be_visible()
    expect(note(li, "مواعيد مكتب الهجرة صعبة")).to_have_count(0)

    # The trainer closes the session: the tablets turn read-only, the code stops working.
    trainer.click("text=Close session…")
    trainer.click("text=Yes, close it")
    expect(amina.locator("#readonly-banner")).to_be_visible()
    expect(amina.locator("#composer")).to_be_hidden()
    expect(li.locator("#readonly-banner")).to_contain_text("closed")
    late = requests.post(
        live_server.url + "/api/join",
        json={"code": code, "name": "Late", "role": "migrant", "language": "en"},
        timeout=5,
    )
    assert late.status_code == 404


def test_a_tablet_that_loses_the_server_catches_up_and_sends_what_it_kept(live_server, new_page):
    code = live_server.demo["sessions"][0]["join_code"]
    amina = new_page(server_may_vanish=True)
    li = new_page(server_may_vanish=True)
    tablet_joins(amina, live_server, code, "Amina")
    tablet_joins(li, live_server, code, "Li Wei", language="zh")

    live_server.stop()  # the Wi-Fi drops (Playwright's offline mode does not cut WebSockets)
    expect(amina.locator("#connection")).to_be_visible()
    expect(amina.locator("#connection")).to_contain_text("Reconnecting")
    amina.fill("#composer-text", "Scritto senza rete")
    amina.click("#composer-send")
    expect(note(amina, "Scritto senza rete")).to_contain_text("Sending")

    live_server.start()
    expect(amina.locator("#connection")).to_be_hidden(timeout=15_000)
    expect(note(amina, "Scritto senza rete")).not_to_have_class("note role-migrant is-pending")
    expect(note(li, "Scritto senza rete")).to_be_visible(timeout=15_000)
    assert amina.locator(".connection").count() == 1  # one notice per outage, not a flood
    assert li.evaluate("window.__sameDocument")
    amina.reload()
    expect(note(amina, "Scritto senza rete")).to_have_count(1)


def test_a_note_refused_after_an_outage_stays_visible_with_its_reason(live_server, new_page):
    code = live_server.demo["sessions"][0]["join_code"]
    tablet = new_page(server_may_vanish=True)
    tablet_joins(tablet, live_server, code, "Fatou", language="en")

    live_server.stop()
    expect(tablet.locator("#connection")).to_be_visible()
    tablet.fill("#composer-text", "Written while the trainer closed the session")
    tablet.click("#composer-send")
    live_server.close_session(live_server.demo["sessions"][0]["id"])  # meanwhile, the trainer
    live_server.start()

    refused = tablet.locator("#refused .note")
    expect(refused).to_contain_text("Written while the trainer closed the session", timeout=15_000)
    expect(refused).to_contain_text("Not posted")
    expect(tablet.locator("#composer")).to_be_hidden()
    tablet.reload()  # still there after a reload: kept on the tablet until its author removes it
    expect(tablet.locator("#refused .note")).to_contain_text("Written while the trainer")
    tablet.locator("#refused").get_by_role("button", name="Remove").click()
    expect(tablet.locator("#refused .note")).to_have_count(0)


def test_the_next_person_on_a_shared_tablet_starts_clean(live_server, new_page):
    code = live_server.demo["sessions"][0]["join_code"]
    tablet = new_page()
    tablet_joins(tablet, live_server, code, "Amina")
    tablet.fill("#composer-text", "half a thought")
    tablet.click("#leave")
    expect(tablet).to_have_url(live_server.url + "/join")
    tablet_joins(tablet, live_server, code, "Ardit", language="it")
    expect(tablet.locator("#composer-text")).to_have_value("")
    expect(tablet.locator("#me")).to_contain_text("Ardit")
