"""Prototypes end to end: two tablets co-write a canvas, link notes, a decision maker answers,
the trainer moves the prototype along, and the public page tells what happened next."""

import re

from playwright.sync_api import Page, expect

from tests.browser.screens import (
    note,
    projector_opens,
    trainer_logs_in,
)
from tests.browser.screens import (
    tablet_joins_in_english as tablet_joins,
)

TITLE = "Homework help in the library"
PROBLEM = "Children cannot get help with homework at home in Italian."
IDEA = "Volunteers help with homework at the library, three afternoons a week."
SAMIRA_STEPS = "Ask the library for a room."
BILAL_STEPS = "Find ten volunteers among the students."
NOTICES = "Le famiglie non capiscono gli avvisi della scuola."
CHINESE = "为家长提供中文的学校通知。"
MEDIATORS = "Mediatori culturali nei colloqui scuola-famiglia."
COMMITMENT = "A room in the Lazzerini library on Tuesdays"


def field(page: Page, name: str):
    return page.locator(f'#canvas .canvas-field[data-field="{name}"]')


def text_of(page: Page, name: str):
    return field(page, name).locator("textarea")


def saved(page: Page, name: str) -> None:
    expect(field(page, name).locator(".field-status")).to_have_text("Saved ✓")


def card(page: Page, title: str):
    return page.locator(".proto-card", has_text=title)


def evidence(page: Page, text: str):
    return page.locator("#canvas .evidence-row", has_text=text)


