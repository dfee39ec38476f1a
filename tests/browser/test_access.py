"""Who may be on the board, in real browsers: approval at the door, removal, erasure, a new
join code, and notes that wait on the tablet (IndexedDB) until the server has them."""

import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.screens import (
    answers_consent,
    join_code,
    note,
    post,
    projector_opens,
    tablet_joins_in_english,
    trainer_logs_in,
    trainer_opens_a_session,
)
from tests.browser.test_voice_notes import MEDIA_ARGS, record, send, voice_note

SCREENSHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"

ENDED = "The trainer has ended your access to this session."
WAITING = "Waiting for the trainer to let you in…"

# Everything the tablet keeps in IndexedDB's outbox, as a list of {id, person, kind}.
OUTBOX_ENTRIES = """() => new Promise((resolve, reject) => {
    const open = indexedDB.open("ponte");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains("outbox")) { db.close(); resolve([]); return; }
        const all = db.transaction("outbox").objectStore("outbox").getAll();
        all.onsuccess = () => {
            db.close();
            resolve(all.result.map((e) => ({id: e.client_id, person: e.person, kind: e.kind})));
        };
    };
})"""

LOADED_IMAGE = (
    "(s) => { const i = document.querySelector(s); return i.complete && i.naturalWidth > 0; }"
)

# What the tablet keeps in localStorage about session ``id``.
KEPT_FOR_SESSION = """(id) => Object.keys(localStorage).filter(
    (k) => k === `ponte:session:${id}` || k.startsWith(`ponte:session:${id}:`))"""


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def joins(page: Page, server, code: str, name: str) -> None:
    """Fill in the join page as a person would, in English; the answer decides what follows."""
    page.goto(server.url + "/join?lang=en")
    page.fill("#join-code", code.lower())
    page.fill("#join-name", name)
    page.select_option("#join-language", "en")
    expect(page.locator("#join-submit")).to_be_enabled()
    page.click("#join-submit")


