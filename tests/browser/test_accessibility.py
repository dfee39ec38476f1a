"""WCAG 2.1 AA on every live screen, in Italian and in Arabic (right to left), checked by axe-core;
and what axe cannot check: touch targets and type size on the tablet pages, keyboard use.

axe-core comes from the npm registry through ``scripts/setup.sh test`` (pinned and verified); the
pages' CSP allows no injected script, so these browser contexts bypass it. The server renders each
page in the language of ``?lang=`` (``<html lang dir>``): these tests only check that it did.
"""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.screens import note, tablet_joins, trainer_logs_in
from tests.servers import REPO, PonteServer

AXE = REPO / ".cache" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Rules that apply to every page: a run that did not pass them did not really run.
ALWAYS_PASS = {"html-has-lang", "html-lang-valid", "document-title", "color-contrast"}
# axe cannot measure the contrast of a glyph without letters (➤, ⌒, 👍) and leaves it "incomplete"
# for a person to check: those are aria-hidden icons beside their words. Anything else it could not
# decide fails the test like a violation.
NON_TEXT_GLYPH = "Element content contains only non-text characters"
KINDS = ["listening", "face_to_face", "co_projecting"]
# Who holds the tablet: each role sees its own controls (a mediator writes for others and
# translates, a decision maker records commitments, a participant in a group sees prototypes).
TABLET_ROLES = [
    ("listening", "migrant"),
    ("listening", "mediator"),
    ("face_to_face", "decision_maker"),
    ("co_projecting", "migrant"),
]
LANGUAGES = ["it", "ar"]
TABLET = {"width": 800, "height": 1280}
LAPTOP = {"width": 1400, "height": 1000}
WALL = {"width": 1920, "height": 1080}
TOUCH = 44  # px, WCAG 2.5.5 (AAA), asked of every tablet and the wall
BODY_TYPE = 18  # px, the smallest type for reading and for controls on a tablet


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """One Ponte process with the Prato demo (a live session of each kind) for the whole module."""
    server = PonteServer(tmp_path_factory.mktemp("a11y"))
    server.demo = server.seed_demo()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def trainer_state(browser, demo_server):
    """The demo trainer's cookies, logged in once for the module."""
    context = browser.new_context(viewport=LAPTOP)
    trainer_logs_in(context.new_page(), demo_server)
    state = context.storage_state()
    context.close()
    return state


def demo_session(server: PonteServer, kind: str) -> dict:
    return next(s for s in server.demo["sessions"] if s["kind"] == kind)


def in_language(page: Page, url: str, lang: str) -> None:
    """Open ``url`` in ``lang``: the server sets <html lang dir> from ``?lang=``."""
    page.goto(url + ("&" if "?" in url else "?") + f"lang={lang}")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")