def test_two_tablets_build_a_prototype_that_a_decision_maker_answers(live_server, new_page):
    demo = live_server.demo["sessions"][2]  # co-projecting, in the prototype phase
    trainer = new_page(width=1400, height=1000)
    trainer_logs_in(trainer, live_server)
    trainer.goto(f"{live_server.url}/sessions/{demo['id']}")
    samira = new_page(width=1280, height=800)  # a tablet lying down
    bilal = new_page()  # and one held upright
    tablet_joins(samira, live_server, demo["join_code"], "Samira", language="ar")
    tablet_joins(bilal, live_server, demo["join_code"], "Bilal", language="ur")
    people = trainer.locator("#participant-list")
    for name in ("Samira", "Bilal"):
        people.get_by_label(f"Group of {name}").select_option(label="School")
    # The group's name in each tablet's language (Urdu has no translation: the interface's).
    for tablet, school in ((samira, "المدرسة"), (bilal, "School")):
        expect(tablet.locator("#me")).to_contain_text(school)
        expect(tablet.locator("#prototypes")).to_be_visible()
        # The School group's prototype from the demo, with the notes it came from.
        expect(card(tablet, "Mediators at school meetings")).to_contain_text("3 voices")
    expect(card(samira, "A migrants' council")).to_have_count(0)  # another group's
    samira.get_by_role("button", name="Plenary: all groups").click()
    other = card(samira, "A migrants' council")
    expect(other.get_by_role("button", name="Read the canvas")).to_be_visible()
    samira.get_by_role("button", name="My group: المدرسة").click()
    expect(note(samira, MEDIATORS).locator(".used-in")).to_have_text("Used in 1 prototype")
    wall = projector_opens(trainer, new_page)

    # Samira starts a prototype; it appears on Bilal's tablet, the console and the wall.
    samira.fill("#prototype-title", TITLE)
    samira.get_by_role("button", name="Start a prototype").click()
    expect(text_of(samira, "title")).to_have_value(TITLE)
    expect(wall.locator(".wall-proto", has_text=TITLE)).to_contain_text("Draft")
    expect(trainer.locator(".console-proto", has_text=TITLE)).to_be_visible()
    card(bilal, TITLE).get_by_role("button", name="Open the canvas").click()
    expect(text_of(bilal, "title")).to_have_value(TITLE)

    # Each writes a different field; each field saves by itself and shows on the other tablet.
    text_of(samira, "problem").fill(PROBLEM)
    text_of(bilal, "idea").fill(IDEA)
    saved(samira, "problem")
    saved(bilal, "idea")
    expect(text_of(bilal, "problem")).to_have_value(PROBLEM)
    expect(text_of(samira, "idea")).to_have_value(IDEA)
    samira.screenshot(path="/tmp/prototype-canvas.png", full_page=True)

    # Both write the first steps. Samira leaves the field first, so her text is saved; Bilal
    # is still writing: his text is not overwritten, and his save shows both texts.
    text_of(bilal, "first_steps").fill(BILAL_STEPS)
    text_of(samira, "first_steps").fill(SAMIRA_STEPS)
    text_of(samira, "first_steps").press("Tab")
    saved(samira, "first_steps")
    conflict = field(bilal, "first_steps").locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator(".conflict-mine textarea")).to_have_value(BILAL_STEPS)
    expect(conflict.locator(".conflict-theirs")).to_contain_text(SAMIRA_STEPS)
    expect(conflict.locator(".conflict-theirs")).to_contain_text("Saved by Samira")
    conflict.screenshot(path="/tmp/prototype-conflict.png")
    conflict.get_by_role("button", name="Put both together").click()
    conflict.get_by_role("button", name="Save this text").click()
    expect(conflict).to_be_hidden()
    saved(bilal, "first_steps")
    both = re.compile(re.escape(SAMIRA_STEPS) + r"\s+" + re.escape(BILAL_STEPS))
    for tablet in (samira, bilal):
        expect(text_of(tablet, "first_steps")).to_have_value(both)

    # Evidence: Samira links three notes of the group, Bilal takes one off again.
    for text in (NOTICES, CHINESE, MEDIATORS):
        evidence(samira, text).get_by_role("button", name="Link").click()
        expect(evidence(samira, text)).to_have_class(re.compile("is-linked"))
    expect(evidence(bilal, MEDIATORS)).to_have_class(re.compile("is-linked"))
    # After a reload the links come from the API, which has no link ids: the log has them.
    bilal.reload()
    card(bilal, TITLE).get_by_role("button", name="Open the canvas").click()
    evidence(bilal, MEDIATORS).get_by_role("button", name="Linked").click()
    for tablet in (samira, bilal):
        expect(evidence(tablet, MEDIATORS)).not_to_have_class(re.compile("is-linked"))
        expect(evidence(tablet, NOTICES)).to_have_class(re.compile("is-linked"))
    expect(wall.locator(".wall-proto", has_text=TITLE)).to_contain_text("2 voices")
    samira.get_by_role("button", name="All prototypes").click()
    expect(note(samira, NOTICES).locator(".used-in")).to_have_text("Used in 2 prototypes")
    expect(note(samira, CHINESE).locator(".used-in")).to_have_text("Used in 2 prototypes")
    expect(note(samira, MEDIATORS).locator(".used-in")).to_have_text("Used in 1 prototype")
    expect(card(samira, TITLE)).to_contain_text("2 voices")

    # Feedback: a decision maker answers with a commitment, seen on every screen.
    trainer.get_by_role("button", name="Next phase").click()
    expect(samira.locator("#phase")).to_have_text("Phase: Feedback")
    conti = new_page()
    tablet_joins(conti, live_server, demo["join_code"], "Assessore Conti", "decision_maker", "it")
    form = card(conti, TITLE).locator(".feedback-form")
    form.get_by_role("radio", name="Support").click()
    form.get_by_label("What do you think?").fill("Good idea: the library is open until 19.")
    form.get_by_text("Add a commitment").click()
    form.get_by_label("What will be done").fill(COMMITMENT)
    expect(form.get_by_label("Who will do it")).to_have_value("Assessore Conti")
    form.get_by_label("By when").fill("2026-10-01")
    conti.screenshot(path="/tmp/prototype-feedback-form.png", full_page=True)
    form.get_by_role("button", name="Send feedback").click()
    expect(card(conti, TITLE).locator(".feedback-item")).to_contain_text("Good idea")
    for screen, where in (
        (samira, ".proto-card"),
        (wall, ".wall-proto"),
        (trainer, ".console-proto"),
    ):
        feedback = screen.locator(where, has_text=TITLE).locator(".feedback-item")
        expect(feedback).to_contain_text("Support")
        expect(feedback).to_contain_text(COMMITMENT)

    # The trainer notes down a question asked aloud in the room.
    panel = trainer.locator(".console-proto", has_text=TITLE)
    panel.get_by_text("Feedback for a decision maker").click()
    said = panel.locator(".feedback-form")
    said.get_by_role("radio", name="Question").click()
    said.get_by_label("What do you think?").fill("Who trains the volunteers? (Conti, aloud)")
    said.get_by_role("button", name="Send feedback").click()
    expect(card(samira, TITLE).locator(".feedback-item")).to_have_count(2)
    expect(card(samira, TITLE).locator(".feedback-item").nth(1)).to_contain_text("Question")

    # The trainer presents it, then the city takes it into consideration.
    for status in ("Presented", "Under consideration"):
        panel.get_by_label("Status").select_option(label=status)
        panel.get_by_role("button", name="Set status").click()
        expect(wall.locator(".wall-proto", has_text=TITLE).locator(".proto-status")).to_have_text(
            status
        )
    expect(card(samira, TITLE).locator(".proto-status")).to_have_text("Under consideration")
    wall.screenshot(path="/tmp/prototype-wall.png")

    # "Not pursued" needs a reason, which every screen then shows.
    mediators = trainer.locator(".console-proto", has_text="Mediators at school meetings")
    mediators.get_by_label("Status").select_option(label="Not pursued")
    mediators.get_by_role("button", name="Set status").click()
    expect(trainer.locator("#toast")).to_contain_text("Say why")
    mediators.get_by_label("Reason").fill("The schools hire their own mediators now.")
    mediators.get_by_role("button", name="Set status").click()
    on_wall = wall.locator(".wall-proto", has_text="Mediators at school meetings")
    expect(on_wall.locator(".proto-status")).to_have_text("Not pursued")
    expect(on_wall).to_contain_text("The schools hire their own mediators now.")
    trainer.locator("#prototypes-panel").screenshot(path="/tmp/prototype-console.png")

    # What happened next: the public page shows the new status and the commitment.
    trainer.goto(f"{live_server.url}/workshops/{live_server.demo['workshop_id']}/prototypes")
    trainer.get_by_role("link", name="what happened next").click()
    expect(trainer).to_have_url(re.compile(r"/next/"))
    built = trainer.locator(".next li", has_text=TITLE)
    expect(built).to_contain_text(IDEA)
    expect(built).to_contain_text("under consideration")
    expect(trainer.locator(".next li", has_text=COMMITMENT)).to_contain_text("Assessore Conti")
    assert samira.evaluate("window.__sameDocument")
