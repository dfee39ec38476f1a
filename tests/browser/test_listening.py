"""A listening session end to end: trainer console, two tablets and the projector."""

from playwright.sync_api import expect

from tests.browser.screens import (
    board_of,
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

AMINA_NOTE = "الإيجار غالٍ جدا للعائلات"
LI_NOTE = "看不懂学校的通知"


def test_prompts_themes_spotlight_and_a_tablet_that_was_offline(live_server, new_page, cuttable):
    trainer = new_page(width=1400, height=1000)
    trainer_logs_in(trainer, live_server)
    trainer_opens_a_session(trainer, live_server, "listening", "Ascolto: abitare a Prato")
    code = join_code(trainer)
    wall = projector_opens(trainer, new_page)
    expect(wall.locator("#wall-title")).to_have_text("Ascolto: abitare a Prato")

    proxy = cuttable()
    amina = new_page()
    li = new_page(server_may_vanish=True)
    tablet_joins(amina, live_server, code, "Amina", language="ar")
    tablet_joins(li, live_server, code, "Li Wei", language="zh", via=proxy.url)
    attendance = trainer.locator("#attendance [data-role=migrant] .attendance-count")
    expect(attendance).to_have_text("2")
    expect(wall.locator("#attendance [data-role=migrant] .attendance-count")).to_have_text("2")

    # The trainer adds a prompt and takes it away again; rewords one, then shows it alone.
    prompts = trainer.locator("#prompt-list")
    trainer.fill("#new-prompt", "What helps you at home?")
    trainer.locator("#prompts-panel").get_by_role("button", name="Add").click()
    expect(amina.locator("#targets .chip")).to_have_count(4)
    expect(column(wall, "What helps you at home?")).to_be_visible()
    prompts.locator("li", has_text="What helps you at home?").get_by_role(
        "button", name="Remove"
    ).click()
    expect(amina.locator("#targets .chip")).to_have_count(3)
    expect(column(wall, "What helps you at home?")).to_have_count(0)
    prompts.locator("li", has_text="What is hard?").get_by_role("button", name="Edit").click()
    prompts.locator(".inline-edit input").fill("What is hard about housing?")
    prompts.get_by_role("button", name="Save").click()
    expect(amina.locator("#targets .chip", has_text="What is hard about housing?")).to_be_visible()
    hard = prompts.locator("li", has_text="What is hard about housing?")
    hard.get_by_role("button", name="Show only this").click()
    for tablet in (amina, li):
        expect(tablet.locator("#targets .chip")).to_have_count(1)
        expect(tablet.locator("#targets .chip")).to_have_text("What is hard about housing?")
        expect(tablet.locator("#now-line")).to_contain_text("What is hard about housing?")
    expect(wall.locator("#wall-focus")).to_contain_text("What is hard about housing?")

    # The trainer pauses the board: tablets cannot write, and say why.
    anonymous = trainer.locator("#anonymous-toggle")
    expect(anonymous).to_be_enabled()
    trainer.get_by_role("button", name="Lock the board").click()
    for tablet in (amina, li):
        expect(tablet.locator("#composer")).to_be_hidden()
        expect(tablet.locator("#readonly-banner")).to_contain_text("paused")
    expect(wall.locator("#wall-banner")).to_contain_text("paused")
    trainer.get_by_role("button", name="Unlock the board").click()
    expect(amina.locator("#composer")).to_be_visible()
    expect(wall.locator("#wall-banner")).to_be_hidden()

    # Both tablets answer it; every screen files the notes under it. Amina edits hers.
    post(amina, "الإيجار غالٍ")
    expect(anonymous).to_be_disabled()  # anonymity is chosen before the first note
    note(amina, "الإيجار غالٍ").get_by_role("button", name="Edit").click()
    amina.locator(".note .inline-edit textarea").fill(AMINA_NOTE)
    amina.locator(".note .inline-edit").get_by_role("button", name="Save").click()
    post(li, LI_NOTE)
    for screen in (li, wall, trainer):
        expect(note(screen, AMINA_NOTE).locator(".edited")).to_be_visible()
    expect(note(li, AMINA_NOTE).get_by_role("button", name="Edit")).to_have_count(0)
    expect(note(li, LI_NOTE).get_by_role("button", name="Edit")).to_be_visible()
    for screen in (amina, li, wall, trainer):
        shown = column(screen, "What is hard about housing?")
        expect(shown.locator(".note", has_text=AMINA_NOTE)).to_be_visible()
        expect(shown.locator(".note", has_text=LI_NOTE)).to_be_visible()

    # Two themes; the trainer drags each note into one and carries "Housing" forward.
    for name in ("Housing", "School letters"):
        trainer.fill("#new-theme", name)
        trainer.get_by_role("button", name="Create theme").click()
        expect(column(trainer, name)).to_be_visible()
    note(trainer, AMINA_NOTE).drag_to(column(trainer, "Housing"))
    expect(column(trainer, "Housing").locator(".note", has_text=AMINA_NOTE)).to_be_visible()
    note(trainer, LI_NOTE).drag_to(column(trainer, "School letters"))
    expect(column(trainer, "School letters").locator(".note", has_text=LI_NOTE)).to_be_visible()
    carry = trainer.locator("#theme-list li", has_text="Housing").get_by_role(
        "button", name="Carry forward"
    )
    carry.click()
    expect(carry).to_have_attribute("aria-pressed", "true")
    for screen in (amina, li, wall):
        expect(column(screen, "Housing").locator(".note", has_text=AMINA_NOTE)).to_be_visible()
        expect(column(screen, "School letters").locator(".note", has_text=LI_NOTE)).to_be_visible()
        expect(column(screen, "Housing").locator(".badge.carried")).to_be_visible()
        expect(column(screen, "School letters").locator(".badge.carried")).to_have_count(0)

    # Spotlight: the note goes big on the wall; tablets mark it.
    note(trainer, AMINA_NOTE).get_by_role("button", name="Spotlight").click()
    expect(wall.locator("#wall-spotlight")).to_be_visible()
    expect(wall.locator("#spot-text")).to_have_text(AMINA_NOTE)
    expect(note(li, AMINA_NOTE).locator(".badge.spot")).to_be_visible()

    # Li's tablet loses the Wi-Fi; meanwhile the room goes on without it.
    proxy.cut()
    expect(li.locator("#connection")).to_be_visible()
    trainer.fill("#new-theme", "Rent")
    trainer.get_by_role("button", name="Create theme").click()
    expect(column(trainer, "Rent")).to_be_visible()
    expect(trainer.locator("#new-theme")).to_have_value("")  # the form has reset after "Rent"
    trainer.fill("#new-theme", "Mistake")
    trainer.get_by_role("button", name="Create theme").click()
    expect(column(trainer, "Mistake")).to_be_visible()
    trainer.locator("#theme-list li", has_text="Mistake").get_by_role(
        "button", name="Remove"
    ).click()
    expect(column(trainer, "Mistake")).to_have_count(0)
    note(trainer, AMINA_NOTE).get_by_label("Move to…").select_option(label="Rent")
    expect(column(trainer, "Rent").locator(".note", has_text=AMINA_NOTE)).to_be_visible()
    theme = trainer.locator("#theme-list li", has_text="School letters")
    theme.get_by_role("button", name="Rename").click()
    trainer.locator("#theme-list .inline-edit input").fill("Letters from school")
    trainer.locator("#theme-list").get_by_role("button", name="Save").click()
    expect(column(trainer, "Letters from school")).to_be_visible()
    post(amina, "Nessuno risponde al telefono")
    note(trainer, "Nessuno risponde al telefono").get_by_role("button", name="Hide").click()
    expect(note(amina, "Nessuno risponde al telefono")).to_have_count(0)
    trainer.locator("#prompts-panel").get_by_role("button", name="Show all prompts").click()
    expect(amina.locator("#targets .chip")).to_have_count(3)
    note(trainer, AMINA_NOTE).get_by_role("button", name="Take off the wall").click()
    expect(wall.locator("#wall-spotlight")).to_be_hidden()

    # Back online, Li's tablet catches up and agrees with the others, without reloading.
    proxy.restore()
    expect(li.locator("#connection")).to_be_hidden(timeout=15_000)
    expect(column(li, "Rent").locator(".note", has_text=AMINA_NOTE)).to_be_visible()
    expected = {"Rent": [AMINA_NOTE], "Letters from school": [LI_NOTE], "Housing": []}
    for screen in (li, amina, wall):
        expect(column(screen, "Housing")).to_contain_text("No notes yet")
        assert board_of(screen) == expected, screen.url
    expect(li.locator("#targets .chip")).to_have_count(3)
    expect(li.locator("#now-line")).to_be_hidden()
    expect(note(li, AMINA_NOTE).locator(".badge.spot")).to_have_count(0)
    assert li.evaluate("window.__sameDocument")
    li.reload()  # and a fresh load of the board says the same
    expect(column(li, "Rent").locator(".note", has_text=AMINA_NOTE)).to_be_visible()
    assert board_of(li) == expected