def axe_run(page: Page) -> dict:
    """axe-core's WCAG 2.1 A and AA rules on the page as it is: violations, incomplete, passes."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    # A live board redraws itself when an event comes (someone joins, leaves, posts): wait for
    # a quiet page, and run axe again when the page changed under it (it would see nodes that
    # are gone, "overlapped by another element").
    return page.evaluate(
        """async (tags) => {
            let changes = 0;
            const observer = new MutationObserver((list) => {
                for (const change of list) {  // the clock ticks on its own: not a change
                    const node = change.target.closest ? change.target : change.target.parentNode;
                    if (!node || !node.closest('[data-timer]')) changes += 1;
                }
            });
            const all = {subtree: true, childList: true, attributes: true, characterData: true};
            observer.observe(document.body, all);
            const quiet = async () => {
                for (let waited = 0; waited < 10000; waited += 300) {
                    const before = changes;
                    await new Promise((resolve) => setTimeout(resolve, 300));
                    if (changes === before) return;
                }
            };
            let r;
            for (let attempt = 0; attempt < 5; attempt++) {
                await quiet();
                const before = changes;
                r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                if (changes === before) break;
            }
            observer.disconnect();
            const nodes = (rule) => rule.nodes.map((n) => ({
                target: n.target, html: n.html, summary: n.failureSummary || '',
                messages: [...n.any, ...n.all, ...n.none].map((c) => c.message),
            }));
            const rules = (list) => list.map((rule) => ({
                id: rule.id, impact: rule.impact, help: rule.help, nodes: nodes(rule),
            }));
            return {violations: rules(r.violations), incomplete: rules(r.incomplete),
                    passes: r.passes.map((rule) => rule.id)};
        }""",
        WCAG_AA,
    )


def undecided(incomplete: list[dict]) -> list[dict]:
    """What axe left for a person to check, less the contrast of letterless glyphs."""
    left = []
    for rule in incomplete:
        nodes = [
            n
            for n in rule["nodes"]
            if not (rule["id"] == "color-contrast" and n["messages"] == [NON_TEXT_GLYPH])
        ]
        if nodes:
            left.append({**rule, "nodes": nodes})
    return left


def describe(rules: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(
            f"    {json.dumps(n['target'])}  {n['html'][:200]}\n"
            f"      {n['summary'] or ' | '.join(n['messages'])}"
            for n in v["nodes"][:8]
        )
        for v in rules
    )


def assert_no_violations(page: Page, screen: str, must_pass: set[str] = ALWAYS_PASS) -> dict:
    """No violation and nothing undecided, from a run that did run its rules; return the run."""
    result = axe_run(page)
    missing = must_pass - set(result["passes"])
    assert not missing, f"{screen}: axe did not pass {sorted(missing)}: did it run at all?"
    violations = result["violations"]
    count = f"{screen}: {len(violations)} axe violation(s)\n"
    assert violations == [], count + describe(violations)
    left = undecided(result["incomplete"])
    assert left == [], f"{screen}: axe could not decide\n" + describe(left)
    return result


# What a person touches on a tablet, and how big: a radio button or a checkbox is touched through
# its label. Elements nobody can see (zero size, hidden) are skipped.
SMALL_TARGETS = """(touch) => {
  const controls = 'button, a[href], input:not([type=hidden]), select, textarea, summary,'
    + ' audio[controls], [role=button], [role=radio], [role=checkbox], [role=tab],'
    + ' [tabindex]:not([tabindex="-1"])';
  const small = [];
  for (const el of document.querySelectorAll(controls)) {
    if (!el.getClientRects().length || getComputedStyle(el).visibility !== 'visible') continue;
    const box_of = el.matches('input[type=radio], input[type=checkbox]') && el.closest('label');
    const target = box_of || el;
    const box = target.getBoundingClientRect();
    if (box.width < touch || box.height < touch) {
      const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
      small.push(`${size} ${target.outerHTML.slice(0, 140)}`);
    }
  }
  return small;
}"""

# Type smaller than ``min`` px: every control, and every element with text of its own.
SMALL_TYPE = """(min) => {
  const small = [];
  const visible = (el) => el.getClientRects().length
    && getComputedStyle(el).visibility === 'visible'
    && !el.closest('.visually-hidden, [aria-hidden=true]');
  for (const el of document.body.querySelectorAll('*')) {
    if (!visible(el) || ['SCRIPT', 'STYLE', 'OPTION'].includes(el.tagName)) continue;
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const control = el.matches('button, input, select, textarea, summary, a.button');
    const size = parseFloat(getComputedStyle(el).fontSize);
    if ((ownText || control) && size < min) {
      small.push(`${size}px <${el.tagName.toLowerCase()} class="${el.className}"> `
                 + (el.textContent || el.value || '').trim().slice(0, 40));
    }
  }
  return small;
}"""


def assert_tablet_first(page: Page, screen: str, touch: int = TOUCH, type_px: int = BODY_TYPE):
    """Every target at least ``touch`` px square, all type at least ``type_px``."""
    small = page.evaluate(SMALL_TARGETS, touch)
    assert small == [], f"{screen}: targets under {touch}x{touch} px:\n  " + "\n  ".join(small)
    body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body >= type_px, f"{screen}: body type is {body}px"
    tiny = page.evaluate(SMALL_TYPE, type_px)
    assert tiny == [], f"{screen}: type under {type_px}px:\n  " + "\n  ".join(tiny)


def board_drawn(page: Page) -> None:
    """Wait for the script to draw the board (the wall may keep it hidden in some phases)."""
    expect(page.locator("#columns .board-column").first).to_be_attached()


def join_group(server: PonteServer, page: Page, session_id: int) -> None:
    """The trainer puts this tablet's participant in the session's first group."""
    me = page.evaluate(f"JSON.parse(localStorage.getItem('ponte:session:{session_id}'))")
    server.run_in_app(
        f"""
