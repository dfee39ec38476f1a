"""Voice notes in real browsers: recorded on one tablet (Chromium's fake microphone), played
on another, on the wall and on the console; sent again after a network failure; transcribed
by a mediator. A tablet without a microphone says so and still posts text."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.screens import post, projector_opens, tablet_joins, trainer_logs_in

MEDIA_ARGS = [
    "--use-fake-ui-for-media-stream",  # say yes to the microphone prompt
    "--use-fake-device-for-media-stream",  # a microphone that plays a beep
    "--autoplay-policy=no-user-gesture-required",  # play() from the test, without a tap
]


@pytest.fixture(scope="module")
def media_browser(browser):
    """A second chromium from the same Playwright, with a fake microphone."""
    media = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + MEDIA_ARGS
    )
    yield media
    media.close()


@pytest.fixture
def media_page(media_browser, live_server):
    """Open a tablet that may use the (fake) microphone; collect its errors."""
    contexts, errors = [], []

    def open_page(width=800, height=1280, network_may_fail=False):
        context = media_browser.new_context(viewport={"width": width, "height": height})
        context.grant_permissions(["microphone"], origin=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))

        def on_console(message):
            if message.type != "error":
                return
            if network_may_fail and "net::ERR_CONNECTION_RESET" in message.text:
                return  # the test cuts an upload on purpose
            errors.append(f"console error: {message.text}")

        page.on("console", on_console)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], errors


def listening(server) -> dict:
    return next(s for s in server.demo["sessions"] if s["kind"] == "listening")


def record(page: Page, seconds: float = 2) -> None:
    """Record a voice note of about ``seconds`` and stop; the preview is then offered."""
    name = page.evaluate("() => t('Record a voice note')")  # in the tablet's language
    page.get_by_role("button", name=name).click()
    expect(page.locator(".voice-countdown")).to_contain_text(re.compile(r"00:[0-5]\d"))
    expect(page.locator(".voice-countdown")).to_have_attribute("role", "timer")
    page.wait_for_timeout(seconds * 1000)
    page.locator(".voice-stop").click()
    expect(page.locator(".voice-send")).to_be_visible()


def send(page: Page) -> str:
    """Send the recorded note; return its client_id (the demo has voice notes of its own)."""
    page.locator(".voice-send").click()
    item = page.locator(".voice-item").last
    client_id = item.get_attribute("data-client-id")
    assert client_id
    return client_id


def voice_note(page: Page, client_id: str):
    return page.locator(f'#columns .note.is-voice[data-client-id="{client_id}"]')


def plays(page: Page, card) -> dict:
    """Load the card's recording and play it; return what the <audio> element says."""
    audio = card.locator("audio")
    expect(audio).to_have_attribute("src", re.compile(r"^/media/voice/\d+\?sig="))
    return audio.evaluate(
        """async (audio) => {
            if (audio.readyState < 1) {
                await new Promise((ok, fail) => {
                    audio.addEventListener('loadedmetadata', ok, {once: true});
                    const failed = () => fail(new Error('no media'));
                    audio.addEventListener('error', failed, {once: true});
                    audio.load();
                });
            }
            const duration = audio.duration;
            await audio.play();
            const playing = !audio.paused;
            audio.pause();
            return {duration: duration === Infinity ? 'Infinity' : duration, playing};
        }"""
    )


def test_a_voice_note_recorded_on_one_tablet_plays_on_another(live_server, media_page, new_page):
    session = listening(live_server)
    amina = media_page()
    li = media_page()
    tablet_joins(amina, live_server, session["join_code"], "Amina", language="ar")
    tablet_joins(li, live_server, session["join_code"], "Li Wei", language="zh")

    record(amina, 2)
    # Listening first: Web Audio plays the recording (no object URL, the CSP allows none).
    amina.locator(".voice-listen").click()
    expect(amina.locator(".voice-listen")).to_have_attribute("aria-pressed", "true")
    client_id = send(amina)
    expect(amina.locator(".voice-item")).to_contain_text("✓")
    expect(amina.locator(".voice-send")).to_have_count(0)

    mine = voice_note(amina, client_id)
    expect(mine).to_have_count(1)
    expect(mine.locator(".voice-label")).to_contain_text(re.compile(r"00:0[1-6]"))
    theirs = voice_note(li, client_id)
    expect(theirs).to_have_count(1)
    played = plays(li, theirs)
    assert played["playing"], played
    assert played["duration"] == "Infinity" or played["duration"] > 0, played
    expect(theirs.locator(".note-untranscribed")).to_be_visible()
    amina.screenshot(path="/tmp/ponte-voice-tablet-arabic.png", full_page=True)


