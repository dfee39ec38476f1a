"""A face-to-face meeting end to end: a theme carried from listening, questions, a commitment."""

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

HEARD = "Affitti troppo alti per le famiglie numerose"
QUESTION = "Can the city help families find a flat?"
ANSWER = "Apriremo uno sportello casa con le associazioni."
PROMISE = "A housing desk run with the associations"


def test_a_carried_theme_becomes_the_agenda_and_a_decision_maker_commits(live_server, new_page):
    trainer = new_page(width=1400, height=1000)
    trainer_logs_in(trainer, live_server)

    # In the listening session, the trainer files a note under a new theme (with the menu,
    # as on a touch screen) and carries the theme forward.
    listening = live_server.demo["sessions"][0]["id"]
    trainer.goto(f"{live_server.url}/sessions/{listening}")
    post(trainer, HEARD)
    trainer.fill("#new-theme", "Housing")
    trainer.get_by_role("button", name="Create theme").click()
    note(trainer, HEARD).get_by_label("Move to…").select_option(label="Housing")
    expect(column(trainer, "Housing").locator(".note", has_text=HEARD)).to_be_visible()
    housing = trainer.locator("#theme-list li", has_text="Housing")
    housing.get_by_role("button", name="Carry forward").click()
    expect(housing.get_by_role("button", name="Carry forward")).to_have_attribute(
        "aria-pressed", "true"
    )

    # The meeting: a typed item, then the carried theme, and the meeting moves to it.
    trainer_opens_a_session(trainer, live_server, "face_to_face", "Incontro con il Comune")
    code = join_code(trainer)
    carried = trainer.locator("#carried-list li", has_text="Housing")
    expect(carried).to_contain_text(HEARD)
    trainer.fill("#new-agenda", "Welcome and introductions")
    trainer.get_by_role("button", name="Add item").click()
    carried.get_by_role("button", name="Add to agenda").click()
    expect(carried.get_by_role("button", name="On the agenda")).to_be_disabled()
    agenda = trainer.locator("#agenda-list")
    expect(agenda.locator("li")).to_have_count(2)
    expect(agenda.locator("li.is-current")).to_contain_text("Welcome and introductions")

    wall = projector_opens(trainer, new_page)
    amina = new_page()
    rossi = new_page()
    tablet_joins(amina, live_server, code, "Amina", language="en")
    tablet_joins(rossi, live_server, code, "Assessora Rossi", role="decision_maker", language="it")
    decision_makers = trainer.locator("#attendance [data-role=decision_maker] .attendance-count")
    expect(decision_makers).to_have_text("1")

    agenda.locator("li", has_text="Housing").get_by_role(
        "button", name="Move the meeting here"
    ).click()
    expect(agenda.locator("li.is-current")).to_contain_text("Housing")
    for screen in (amina, rossi, wall):
        expect(screen.locator("#columns .board-column.is-current .column-title")).to_have_text(
            "Housing"
        )
    for tablet in (amina, rossi):
        expect(tablet.locator("#now-line")).to_contain_text("Now discussing Housing")
        expect(tablet.locator("#composer-hint")).to_contain_text("Housing")
    expect(wall.locator("#wall-focus")).to_contain_text("Housing")

    # A question, an answer: the decision maker's note is marked as such on every screen.
    post(amina, QUESTION)
    post(rossi, ANSWER)
    for screen in (amina, rossi, wall, trainer):
        housing_column = column(screen, "Housing")
        expect(housing_column.locator(".note", has_text=QUESTION)).to_be_visible()
        answer = housing_column.locator(".note", has_text=ANSWER)
        mine = " is-mine" if screen == rossi else ""
        expect(answer).to_have_class("note role-decision_maker" + mine)
        expect(answer.locator(".role-badge")).to_have_text("Decision maker")
        expect(note(screen, QUESTION).locator(".role-badge")).to_have_count(0)

    # Only the decision maker may record a commitment; everyone sees it at once.
    expect(amina.locator("#commitment-form")).to_be_hidden()
    form = rossi.locator("#commitment-form")
    expect(form).to_be_visible()
    expect(form.locator("input[name=who]")).to_have_value("Assessora Rossi")
    form.locator("textarea[name=what]").fill(PROMISE)
    form.locator("input[name=who]").fill("Assessorato alla Casa")
    form.locator("input[name=by_when]").fill("2026-10-31")
    form.get_by_role("button", name="Record the commitment").click()
    for screen, where in (
        (amina, "#commitment-list"),
        (rossi, "#commitment-list"),
        (wall, "#wall-commitment-list"),
        (trainer, "#console-commitment-list"),
    ):
        card = screen.locator(where + " .commitment-card", has_text=PROMISE)
        expect(card).to_contain_text("Assessorato alla Casa")
        expect(card).to_contain_text("by 2026-10-31")
        expect(card).to_contain_text("Housing")
        expect(card.locator(".commitment-status")).to_have_text("Open")

    # The trainer follows it up from the console; tablets see the new status.
    trainer.locator("#console-commitment-list .commitment-card", has_text=PROMISE).get_by_label(
        "Status"
    ).select_option("in_progress")
    expect(amina.locator("#commitment-list .commitment-status")).to_have_text("In progress")

    # An agenda item goes; its column goes from every screen.
    agenda.locator("li", has_text="Welcome").get_by_role("button", name="Remove").click()
    for screen in (amina, wall):
        expect(column(screen, "Welcome and introductions")).to_have_count(0)

    # And it is on the process's commitments page.
    page = new_page(width=1280, height=900)
    trainer_logs_in(page, live_server)
    page.goto(f"{live_server.url}/workshops/{live_server.demo['workshop_id']}/commitments")
    entry = page.locator(".commitment", has_text=PROMISE)
    expect(entry).to_contain_text("Assessorato alla Casa")
    expect(entry).to_contain_text("2026-10-31")
    expect(entry.locator("select[name=status]")).to_have_value("in_progress")
