"""Debian's chromium driven by Playwright; pages that log errors fail the test."""

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Open a page in a fresh browser context (a separate tablet); collect its errors."""
    contexts, errors = [], []

    def open_page(width=800, height=1280, server_may_vanish=False):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))

        def on_console(message):
            if message.type != "error":
                return
            if server_may_vanish and "net::ERR_CONNECTION_" in message.text:
                return  # the test stops the server on purpose
            errors.append(f"console error: {message.text}")

        page.on("console", on_console)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], errors


@pytest.fixture
def cuttable(live_server):
    """Make proxies to the live server that tests can cut, one tablet at a time."""
    from tests.browser.proxy import CuttableProxy

    proxies = []

    def make():
        proxies.append(CuttableProxy(live_server.port))
        return proxies[-1]

    yield make
    for proxy in proxies:
        proxy.close()


@pytest.fixture
def open_page(browser):
    """Open a page in a fresh context that bypasses the CSP, so axe-core can be injected;
    collect its errors (tests/browser/test_accessibility.py, test_people.py)."""
    from tests.browser.test_accessibility import AXE

    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `bash scripts/setup.sh test` to download axe-core")
    contexts, errors = [], []

    def open_(viewport=None, storage_state=None):
        viewport = viewport or {"width": 800, "height": 1280}
        context = browser.new_context(
            viewport=viewport, bypass_csp=True, storage_state=storage_state
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
        page.on(
            "console",
            lambda m: errors.append(f"console error: {m.text}") if m.type == "error" else None,
        )
        return page

    yield open_
    for context in contexts:
        context.close()
    assert errors == [], errors