import sqlalchemy as sa
from sessions.models import Group
group = db.session.scalars(sa.select(Group).where(Group.session_id == {session_id})).first()
facilitation.assign_group(staff({session_id}), {me["participant_id"]}, group.id)
"""
    )


def tablet_in(server: PonteServer, page: Page, kind: str, role: str, lang: str, name: str) -> dict:
    """Join the demo session of ``kind`` as ``role``, open the board in ``lang``; the session."""
    demo = demo_session(server, kind)
    tablet_joins(page, server, demo["join_code"], name, role=role, language=lang)
    if kind == "co_projecting":  # a tablet in a group sees its group's board and prototypes
        join_group(server, page, demo["id"])
    in_language(page, page.url.split("?")[0], lang)
    expect(page.locator("#me")).to_contain_text(name)
    board_drawn(page)
    return demo


def test_axe_runs_and_reports_what_is_broken(demo_server, open_page):
    """The checks below prove something only if axe runs its rules: break a page on purpose."""
    page = open_page(TABLET)
    in_language(page, demo_server.url + "/join", "ar")
    clean = axe_run(page)
    assert ALWAYS_PASS <= set(clean["passes"]) and len(clean["passes"]) >= 10, clean["passes"]
    assert clean["violations"] == []
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
            '<img id="broken-img" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
            + '<button id="broken-button" type="button"></button>'
            + '<input id="broken-input">'
            + '<p id="broken-contrast" style="color:#bbb;background:#fff">faint</p>')"""
    )
    found = {v["id"]: v for v in axe_run(page)["violations"]}
    for rule, element in [
        ("image-alt", "#broken-img"),
        ("button-name", "#broken-button"),
        ("label", "#broken-input"),
        ("color-contrast", "#broken-contrast"),
    ]:
        assert rule in found, f"axe missed {rule}: {sorted(found)}"
        assert [element] in [n["target"] for n in found[rule]["nodes"]]
    # ...and the small-target and small-type checks see what is small.
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
            '<button id="tiny" type="button" style="all:unset;font-size:12px">x</button>')"""
    )
    assert any('id="tiny"' in s for s in page.evaluate(SMALL_TARGETS, TOUCH))
    assert any("12px" in s for s in page.evaluate(SMALL_TYPE, BODY_TYPE))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_join_page(demo_server, open_page, lang):
    page = open_page(TABLET)
    in_language(page, demo_server.url + "/join", lang)
    expect(page.locator("#join-submit")).to_be_enabled()
    if lang == "ar":
        page.screenshot(path="/tmp/a11y-ar-join.png", full_page=True)
    assert_no_violations(page, f"join [{lang}]")
    assert_tablet_first(page, f"join [{lang}]")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("kind", "role"), TABLET_ROLES)
def test_tablet(demo_server, open_page, kind, role, lang):
    page = open_page(TABLET)
    tablet_in(demo_server, page, kind, role, lang, f"Tablet {role} {lang}")
    if kind == "co_projecting":
        expect(page.locator("#prototype-cards > li").first).to_be_visible()
    if role == "mediator":  # writes for someone else, translates notes
        expect(page.locator(".composer-for")).to_be_visible()
    if role == "decision_maker":
        expect(page.locator("#commitment-form")).to_be_visible()
    page.screenshot(path=f"/tmp/a11y-{lang}-tablet-{kind}-{role}.png", full_page=True)
    assert_no_violations(page, f"tablet {kind} {role} [{lang}]")
    assert_tablet_first(page, f"tablet {kind} {role} [{lang}]")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tablet_language_dialog(demo_server, open_page, lang):
    """The dialog that changes the tablet's language, open."""
    page = open_page(TABLET)
    tablet_in(demo_server, page, "listening", "migrant", lang, f"Dialog {lang}")
    page.click("#language-button")
    dialog = page.locator("dialog[open]")
    expect(dialog).to_be_visible()
    # With a modal dialog open axe checks the dialog only: the page-wide rules do not apply.
    in_dialog = {"color-contrast", "button-name"}
    assert_no_violations(page, f"tablet language dialog [{lang}]", in_dialog)
    assert_tablet_first(page, f"tablet language dialog [{lang}]")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_console(demo_server, open_page, trainer_state, kind, lang):
    demo = demo_session(demo_server, kind)
    page = open_page(LAPTOP, trainer_state)
    in_language(page, f"{demo_server.url}/sessions/{demo['id']}", lang)
    board_drawn(page)
    expect(page.locator("#projector-link")).to_be_visible()
    page.screenshot(path=f"/tmp/a11y-{lang}-console-{kind}.png", full_page=True)
    assert_no_violations(page, f"console {kind} [{lang}]")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_projector(demo_server, open_page, trainer_state, kind, lang):
    demo = demo_session(demo_server, kind)
    console = open_page(LAPTOP, trainer_state)
    console.goto(f"{demo_server.url}/sessions/{demo['id']}")
    link = console.locator("#projector-link")
    expect(link).to_be_visible()
    wall = open_page(WALL)
    in_language(wall, demo_server.url + link.get_attribute("href"), lang)
    board_drawn(wall)
    wall.screenshot(path=f"/tmp/a11y-{lang}-projector-{kind}.png")
    assert_no_violations(wall, f"projector {kind} [{lang}]")
    assert_tablet_first(wall, f"projector {kind} [{lang}]")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tablet_canvas(demo_server, open_page, lang):
    """A group's prototype canvas, open on a tablet, with its evidence to link."""
    page = open_page(TABLET)
    tablet_in(demo_server, page, "co_projecting", "migrant", lang, f"Canvas {lang}")
    page.locator("#prototype-cards .proto-open").first.click()
    expect(page.locator("#canvas .canvas-text").first).to_be_visible()
    page.screenshot(path=f"/tmp/a11y-{lang}-tablet-canvas.png", full_page=True)
    assert_no_violations(page, f"tablet canvas [{lang}]")
    assert_tablet_first(page, f"tablet canvas [{lang}]")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("phase", "role"), [("vote", "migrant"), ("feedback", "decision_maker")])