def waits_at_the_door(page: Page, name: str) -> None:
    expect(page.locator("#waiting-screen")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(WAITING)
    expect(page.locator("#waiting-name")).to_have_text(name)
    expect(page.locator("#board")).to_be_hidden()


def shows_the_ended_screen(page: Page) -> None:
    expect(page.locator("#ended-screen")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(ENDED)
    expect(page.get_by_role("link", name="Back to the join page")).to_be_visible()
    expect(page.locator("#board")).to_be_hidden()
    expect(page.locator("#composer")).to_be_hidden()


def outbox_entries(page: Page) -> list[dict]:
    return page.evaluate(OUTBOX_ENTRIES)


def people_row(trainer: Page, name: str):
    return trainer.locator("#people-list li", has_text=name)


def test_the_trainer_lets_people_in_one_by_one(live_server, new_page):
    trainer = new_page(width=1280, height=900)
    trainer_logs_in(trainer, live_server)
    session_id = trainer_opens_a_session(trainer, live_server, "listening", "At the door")
    code = join_code(trainer)

    # The trainer asks to approve each person.
    approval = trainer.get_by_role("button", name="Approval: I let each person in")
    approval.click()
    expect(approval).to_have_attribute("aria-pressed", "true")
    expect(trainer.get_by_role("button", name="Open: the code is enough")).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(trainer.locator("#door-empty")).to_have_text("Nobody is waiting.")

    # Samira joins: she waits, and still waits after a reload.
    samira = new_page()
    joins(samira, live_server, code, "Samira")
    waits_at_the_door(samira, "Samira")
    samira.reload()
    waits_at_the_door(samira, "Samira")
    screenshot(samira, "access-tablet-waiting")

    # The console shows her at the door, live; the Admit button is a real, big enough target.
    at_door = trainer.locator("#door-list li", has_text="Samira")
    expect(at_door).to_be_visible()
    expect(trainer.locator("#door-count")).to_have_text("(1)")
    expect(trainer.locator("#door-news")).to_have_text("Samira is waiting at the door.")
    admit = at_door.get_by_role("button", name="Admit Samira")
    box = admit.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    expect(people_row(trainer, "Samira")).to_have_count(0)  # not in yet

    # A second person arrives; the trainer refuses him with the keyboard.
    yusuf = new_page()
    joins(yusuf, live_server, code, "Yusuf")
    waits_at_the_door(yusuf, "Yusuf")
    refuse = trainer.locator("#door-list li", has_text="Yusuf").get_by_role(
        "button", name="Refuse Yusuf"
    )
    expect(refuse).to_be_visible()
    screenshot(trainer, "access-console-door")

    admit.click()
    samira.wait_for_url(f"**/sessions/{session_id}/tablet**")
    expect(samira.locator("#session-title")).to_have_text("At the door")
    expect(samira.locator("#waiting-screen")).to_be_hidden()
    expect(samira.locator("#composer")).to_be_visible()
    answers_consent(samira)  # once in, she is asked how her words may be used
    post(samira, "Finally in")
    expect(note(trainer, "Finally in")).to_be_visible()
    expect(people_row(trainer, "Samira")).to_be_visible()
    expect(trainer.locator("#door-list li", has_text="Samira")).to_have_count(0)

    refuse.focus()
    trainer.keyboard.press("Enter")
    shows_the_ended_screen(yusuf)
    expect(trainer.locator("#door-list li")).to_have_count(0)
    expect(trainer.locator("#door-empty")).to_be_visible()
    screenshot(yusuf, "access-tablet-ended")
    assert yusuf.evaluate(KEPT_FOR_SESSION, session_id) == []
    yusuf.reload()
    shows_the_ended_screen(yusuf)

    # Someone at the door changes their mind: the tablet forgets them and goes to the join page.
    hamid = new_page()
    joins(hamid, live_server, code, "Hamid")
    waits_at_the_door(hamid, "Hamid")
    hamid.get_by_role("link", name="Leave").click()
    expect(hamid).to_have_url(live_server.url + "/join")
    assert hamid.evaluate(KEPT_FOR_SESSION, session_id) == []
    hamid.goto(f"{live_server.url}/sessions/{session_id}/tablet")
    expect(hamid).to_have_url(live_server.url + "/join")

    # Back to open: the next person comes straight in.
    trainer.get_by_role("button", name="Open: the code is enough").click()
    nadia = new_page()
    joins(nadia, live_server, code, "Nadia")
    expect(nadia.locator("#session-title")).to_have_text("At the door")
    expect(people_row(trainer, "Nadia")).to_be_visible()


def test_a_removed_person_s_tablet_ends_at_once_and_for_good(live_server, new_page):
    trainer = new_page(width=1280, height=900)
    trainer_logs_in(trainer, live_server)
    session_id = trainer_opens_a_session(trainer, live_server, "listening", "Removal")
    code = join_code(trainer)
    bilal = new_page()
    oksana = new_page()
    tablet_joins_in_english(bilal, live_server, code, "Bilal")
    tablet_joins_in_english(oksana, live_server, code, "Oksana", language="it")
    post(bilal, "A note before leaving")
    bilal.fill("#composer-text", "half a thought")  # a draft on a shared tablet

    # The trainer removes Bilal, after a confirmation (Cancel first, then for real).
    row = people_row(trainer, "Bilal")
    row.get_by_role("button", name="Remove Bilal").click()
    expect(row).to_contain_text("Remove Bilal from this session?")
    expect(row.get_by_role("button", name="Yes, remove")).to_be_focused()
    screenshot(trainer, "access-console-remove-confirm")
    trainer.keyboard.press("Escape")
    expect(row.get_by_role("button", name="Remove Bilal")).to_be_focused()
    row.get_by_role("button", name="Remove Bilal").click()
    row.get_by_role("button", name="Yes, remove").click()

    # Bilal's tablet says so at once (no reload), forgets the session, and stays ended.
    shows_the_ended_screen(bilal)
    assert bilal.evaluate("window.__sameDocument")
    assert bilal.evaluate(KEPT_FOR_SESSION, session_id) == []
    assert outbox_entries(bilal) == []
    bilal.reload()
    shows_the_ended_screen(bilal)
    expect(bilal).to_have_url(f"{live_server.url}/sessions/{session_id}/tablet?lang=en")
    expect(people_row(trainer, "Bilal")).to_have_count(0)
    expect(trainer.locator("#attendance [data-role=migrant] .attendance-count")).to_have_text("1")

    # Oksana goes on as before; Bilal's note stays on the board.
    post(oksana, "Still here")
    expect(note(trainer, "Still here")).to_be_visible()
    expect(note(oksana, "A note before leaving")).to_be_visible()
    assert oksana.evaluate("window.__sameDocument")

    # The way back is the join page.
    bilal.get_by_role("link", name="Back to the join page").click()
    expect(bilal).to_have_url(live_server.url + "/join")


def test_erasing_a_person_takes_their_notes_off_every_screen(live_server, new_page):
    trainer = new_page(width=1280, height=900)
    trainer_logs_in(trainer, live_server)
    trainer_opens_a_session(trainer, live_server, "listening", "Erasure")
    code = join_code(trainer)
    wall = projector_opens(trainer, new_page)
    wall.evaluate("window.__sameDocument = true")  # gone if the page ever reloads
    zainab = new_page()
    karl = new_page()
    tablet_joins_in_english(zainab, live_server, code, "Zainab")
    tablet_joins_in_english(karl, live_server, code, "Karl", language="it")
    post(zainab, "Words to be erased")
    post(karl, "Words that stay")
    expect(note(karl, "Words to be erased")).to_be_visible()
    expect(note(wall, "Words to be erased")).to_be_visible()
    note(trainer, "Words to be erased").get_by_role("button", name="Spotlight").click()
    expect(wall.locator("#spot-text")).to_have_text("Words to be erased")

    # The trainer's account erases Zainab and deletes her notes, on the people page.
    people = new_page(width=1280, height=900)
    trainer_logs_in(people, live_server)
    people.goto(f"{live_server.url}/workshops/{live_server.demo['workshop_id']}/people")
    row = people.locator("tr", has_text="Zainab")
    row.locator("summary", has_text="Erase…").click()
    row.get_by_label("Delete them").check()
    row.get_by_label("I understand: erase Zainab").check()
    row.get_by_role("button", name="Erase", exact=True).click()
    expect(people.locator(".flash")).to_contain_text("notes deleted: 1")

    # Her note leaves every live screen without a reload, the wall's spotlight too.
    expect(note(karl, "Words to be erased")).to_have_count(0)
    expect(note(wall, "Words to be erased")).to_have_count(0)
    expect(wall.locator("#wall-spotlight")).to_be_hidden()
    expect(note(trainer, "Words to be erased")).to_have_count(0)
    expect(note(karl, "Words that stay")).to_be_visible()
    assert karl.evaluate("window.__sameDocument") and wall.evaluate("window.__sameDocument")
    shows_the_ended_screen(zainab)

    # A reload (the board, then sync from the start) does not bring it back.
    karl.evaluate("window.__sameDocument = true")
    karl.reload()
    expect(note(karl, "Words that stay")).to_be_visible()
    expect(note(karl, "Words to be erased")).to_have_count(0)


def test_a_new_code_replaces_the_old_one_everywhere(live_server, new_page, browser):
    trainer = new_page(width=1280, height=900)
    trainer_logs_in(trainer, live_server)
    trainer_opens_a_session(trainer, live_server, "face_to_face", "New code")
    old = join_code(trainer)
    wall = projector_opens(trainer, new_page)
    expect(wall.locator("#wall-join-code")).to_have_text(old)
    inside = new_page()
    tablet_joins_in_english(inside, live_server, old, "Inside")
    old_console_qr = trainer.locator(".join-card img.qr").get_attribute("src")
    old_wall_qr = wall.locator("#wall-qr").get_attribute("src")

    trainer.get_by_text("New code…").click()
    expect(trainer.get_by_text("The old code stops working at once")).to_be_visible()
    trainer.get_by_role("button", name="Yes, make a new code").click()
    expect(trainer.locator("#join-code")).not_to_have_text(old)
    new = join_code(trainer)
    assert len(new) == 6
    expect(wall.locator("#wall-join-code")).to_have_text(new)

    # Both QR codes are asked for again (a new address: no cached picture of the old code).
    for page, selector, before in (
        (trainer, ".join-card img.qr", old_console_qr),
        (wall, "#wall-qr", old_wall_qr),
    ):
        qr = page.locator(selector)
        expect(qr).not_to_have_attribute("src", before)
        assert new in qr.get_attribute("src")
        page.wait_for_function(LOADED_IMAGE, arg=selector)
        assert old not in page.locator("body").inner_text()
        assert old not in (qr.get_attribute("src") or "")

    # The old code is refused with a clear message; the new one opens the session. (Chromium
    # logs the refusal's 404 as an error: this tablet's own context accepts that one only.)
    context = browser.new_context(viewport={"width": 800, "height": 1280})
    late = context.new_page()
    errors = []
    late.on("pageerror", lambda error: errors.append(str(error)))
    late.on("console", lambda m: m.type == "error" and errors.append(m.text))
    joins(late, live_server, old, "Late")
    expect(late.locator("#join-error")).to_have_text(
        "No live session has this code. Check it with the trainer."
    )
    expect(late).to_have_url(live_server.url + "/join?lang=en")
    joins(late, live_server, new, "Late")
    expect(late.locator("#session-title")).to_have_text("New code")
    context.close()
    assert errors == [
        "Failed to load resource: the server responded with a status of 404 (NOT FOUND)"
    ], errors

    # The person already in stays in.
    post(inside, "Already in, still in")
    expect(note(trainer, "Already in, still in")).to_be_visible()


def test_notes_written_offline_survive_a_reload_and_arrive_once(live_server, new_page, cuttable):
    code = live_server.demo["sessions"][0]["join_code"]
    proxy = cuttable()
    amina = new_page(server_may_vanish=True)
    li = new_page()
    tablet_joins_in_english(amina, live_server, code, "Amina Offline", via=proxy.url)
    tablet_joins_in_english(li, live_server, code, "Li Online", language="zh")

    proxy.cut()  # Amina's Wi-Fi drops
    expect(amina.locator("#connection")).to_be_visible()
    texts = ["Written on the bus", "Written at the bus stop"]
    for text in texts:
        amina.fill("#composer-text", text)
        amina.click("#composer-send")
        expect(note(amina, text)).to_contain_text("Sending…")
    assert sorted(e["kind"] for e in outbox_entries(amina)) == ["text", "text"]

    # She reloads while still offline. The page and its files come as from the browser's
    # cache (straight from the server), but nothing else reaches it: no board, no Socket.IO.
    back_online = only_the_page_loads(amina, live_server)
    amina.reload()
    for text in texts:
        expect(note(amina, text)).to_contain_text("Sending…")
    expect(amina.locator("#connection")).to_be_visible()
    assert len(outbox_entries(amina)) == 2
    assert amina.locator("#outbox-live").get_attribute("aria-live") == "polite"
    expect(note(li, texts[0])).to_have_count(0)
    screenshot(amina, "access-tablet-offline-reload")

    # The Wi-Fi is back: each note arrives once, says "Sent", and leaves the device.
    back_online()
    proxy.restore()
    for text in texts:
        expect(note(amina, text)).to_contain_text("Sent", timeout=20_000)
        expect(note(amina, text).locator(".send-state.is-sent")).to_contain_text("✓")
        expect(note(li, text)).to_have_count(1)
    screenshot(amina, "access-tablet-sent")
    wait_until(lambda: outbox_entries(amina) == [], "the outbox to empty")
    time.sleep(1)  # room for a duplicate to show up, if there were one
    for text in texts:
        expect(note(li, text)).to_have_count(1)
    li.reload()
    for text in texts:
        expect(note(li, text)).to_have_count(1)
    assert amina.locator(".connection").count() == 1  # one notice per outage


def test_an_old_outbox_in_local_storage_moves_to_indexeddb_once(live_server, new_page):
    code = live_server.demo["sessions"][0]["join_code"]
    tablet = new_page()
    other = new_page()
    tablet_joins_in_english(tablet, live_server, code, "Fatima Before")
    tablet_joins_in_english(other, live_server, code, "Omar Watching", language="it")
    session_id = int(urlsplit(tablet.url).path.split("/")[2])
    me = tablet.evaluate(f"JSON.parse(localStorage.getItem('ponte:session:{session_id}'))")
    legacy = f"ponte:session:{session_id}:p{me['participant_id']}:outbox"
    entry = {
        "client_id": str(uuid.uuid4()),
        "text": "Kept by the old outbox",
        "group_id": None,
        "prompt_id": None,
        "agenda_item_id": None,
        "refused": None,
    }
    tablet.evaluate("([k, v]) => localStorage.setItem(k, JSON.stringify(v))", [legacy, [entry]])
    tablet.reload()

    expect(note(other, "Kept by the old outbox")).to_have_count(1)
    expect(note(tablet, "Kept by the old outbox")).to_have_count(1)
    assert tablet.evaluate("(k) => localStorage.getItem(k)", legacy) is None
    wait_until(lambda: outbox_entries(tablet) == [], "the outbox to empty")
    tablet.reload()
    expect(note(tablet, "Kept by the old outbox")).to_have_count(1)
    expect(note(other, "Kept by the old outbox")).to_have_count(1)


@pytest.fixture(scope="module")
def microphone_browser(browser):
    """A chromium with a fake microphone, for voice notes."""
    media = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + MEDIA_ARGS
    )
    yield media
    media.close()


def test_a_voice_note_that_could_not_go_out_survives_a_reload(
    live_server, new_page, microphone_browser
):
    code = live_server.demo["sessions"][0]["join_code"]
    context = microphone_browser.new_context(viewport={"width": 800, "height": 1280})
    context.grant_permissions(["microphone"], origin=live_server.url)
    tablet = context.new_page()
    errors = []
    tablet.on("pageerror", lambda error: errors.append(str(error)))
    tablet.on("console", lambda m: m.type == "error" and errors.append(m.text))
    listener = new_page()
    tablet_joins_in_english(tablet, live_server, code, "Voice Offline")
    tablet_joins_in_english(listener, live_server, code, "Listener", language="it")

    # The uploads fail (the Wi-Fi is down); the recording waits on the device, even a reload.
    upload = "**/api/sessions/*/voice"
    tablet.route(upload, lambda route: route.abort("connectionreset"))
    record(tablet, 1)
    client_id = send(tablet)
    expect(tablet.locator(".voice-item.is-waiting")).to_be_visible()
    wait_until(lambda: [e["kind"] for e in outbox_entries(tablet)] == ["voice"], "the recording")
    tablet.reload()
    expect(tablet.locator(f'.voice-item[data-client-id="{client_id}"]')).to_be_visible()
    assert [e["id"] for e in outbox_entries(tablet)] == [client_id]

    # Back online: it goes out once, and the device forgets it.
    tablet.unroute(upload)
    expect(voice_note(listener, client_id)).to_have_count(1, timeout=20_000)
    expect(tablet.locator(".voice-item.is-sent")).to_be_visible()
    wait_until(lambda: outbox_entries(tablet) == [], "the outbox to empty")
    expect(voice_note(tablet, client_id)).to_have_count(1)
    context.close()
    assert all("net::ERR_CONNECTION_RESET" in e for e in errors), errors


def only_the_page_loads(page: Page, server):
    """While the tablet's network is down (its proxy cut), let its page and files load as
    from the browser's cache: fetched straight from the server (the page stays on the
    proxy's address, with its storage). The API and Socket.IO stay out of reach. Returns a
    function that ends this."""

    def handle(route):
        url = urlsplit(route.request.url)
        address = server.url + url.path + (f"?{url.query}" if url.query else "")
        if url.path.startswith(("/api/", "/socket.io/")):
            route.abort("connectionrefused")
        else:
            route.fulfill(response=route.fetch(url=address))

    # Chromium takes a page Playwright hands over for a public one, and keeps public pages
    # from opening sockets to 127.0.0.1 (Local Network Access): allow it, as for the original.
    page.context.grant_permissions(["local-network-access"])
    page.route("**/*", handle)
    return lambda: page.unroute_all(behavior="ignoreErrors")  # a file on its way may finish


def wait_until(condition, what: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)
