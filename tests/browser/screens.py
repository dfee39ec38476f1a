"""What the browser tests do on each screen: log in, create a session, join, read the board."""

import re

from playwright.sync_api import Locator, Page, expect

from tests.servers import PonteServer


def trainer_logs_in(page: Page, server: PonteServer) -> None:
    page.goto(server.url + "/login")
    page.fill("input[name=email]", server.demo["facilitator"]["email"])
    page.fill("input[name=password]", server.demo["facilitator"]["password"])
    page.click("button[type=submit]")
    expect(page).to_have_url(server.url + "/workshops")


def trainer_opens_a_session(page: Page, server: PonteServer, kind: str, title: str) -> int:
    """Create a session of ``kind`` in the demo process, open it; return its id."""
    page.goto(f"{server.url}/workshops/{server.demo['workshop_id']}")
    page.select_option("select[name=kind]", kind)
    page.fill("input[name=title]", title)
    page.click("text=Create session")
    page.click("text=Open session")
    expect(page.locator("#join-code")).to_be_visible()
    return int(re.search(r"/sessions/(\d+)", page.url).group(1))


def join_code(page: Page) -> str:
    return page.locator("#join-code").inner_text().strip()


def tablet_joins(page, server, code, name, role="migrant", language="ar", via=None, interface=None):
    """Join on a tablet; ``via`` is another address of the server (a cuttable proxy).

    The tablet speaks ``language`` (the interface follows it when Ponte has a catalog for
    it); ``interface`` switches the interface to another language afterwards, as the 🌐
    menu would, while the person keeps writing in ``language``.
    """
    page.goto((via or server.url) + "/join")
    page.fill("#join-code", code.lower())  # typed by hand, in lower case
    page.fill("#join-name", name)
    page.check(f"input[name=role][value={role}]")
    page.select_option("#join-language", language)
    expect(page.locator("#join-language")).to_have_value(language)
    expect(page.locator("#join-submit")).to_be_enabled()
    page.click("#join-submit")
    expect(page.locator("#me")).to_contain_text(name)
    answers_consent(page)
    if interface is not None:
        page.goto(page.url.split("?")[0] + f"?lang={interface}")
        expect(page.locator("#me")).to_contain_text(name)
    page.evaluate("window.__sameDocument = true")  # gone if the page ever reloads


def answers_consent(page: Page, quote: str = "internal", photos: bool = False) -> None:
    """The first join of a person asks how their words and photos may be used: answer it."""
    dialog = page.locator("#consent-dialog")
    expect(dialog).to_be_visible()
    dialog.locator(f"input[name=consent-quote][value={quote}]").check()
    dialog.locator(f"input[name=consent-photos][value={str(photos).lower()}]").check()
    dialog.locator("#consent-save").click()
    expect(dialog).to_be_hidden()


def tablet_joins_in_english(*args, **kwargs):
    """A tablet whose person writes in their language but reads the interface in English
    (the tests below check English wording)."""
    return tablet_joins(*args, interface="en", **kwargs)


def projector_opens(trainer: Page, new_page) -> Page:
    """Open the projector link of the trainer's console on a 1920x1080 wall."""
    link = trainer.locator("#projector-link")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert re.fullmatch(r"/sessions/\d+/projector\?key=[\w%-]+", href), href
    wall = new_page(width=1920, height=1080)
    wall.goto(trainer.url.split("/sessions/")[0] + href)
    return wall


def note(page: Page, text: str) -> Locator:
    return page.locator(".note", has_text=text)


def column(page: Page, title: str) -> Locator:
    """The board column whose title is exactly ``title``."""
    heading = page.get_by_role("heading", name=title, exact=True)
    return page.locator("#columns .board-column").filter(has=heading)


def board_of(page: Page) -> dict[str, list[str]]:
    """The board as a person sees it: column title -> the texts of its notes, sorted."""
    return page.evaluate(
        """() => Object.fromEntries(
            Array.from(document.querySelectorAll('#columns .board-column')).map((c) => [
                (c.querySelector('.column-title') || {}).textContent || '',
                Array.from(c.querySelectorAll('.note .note-text'), (n) => n.textContent).sort(),
            ]))"""
    )


def post(page: Page, text: str) -> None:
    page.fill("#composer-text", text)
    page.click("#composer-send")
    expect(note(page, text)).to_be_visible()
    expect(note(page, text)).not_to_contain_text("Sending")
