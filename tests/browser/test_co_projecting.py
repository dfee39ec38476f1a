"""A co-projecting workshop end to end: groups, phases, a timer, dot votes and the results."""

import re

from playwright.sync_api import expect

from tests.browser.screens import (
    column,
    join_code,
    note,
    post,
    projector_opens,
    trainer_logs_in,
    trainer_opens_a_session,
)
from tests.browser.screens import (
    tablet_joins_in_english as tablet_joins,
)

MEDIATORS = "Mediatori culturali ai colloqui"
NOTICES = "School notices in Arabic too"
SCHOOL = {"ar": "المدرسة", "zh": "学校"}
SERVICES = {"zh": "服务"}
DESK = "一个窗口办理所有手续"
CLOCK = re.compile(r"^0[0-3]:[0-5]\d$")


def test_groups_phases_timer_and_dot_votes(live_server, new_page):
    trainer = new_page(width=1400, height=1000)
    trainer_logs_in(trainer, live_server)
    trainer_opens_a_session(trainer, live_server, "co_projecting", "Progettiamo insieme")
    code = join_code(trainer)
    wall = projector_opens(trainer, new_page)
    amina = new_page()
    li = new_page()
    tablet_joins(amina, live_server, code, "Amina", language="ar")
    tablet_joins(li, live_server, code, "Li Wei", language="zh")

    # Names stay off the tablets and the wall (chosen before the first note).
    trainer.get_by_role("button", name="Anonymous: off").click()
    expect(trainer.locator("#anonymous-toggle")).to_have_attribute("aria-pressed", "true")

    # Amina picks her group while the trainer lets people choose; then the trainer assigns Li.
    # The groups are the process's (Italian) defaults: each screen reads them in its language.
    trainer.get_by_role("button", name="Participants choose").click()
    expect(amina.locator("#group-picker")).to_be_visible()
    amina.locator("#group-choices").get_by_role("radio", name=SCHOOL["ar"]).click()
    expect(amina.locator("#me")).to_contain_text(SCHOOL["ar"])
    trainer.get_by_role("button", name="I assign groups").click()
    expect(amina.locator("#group-picker")).to_be_hidden()
    people = trainer.locator("#participant-list")
    expect(people.get_by_label("Group of Amina").locator("option:checked")).to_have_text("School")
    people.get_by_label("Group of Li Wei").select_option(label="Services")
    trainer.fill("#new-group", "Housing")
    trainer.get_by_role("button", name="Add group").click()
    expect(column(wall, "Housing")).to_be_visible()
    trainer.locator("#group-list li", has_text="Housing").get_by_role(
        "button", name="Rename"
    ).click()
    trainer.locator("#group-list .inline-edit input").fill("Casa")
    trainer.locator("#group-list").get_by_role("button", name="Save").click()
    expect(column(wall, "Casa")).to_be_visible()
    expect(column(wall, "Housing")).to_have_count(0)
    expect(li.locator("#me")).to_contain_text(SERVICES["zh"])
    expect(amina.locator("#columns .column-title")).to_have_text([SCHOOL["ar"]])
    expect(li.locator("#columns .column-title")).to_have_text([SERVICES["zh"]])
    expect(amina.locator("#composer-hint")).to_contain_text(f"your group: {SCHOOL['ar']}")
    expect(trainer.locator("#group-list li", has_text="School")).to_contain_text("1 person")

    # Frame -> ideas, with a timer that every screen shows.
    expect(trainer.locator("#phase-bar .is-current")).to_contain_text("Frame the problem")
    trainer.get_by_role("button", name="Next phase").click()
    expect(trainer.locator("#phase-bar .is-current")).to_contain_text("Ideas")
    for tablet in (amina, li):
        expect(tablet.locator("#phase")).to_have_text("Phase: Ideas")
    expect(wall.locator("#wall-phase")).to_have_text("Ideas")
    trainer.fill("#timer-minutes", "3")
    trainer.get_by_role("button", name="Start timer").click()
    for screen in (trainer, amina, li, wall):
        expect(screen.locator("[data-timer]")).to_be_visible()
        expect(screen.locator("[data-timer] .timer-text")).to_have_text(CLOCK)

    post(amina, MEDIATORS)
    post(amina, NOTICES)
    post(li, DESK)
    expect(note(li, MEDIATORS)).to_have_count(0)  # not in Li's group
    li.get_by_role("button", name="Plenary: all groups").click()
    expect(column(li, SCHOOL["zh"]).locator(".note", has_text=MEDIATORS)).to_be_visible()
    expect(column(wall, "Services").locator(".note", has_text=DESK)).to_be_visible()
    expect(column(trainer, "School").locator(".note", has_text=NOTICES)).to_be_visible()
    for screen in (li, wall):
        expect(note(screen, MEDIATORS).locator(".note-author")).to_have_text("Anonymous")
    expect(note(trainer, MEDIATORS).locator(".note-author")).to_have_text("Amina")
    expect(trainer.locator("#anonymous-toggle")).to_be_disabled()

    # The vote: no composer, two dots each, a fresh timer.
    trainer.fill("#allowance-form input[name=votes]", "2")
    trainer.locator("#allowance-form").get_by_role("button", name="Set").click()
    trainer.get_by_role("button", name="Next phase").click()
    expect(trainer.locator("#phase-bar .is-current")).to_contain_text("Vote")
    for tablet in (amina, li):
        expect(tablet.locator("#composer")).to_be_hidden()
        expect(tablet.locator("#readonly-banner")).to_contain_text("Voting time")
        expect(tablet.locator("#vote-bar")).to_have_text("You have 2 of 2 votes left")
    expect(amina.locator("[data-timer]")).to_be_hidden()  # a new phase stops the clock
    trainer.get_by_role("button", name="Start timer").click()
    for screen in (trainer, amina, li, wall):
        expect(screen.locator("[data-timer] .timer-text")).to_have_text(CLOCK)

    # Amina spends both dots on one note; then every Vote button is disabled.
    mediators = note(amina, MEDIATORS)
    mediators.get_by_role("button", name="Vote").click()
    expect(amina.locator("#vote-bar")).to_have_text("You have 1 of 2 votes left")
    mediators.get_by_role("button", name="Vote").click()
    expect(amina.locator("#vote-bar")).to_have_text("You have 0 of 2 votes left")
    expect(mediators.locator(".my-dots")).to_have_text("●●")
    for button in amina.locator("#columns .vote-plus").all():
        expect(button).to_be_disabled()
    # A dot taken back can go elsewhere.
    mediators.get_by_role("button", name="Take a dot back").click()
    expect(amina.locator("#vote-bar")).to_have_text("You have 1 of 2 votes left")
    note(amina, NOTICES).get_by_role("button", name="Vote").click()
    expect(amina.locator("#vote-bar")).to_have_text("You have 0 of 2 votes left")

    # Li votes in the plenary; the server refuses a third dot even if a button were pressed.
    note(li, MEDIATORS).get_by_role("button", name="Vote").click()
    note(li, DESK).get_by_role("button", name="Vote").click()
    expect(li.locator("#vote-bar")).to_have_text("You have 0 of 2 votes left")
    expect(note(li, NOTICES).get_by_role("button", name="Vote")).to_be_disabled()
    refused = li.evaluate(
        """(id) => new Promise((resolve) => {
            const key = Object.keys(localStorage).find((k) => /^ponte:session:\\d+$/.test(k));
            const token = JSON.parse(localStorage.getItem(key)).token;
            const socket = io({auth: {token}, transports: ["websocket"]});
            socket.emit("cast_vote", {post_id: id}, (ack) => {
                socket.disconnect();
                resolve(ack);
            });
        })""",
        int(note(li, NOTICES).get_attribute("data-post-id")),
    )
    assert refused["ok"] is False and refused["error"]["code"] == "no_votes_left"

    # Totals stay hidden from tablets and the wall until the trainer reveals them.
    expect(note(trainer, MEDIATORS).locator(".note-tally")).to_have_text("● 2")
    for screen in (amina, li, wall):
        expect(screen.locator("#columns .note-tally")).to_have_count(0)
    expect(wall.locator("#wall-results")).to_be_hidden()
    trainer.get_by_role("button", name="Reveal the results").click()
    expect(wall.locator("#wall-results")).to_be_visible()
    ranking = wall.locator("#wall-ranking .wall-result")
    expect(ranking).to_have_count(3)
    expect(ranking.nth(0)).to_contain_text(MEDIATORS)
    expect(ranking.nth(0).locator(".result-count")).to_have_text("● 2")
    expect(ranking.nth(1).locator(".result-count")).to_have_text("● 1")
    expect(note(amina, MEDIATORS).locator(".note-tally")).to_have_text("● 2")
    expect(note(li, DESK).locator(".note-tally")).to_have_text("● 1")


