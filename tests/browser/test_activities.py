"""The process page's other activities and an activity's page in a real browser: WCAG 2.1 AA
(axe-core) in Italian and Arabic, and a trainer adds someone who came to a training."""

import pytest
from playwright.sync_api import expect

from tests.browser import test_accessibility as a11y
from tests.browser.test_accessibility import LAPTOP, assert_no_violations, in_language

# The accessibility module's fixtures: one demo server and one trainer login for this module.
demo_server = a11y.demo_server
trainer_state = a11y.trainer_state


@pytest.mark.parametrize("lang", ["it", "ar"])
def test_the_process_page_and_an_activity_page_are_accessible(
    demo_server, open_page, trainer_state, lang
):
    page = open_page(LAPTOP, trainer_state)
    in_language(page, f"{demo_server.url}/workshops/{demo_server.demo['workshop_id']}", lang)
    expect(page.locator("#activity-list tbody tr")).to_have_count(6)
    assert_no_violations(page, f"process page [{lang}]")
    page.locator("#activity-list a").first.click()
    expect(page.locator("#attendees tbody tr")).to_have_count(3)
    assert_no_violations(page, f"activity page [{lang}]")


def test_a_trainer_adds_someone_new_who_left_early(demo_server, open_page, trainer_state):
    page = open_page(LAPTOP, trainer_state)
    in_language(page, f"{demo_server.url}/workshops/{demo_server.demo['workshop_id']}", "en")
    page.get_by_role("link", name="Incontro dei partner EMBRACE").click()
    form = page.locator("form", has=page.get_by_role("button", name="Add to the list"))
    form.locator("select[name=who]").select_option("new")
    form.get_by_label("Name of someone new").fill("Ospite Comune")
    form.get_by_label("Role").select_option("decision_maker")
    form.locator("input[name=hours]").fill("1.5")
    form.get_by_role("button", name="Add to the list").click()
    row = page.locator("#attendees tbody tr", has_text="Ospite Comune")
    expect(row).to_contain_text("1.5")
    expect(row).to_contain_text("part of it")