def test_a_voice_note_reaches_the_wall_and_a_mediator_transcribes_it(
    live_server, media_page, new_page
):
    session = listening(live_server)
    trainer = new_page(width=1280, height=900)
    trainer_logs_in(trainer, live_server)
    trainer.goto(f"{live_server.url}/sessions/{session['id']}")
    wall = projector_opens(trainer, media_page)
    amina = media_page()
    marco = new_page()
    giulia = media_page()
    tablet_joins(amina, live_server, session["join_code"], "Amina", language="ar")
    tablet_joins(marco, live_server, session["join_code"], "Marco", role="mediator", language="it")
    tablet_joins(giulia, live_server, session["join_code"], "Giulia", language="it")

    record(amina, 1.5)
    client_id = send(amina)
    expect(voice_note(wall, client_id)).to_have_count(1)
    assert plays(wall, voice_note(wall, client_id))["playing"]
    expect(voice_note(trainer, client_id).locator("audio")).to_have_attribute(
        "src", re.compile("sig=")
    )

    # The mediator writes down what it says (in Arabic), then translates it into Italian.
    card = voice_note(marco, client_id)
    card.locator("button.transcribe").click()
    card.locator("form.transcribe-form textarea").fill("المدرسة بعيدة عن البيت")
    card.locator("form.transcribe-form button[type=submit]").click()
    expect(voice_note(giulia, client_id).locator(".note-text")).to_have_text(
        "المدرسة بعيدة عن البيت"
    )
    expect(voice_note(giulia, client_id).locator(".note-transcriber")).to_contain_text("Marco")
    card.locator("button.translate").click()
    form = card.locator("form.translate-form")
    form.locator("select").select_option("it")
    form.locator("textarea").fill("La scuola è lontana da casa")
    form.locator("button[type=submit]").click()
    expect(voice_note(giulia, client_id).locator(".note-text")).to_have_text(
        "La scuola è lontana da casa"
    )
    expect(voice_note(giulia, client_id).locator(".note-translated")).to_contain_text("Marco")
    expect(voice_note(wall, client_id).locator(".note-text")).to_be_visible()
    giulia.screenshot(path="/tmp/ponte-voice-transcribed-italian.png", full_page=True)


def test_a_voice_note_is_sent_again_after_a_network_failure(live_server, media_page):
    session = listening(live_server)
    amina = media_page(network_may_fail=True)
    li = media_page()
    tablet_joins(amina, live_server, session["join_code"], "Amina", language="ar")
    tablet_joins(li, live_server, session["join_code"], "Li Wei", language="zh")
    failures = []

    def drop_first(route):
        if not failures:
            failures.append(route.request.url)
            route.abort("connectionreset")  # the Wi-Fi drops while it uploads
        else:
            route.continue_()

    amina.route(re.compile(r"/api/sessions/\d+/voice$"), drop_first)
    record(amina, 1)
    client_id = send(amina)
    expect(amina.locator(".voice-item.is-waiting")).to_be_visible()
    expect(amina.locator(".voice-item.is-sent")).to_be_visible(timeout=15_000)
    assert len(failures) == 1
    expect(voice_note(li, client_id)).to_have_count(1)
    expect(voice_note(amina, client_id)).to_have_count(1)


def test_a_tablet_without_a_microphone_says_so_and_still_posts_text(live_server, new_page):
    tablet = new_page()  # Debian's chromium without a fake device: no microphone at all
    tablet_joins(tablet, live_server, listening(live_server)["join_code"], "Ada", language="en")
    tablet.get_by_role("button", name="Record a voice note").click()
    message = tablet.locator(".voice-message")
    expect(message).to_be_visible()
    expect(message).to_contain_text(re.compile(r"microphone|record", re.I))
    expect(tablet.get_by_role("button", name="Record a voice note")).to_be_enabled()
    post(tablet, "I write it instead")