def test_the_wall_shows_how_to_join_and_counts_a_second_trainer(live_server, new_page):
    trainer = new_page(width=1400, height=1000)
    trainer_logs_in(trainer, live_server)
    session_id = trainer_opens_a_session(trainer, live_server, "co_projecting", "Con la città")
    code = join_code(trainer)
    wall = projector_opens(trainer, new_page)
    expect(wall.locator("#wall-join-code")).to_have_text(code)
    qr = wall.locator("#wall-qr")
    expect(qr).to_have_attribute(
        "src", re.compile(rf"^/sessions/{session_id}/projector/qr\.svg\?key=")
    )
    expect(qr).to_be_visible()
    qr.evaluate("(img) => img.decode()")  # rejects if the QR code does not load
    trainers = wall.locator("#attendance [data-role=trainer] .attendance-count")
    expect(trainers).to_have_text("1")

    # A colleague of the process's team opens the console for the first time: every screen
    # counts two trainers.
    live_server.run_in_app(
        "from workshops import services as accounts\n"
        "from workshops.access import add_to_team\n"
        "from workshops.models import Workshop\n"
        "co = accounts.create_account('co@ponte.example', 'Co Trainer', 'another long password')\n"
        "add_to_team(db.session.query(Workshop).first(), co)"
    )
    colleague = new_page(width=1400, height=1000)
    colleague.goto(live_server.url + "/login")
    colleague.fill("input[name=email]", "co@ponte.example")
    colleague.fill("input[name=password]", "another long password")
    colleague.click("button[type=submit]")
    colleague.goto(f"{live_server.url}/sessions/{session_id}")
    expect(trainers).to_have_text("2")
    expect(trainer.locator("#attendance [data-role=trainer] .attendance-count")).to_have_text("2")

    # Closed, the wall no longer invites anyone in.
    live_server.close_session(session_id)
    trainer.get_by_role("button", name="Lock the board").click()  # any event: the wall syncs
    expect(wall.locator("#wall-join")).to_be_hidden()