def test_tablet_phase(demo_server, open_page, phase, role, lang):
    """The co-projecting vote (dots to give and take back) and the decision makers' feedback."""
    session_id = demo_session(demo_server, "co_projecting")["id"]
    demo_server.run_in_app(f'facilitation.advance_phase(staff({session_id}), "{phase}")')
    try:
        page = open_page(TABLET)
        tablet_in(demo_server, page, "co_projecting", role, lang, f"{phase} {role} {lang}")
        if phase == "vote":
            expect(page.locator("#vote-bar")).to_be_visible()
            page.locator("button.vote-plus").first.click()
            expect(page.locator(".my-dots").first).to_have_text("●")
            expect(page.locator("button.vote-minus").first).to_be_visible()
        else:
            form = page.locator(".feedback-form").first
            form.locator(".kind-button").first.click()
            form.locator(".feedback-commit summary").click()
            expect(form.locator("input[name=who]")).to_be_visible()
        page.screenshot(path=f"/tmp/a11y-{lang}-tablet-{phase}.png", full_page=True)
        assert_no_violations(page, f"tablet {phase} {role} [{lang}]")
        assert_tablet_first(page, f"tablet {phase} {role} [{lang}]")
    finally:  # the other tests expect the demo's phase
        demo_server.run_in_app(f'facilitation.advance_phase(staff({session_id}), "prototype")')


# --- the keyboard ----------------------------------------------------------------------------