def test_own_dots_cast_elsewhere_during_an_outage_count_once(live_server, new_page, cuttable):
    trainer = new_page(width=1400, height=1000)
    trainer_logs_in(trainer, live_server)
    trainer_opens_a_session(trainer, live_server, "co_projecting", "Votiamo")
    code = join_code(trainer)
    proxy = cuttable()
    amina = new_page()
    boards = []
    amina.on("request", lambda r: boards.append(r.url) if "/board" in r.url else None)
    tablet_joins(amina, live_server, code, "Amina", via=proxy.url)
    amina.locator("#targets").get_by_role("radio", name=SCHOOL["ar"]).click()
    post(amina, MEDIATORS)
    post(amina, NOTICES)
    trainer.get_by_role("button", name="Next phase").click()
    trainer.get_by_role("button", name="Next phase").click()
    expect(amina.locator("#vote-bar")).to_have_text("You have 3 of 3 votes left")
    note(amina, MEDIATORS).get_by_role("button", name="Vote").click()
    expect(amina.locator("#vote-bar")).to_have_text("You have 2 of 3 votes left")
    loads = len(boards)

    # Amina's tablet loses the Wi-Fi; she votes twice from her phone meanwhile.
    token = amina.evaluate(
        """() => JSON.parse(localStorage.getItem(
            Object.keys(localStorage).find((k) => /^ponte:session:\\d+$/.test(k)))).token"""
    )
    proxy.cut()
    expect(amina.locator("#connection")).to_be_visible()
    for text in (MEDIATORS, NOTICES):
        ack = trainer.evaluate(
            """([token, id]) => new Promise((resolve) => {
                const socket = io({auth: {token}, transports: ["websocket"]});
                socket.emit("cast_vote", {post_id: id}, (ack) => {
                    socket.disconnect();
                    resolve(ack);
                });
            })""",
            [token, int(note(trainer, text).get_attribute("data-post-id"))],
        )
        assert ack["ok"], ack

    # Back online, the replay counts the two new dots and not the one already counted.
    proxy.restore()
    expect(amina.locator("#connection")).to_be_hidden(timeout=15_000)
    expect(amina.locator("#vote-bar")).to_have_text("You have 0 of 3 votes left")
    expect(note(amina, MEDIATORS).locator(".my-dots")).to_have_text("●●")
    expect(note(amina, NOTICES).locator(".my-dots")).to_have_text("●")
    assert len(boards) == loads  # no reload of the board to get there
    assert amina.evaluate("window.__sameDocument")