FOCUSED = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body) return {what: 'nothing', ring: false, there: false};
  const ring = (node) => {
    const style = getComputedStyle(node);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  };
  const label = el.closest('label');
  return {
    what: el.outerHTML.slice(0, 120),
    ring: ring(el) || (!!label && ring(label)),
    there: el.matches(selector),
  };
}"""


def tab_to(page: Page, selector: str, limit: int = 150) -> None:
    """Press Tab until ``selector`` has the focus; every stop on the way must show a focus ring."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED, selector)
        assert focused["ring"], f"on the way to {selector}: no visible focus on {focused['what']}"
        if focused["there"]:
            return
    raise AssertionError(f"{limit} presses of Tab did not reach {selector}")


def tab_through(page: Page, limit: int = 600) -> int:
    """Tab through the whole page, back to where it started: every stop shows a focus ring."""
    page.evaluate("window.__tabbed = new WeakSet()")
    for stops in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED, "*")
        again = page.evaluate(
            """() => { const el = document.activeElement;
                if (!el || el === document.body || window.__tabbed.has(el)) return true;
                window.__tabbed.add(el); return false; }"""
        )
        if again:
            return stops
        assert focused["ring"], f"no visible focus on {focused['what']}"
    raise AssertionError(f"{limit} presses of Tab did not go round the page")


@pytest.mark.parametrize(
    ("screen", "kind", "lang"),
    [("console", kind, "it") for kind in KINDS] + [("tablet", "co_projecting", "ar")],
)
def test_focus_is_visible_on_every_stop(demo_server, open_page, trainer_state, screen, kind, lang):
    """Every control of the console and of a tablet can be reached with Tab, and shows it."""
    if screen == "console":
        page = open_page(LAPTOP, trainer_state)
        session_id = demo_session(demo_server, kind)["id"]
        in_language(page, f"{demo_server.url}/sessions/{session_id}", lang)
        board_drawn(page)
    else:
        page = open_page(TABLET)
        tablet_in(demo_server, page, kind, "migrant", lang, f"Focus {lang}")
    stops = tab_through(page)
    assert stops >= 10, f"only {stops} stops: did Tab move at all?"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keyboard_joins_posts_and_reacts(demo_server, open_page, lang):
    """With the keyboard only: join, write a note, post it with Enter, agree with it."""
    code = demo_session(demo_server, "listening")["join_code"]
    name = f"Keys {lang}"
    text = f"Scritto con la tastiera {lang}"
    page = open_page(TABLET)
    in_language(page, demo_server.url + "/join", lang)
    expect(page.locator("#join-submit")).to_be_enabled()
    tab_to(page, "#join-code")
    page.keyboard.type(code.lower())
    tab_to(page, "#join-name")
    page.keyboard.type(name)
    tab_to(page, "input[name=role]:checked")
    page.keyboard.press("ArrowDown")  # the arrows move along the roles
    expect(page.locator("input[name=role][value=decision_maker]")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.locator("input[name=role][value=migrant]")).to_be_checked()
    tab_to(page, "#join-submit")
    page.keyboard.press("Enter")
    expect(page.locator("#me")).to_contain_text(name)
    # The consent question comes first, and is answered with the keyboard too.
    expect(page.locator("#consent-dialog")).to_be_visible()
    page.keyboard.press("Space")  # the focus is on the first choice
    expect(page.locator("input[name=consent-quote][value=named]")).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=consent-quote][value=anonymous]")).to_be_checked()
    tab_to(page, "input[name=consent-photos][value=true]")
    page.keyboard.press("Space")
    tab_to(page, "#consent-save")
    page.keyboard.press("Enter")
    expect(page.locator("#consent-dialog")).to_be_hidden()
    board_drawn(page)

    tab_to(page, "#composer-text")
    page.keyboard.type(text)
    tab_to(page, "#composer-send")
    page.keyboard.press("Enter")
    card = note(page, text)
    expect(card).to_be_visible()
    expect(card).to_have_attribute("data-post-id", re.compile(r"^\d+$"))  # sent and saved
    post_id = card.get_attribute("data-post-id")
    agree = f'li[data-post-id="{post_id}"] button.reaction[data-kind="agree"]'
    tab_to(page, agree)
    page.keyboard.press("Space")
    expect(page.locator(agree)).to_have_attribute("aria-pressed", "true")
