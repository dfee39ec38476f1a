"""How fast a board of 1,000 notes reaches a tablet, the wall and the trainer, on a real server.

Starts Ponte on 127.0.0.1 with a fresh SQLite file and the demo process, and adds a live
session whose board holds NOTES notes (20 to 280 characters in Italian, English, French, Arabic
and Chinese; about 15 % translated by a mediator, 25 % with reactions), written through the
services in a child process. A screen gets the board in three pieces: its page (HTML, then
CSS and scripts), ``GET /api/sessions/<id>/board`` (static/js/board.js), then a Socket.IO
``sync`` from the board's seq. Each round, after one warm-up round, measures:

- the server: time to first and last byte over loopback of the page and of the board API
  (each the median of SAMPLES requests on new connections), and from a ``sync`` call to its
  ack, from the board's seq and from 0 (the whole log, page by page, as a screen far behind,
  or the prototype store of a co-projecting wall, replays it);
- the payload: raw and gzip-6 (what nginx would send) bytes of every response a cold Chromium
  downloads to show the board, and Socket.IO messages deflated as permessage-deflate would
  (the server negotiates it); the board data alone;
- the first render in Chromium, cold cache, in ms from navigation start: all notes in the
  DOM (a MutationObserver on ``#columns``), and painted (Element Timing on the first note),
  first-contentful-paint, Chrome's style and layout totals, how often the board was drawn.
  For the tablet (participant), the wall (projector) and the trainer's console; the tablet
  also with its CPU slowed down (roughly a mid-range tablet). ``--what-if`` also loads the
  tablet with the front-end changes of WHAT_IFS, served to the browser only.

Prints medians of RUNS rounds against the goals: <= 300 KB gzip, painted <= 1 s.

    .venv/bin/python bench/board_load.py [--notes 1000] [--runs 3] [--cpu-slowdown 4]
                                         [--kind listening|co_projecting] [--what-if]
"""

import argparse
import gzip
import json
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import requests
import socketio
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.servers import REPO, PonteServer  # noqa: E402

GOAL_GZIP_KB = 300
GOAL_RENDER_MS = 1000
SETTLE_MS = 3000  # after the board is painted, to catch what a screen downloads next
SAMPLES = 5  # requests (and sync calls) per round; a round's figure is their median

# --- the board -----------------------------------------------------------------------------

# Who is in the room: (role, language). Most write in their own language.
PEOPLE = (
    [("migrant", language) for language in ("ar", "zh", "en", "fr", "it") for _ in range(6)]
    + [("decision_maker", "it")] * 4
    + [("mediator", "it"), ("mediator", "en")]
)
NAMES = ["Amina", "Li Wei", "Fatou", "Marco", "Ardit", "Chen", "Karim", "Sara", "Olena", "Yusuf"]
WORDS = {
    "it": "la scuola non ha mediatori e i documenti arrivano sempre tardi in comune per chi "
    "lavora di giorno gli orari degli uffici sono difficili serve uno sportello unico con "
    "persone che parlano le lingue del quartiere e informazioni chiare sui permessi".split(),
    "en": "the school has no mediators and letters from the city arrive late for people who "
    "work during the day office hours are hard we need one desk with staff who speak our "
    "languages and clear information about permits health and housing".split(),
    "fr": "l'école n'a pas de médiateurs et les papiers arrivent toujours en retard pour ceux "
    "qui travaillent le jour les horaires des bureaux sont difficiles il faut un guichet "
    "unique avec des personnes qui parlent nos langues".split(),
    "ar": "المدرسة لا يوجد فيها وسطاء والأوراق تصل متأخرة دائما لمن يعمل في النهار مواعيد "
    "المكاتب صعبة نحتاج إلى مكتب واحد مع موظفين يتكلمون لغاتنا ومعلومات واضحة عن الإقامة "
    "والصحة والسكن".split(),
    "zh": "学校 没有 翻译 文件 总是 很晚 才到 白天 上班 的人 办公室 时间 很难 需要 一个 窗口 "
    "工作人员 会说 我们的 语言 清楚的 信息 居留 医疗 住房".split(),
}


def note_text(rng: random.Random, language: str) -> str:
    """A note of 20 to 280 characters, most of them short, in ``language``."""
    length = int(rng.triangular(20, 280, 70))
    words = WORDS[language]
    glue = "" if language == "zh" else " "
    text = ""
    while len(text) < length:
        text += rng.choice(words) + glue
    return text[:length].strip().capitalize() + ("。" if language == "zh" else ".")


def seed(workshop_id: int, notes: int, kind: str) -> dict:
    """Add a live session of ``kind`` holding ``notes`` notes; run in a child on the database."""
    import sqlalchemy as sa

    from app import create_app
    from ponte.database import writing
    from ponte.demo import DEMO_EMAIL
    from ponte.extensions import db
    from sessions import reactions, services, translations
    from sessions.access import viewer_for_token
    from sessions.models import REACTIONS, Group, Prompt
    from workshops.models import Account, Workshop

    rng = random.Random(notes)
    with create_app().app_context(), writing():
        account = db.session.scalar(sa.select(Account).where(Account.email == DEMO_EMAIL))
        workshop = db.session.get(Workshop, workshop_id)
        title = f"Board load: {notes} notes"
        ws = services.create_session(workshop, kind, title, trainer_id=account.id)
        services.open_session(ws)
        people = []
        for number, (role, language) in enumerate(PEOPLE):
            name = f"{NAMES[number % len(NAMES)]} {number + 1}"
            _, _, token, _ = services.join(ws.join_code, name, role, language)
            people.append(viewer_for_token(token))
        writers = [v for v in people if v.role != "mediator"]
        mediators = [v for v in people if v.role == "mediator"]
        # Notes go under the prompts of a listening session, in the groups of a co-projecting one.
        field, model = ("prompt_id", Prompt) if kind == "listening" else ("group_id", Group)
        places = list(db.session.scalars(sa.select(model.id).where(model.session_id == ws.id)))
        translated = reacted = 0
        for number in range(notes):
            author = rng.choice(writers)
            client_id = f"00000000-0000-4000-a000-{number:012d}"
            text = note_text(rng, author.language)
            post, _ = services.create_post(author, client_id, text, **{field: rng.choice(places)})
            if rng.random() < 0.15:  # a mediator puts it into Italian (or English)
                into = "en" if author.language == "it" else "it"
                translations.translate(rng.choice(mediators), post.id, into, note_text(rng, into))
                translated += 1
            if rng.random() < 0.25:
                for reader in rng.sample(writers, rng.randint(1, 4)):
                    reactions.react(reader, post.id, rng.choice(REACTIONS), on=True)
                reacted += 1
        db.session.commit()
        return {
            "session_id": ws.id,
            "join_code": ws.join_code,
            "projector_key": ws.projector_key,
            "seq": ws.last_seq,
            "translated": translated,
            "reacted": reacted,
        }


def seed_in_child(server: PonteServer, workshop_id: int, notes: int, kind: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--seed-child", f"{workshop_id},{notes},{kind}"],
        cwd=REPO,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if out.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the screens ---------------------------------------------------------------------------


def join(server: PonteServer, code: str) -> dict:
    body = {"code": code, "name": "Bench tablet", "role": "migrant", "language": "en"}
    answer = requests.post(server.url + "/api/join", json=body, timeout=10)
    answer.raise_for_status()
    return {**answer.json(), **body}


def staff_cookies(server: PonteServer, demo: dict) -> requests.Session:
    """Log the demo trainer in; the returned requests session holds the login cookie."""
    http = requests.Session()
    form = http.get(server.url + "/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    fields = {**demo["facilitator"], "csrf_token": token.group(1) if token else ""}
    answer = http.post(server.url + "/login", data=fields, timeout=10)
    assert answer.url.endswith("/workshops"), f"login failed: {answer.url}"
    return http


def screens(server: PonteServer, demo: dict, board: dict, tablet: dict) -> dict:
    """Each screen: its page, how it authenticates to the board API and to Socket.IO."""
    sid = board["session_id"]
    key = board["projector_key"]
    staff = staff_cookies(server, demo)
    return {
        "tablet": {
            "page": f"/sessions/{sid}/tablet?lang=en",
            "headers": {"Authorization": "Bearer " + tablet["token"]},
            "auth": {"token": tablet["token"]},
            "http": requests.Session(),
            "viewport": {"width": 800, "height": 1280},
        },
        "wall": {
            "page": f"/sessions/{sid}/projector?key={key}",
            "headers": {"X-Projector-Key": key},
            "auth": {"session_id": sid, "projector_key": key},
            "http": requests.Session(),
            "viewport": {"width": 1920, "height": 1080},
        },
        "console": {
            "page": f"/sessions/{sid}",
            "headers": {},
            "auth": {"session_id": sid},
            "http": staff,
            "viewport": {"width": 1280, "height": 900},
        },
    }


# --- the server's side ---------------------------------------------------------------------


def timed_get(http: requests.Session, url: str, headers: dict) -> dict:
    """GET on a new connection: ms to the first byte (headers) and to the last, and the body."""
    http.close()  # a fresh TCP connection, as a tablet opening the page
    started = time.perf_counter()
    answer = http.get(url, headers=headers, timeout=30, stream=True)
    first = time.perf_counter()
    body = answer.content
    last = time.perf_counter()
    answer.raise_for_status()
    return {"ttfb": (first - started) * 1000, "ttlb": (last - started) * 1000, "body": body}


def sampled_get(http: requests.Session, url: str, headers: dict) -> dict:
    """SAMPLES timed GETs: their median times, the slowest last byte, and one body."""
    samples = [timed_get(http, url, headers) for _ in range(SAMPLES)]
    return {
        "ttfb": statistics.median(s["ttfb"] for s in samples),
        "ttlb": statistics.median(s["ttlb"] for s in samples),
        "worst": max(s["ttlb"] for s in samples),
        "body": samples[-1]["body"],
    }


def server_round(server: PonteServer, screen: dict, sid: int) -> dict:
    page = sampled_get(screen["http"], server.url + screen["page"], screen["headers"])
    api = sampled_get(screen["http"], f"{server.url}/api/sessions/{sid}/board", screen["headers"])
    board_seq = json.loads(api["body"])["seq"]
    client = socketio.Client(reconnection=False)
    cookies = "; ".join(f"{k}={v}" for k, v in screen["http"].cookies.items())
    client.connect(
        server.url,
        auth=screen["auth"],
        headers={"Cookie": cookies} if cookies else {},
        transports=["websocket"],
        wait_timeout=10,
    )
    try:
        syncs = []
        for _ in range(SAMPLES):  # what board.js asks right after loading the board
            started = time.perf_counter()
            ack = client.call("sync", {"since": board_seq}, timeout=30)
            syncs.append((time.perf_counter() - started) * 1000)
            assert ack["ok"], ack
        replay_ms, replay_bytes, since, pages = 0.0, 0, 0, 0
        while True:  # the whole log, as prototype_state.js's readLog() pages through it
            started = time.perf_counter()
            ack = client.call("sync", {"since": since}, timeout=60)
            replay_ms += (time.perf_counter() - started) * 1000
            assert ack["ok"], ack
            replay_bytes += len(json.dumps(ack, separators=(",", ":")))  # as python-socketio
            pages += 1
            since = ack["seq"]
            if not ack["more"]:
                break
    finally:
        client.disconnect()
    return {
        "page_ttfb": page["ttfb"],
        "page_ttlb": page["ttlb"],
        "board_ttfb": api["ttfb"],
        "board_ttlb": api["ttlb"],
        "board_worst": api["worst"],
        "board_raw": len(api["body"]),
        "board_gzip": len(gzip.compress(api["body"], 6)),
        "sync_ms": statistics.median(syncs),
        "replay_ms": replay_ms,
        "replay_raw": replay_bytes,
        "replay_pages": pages,
    }


# --- the browser's side --------------------------------------------------------------------

# --what-if: front-end changes tried in the browser only, by serving an edited copy of a file
# (Playwright routing); the repository is not touched. Each is (file, text, replacement).
WHAT_IFS = {
    # board.js redraws every card after the sync that follows the board, even an empty one.
    "no redraw after an empty sync": (
        "static/js/board.js",
        "        state.lastSeq = Math.max(state.lastSeq, ack.seq);\n        changed();\n",
        "        var moved = ack.events.length > 0 || ack.seq > state.lastSeq;\n"
        "        state.lastSeq = Math.max(state.lastSeq, ack.seq);\n"
        "        if (moved) changed();\n",
    ),
    # Chrome lays out and paints only the notes on screen (about 5 of 1,000 on a tablet).
    "content-visibility on notes": (
        "static/css/ponte.css",
        "\n.note {\n",
        "\n#columns .note { content-visibility: auto; contain-intrinsic-size: auto 18rem; }\n"
        ".note {\n",
    ),
}


def edited_files(names: list[str]) -> dict[str, str] | None:
    """The files as the what-ifs ``names`` would make them; None when one no longer applies."""
    files: dict[str, str] = {}
    for name in names:
        path, text, replacement = WHAT_IFS[name]
        content = files.get(path) or (REPO / path).read_text()
        if text not in content:
            return None
        files[path] = content.replace(text, replacement, 1)
    return files


# Before any page script: note when #columns first holds every note, each board redraw, and
# (Element Timing) when the first note of that board is painted.
WATCH = """
(want) => {
  window.__draws = [];
  new PerformanceObserver((list) => {
    const first = list.getEntries()[0];
    if (first && !window.__paintedAt) window.__paintedAt = first.renderTime || first.loadTime;
  }).observe({ type: "element", buffered: true });
  new MutationObserver((records) => {
    const columns = document.getElementById("columns");
    if (!columns || !records.some((r) => r.target === columns)) return;
    window.__draws.push(performance.now());
    if (columns.getElementsByClassName("note").length < want) return;
    window.__notesAt = window.__notesAt || performance.now();
    // A redraw replaces every card: mark the new first one, so whichever is painted first counts.
    const first = columns.querySelector(".note p");
    if (first) first.setAttribute("elementtiming", "first-note");
  }).observe(document, { childList: true, subtree: true });
}
"""
TIMINGS = r"""
() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  const board = performance.getEntriesByType("resource")
    .find((e) => /\/api\/sessions\/\d+\/board$/.test(e.name));
  return {
    html: nav.responseEnd, fcp: fcp ? fcp.startTime : null,
    board_start: board ? board.startTime : null, board_end: board ? board.responseEnd : null,
    notes: window.__notesAt, painted: window.__paintedAt, draws: window.__draws.length,
  };
}
"""


def watch_frames(websocket) -> list:
    """Collect the messages a WebSocket receives (Playwright hands them over inflated)."""
    received = []
    websocket.on("framereceived", lambda message: received.append(message))
    return received


def deflated(messages: list) -> list[tuple[int, int]]:
    """(raw, on the wire) bytes of each message of one WebSocket under permessage-deflate.

    The server (simple-websocket, wsproto) accepts Chrome's offer of permessage-deflate, and
    nginx passes the negotiation through: messages travel deflated, with the window kept from
    one message to the next. Estimated as wsproto compresses: level 6, a sync flush each.
    """
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    sizes = []
    for message in messages:
        data = message.encode() if isinstance(message, str) else message
        packed = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
        sizes.append((len(data), len(packed) - 4))  # the flush's 00 00 ff ff is not sent
    return sizes


def browser_round(browser, server, screen, tablet, sid, notes, slowdown=1, edits=None) -> dict:
    """Open a screen in a fresh context (cold cache); time its first render, count its bytes.

    :param edits: {repository path: content} served instead of those files (see WHAT_IFS).
    """
    context = browser.new_context(viewport=screen["viewport"])
    try:
        for path, content in (edits or {}).items():
            kind = "text/css" if path.endswith(".css") else "text/javascript"
            context.route(
                "**/" + path,
                lambda route, _request, body=content, kind=kind: route.fulfill(
                    status=200, body=body, content_type=kind
                ),
            )
        if screen["auth"].get("token"):  # what join.js keeps after POST /api/join
            kept = {k: tablet[k] for k in ("token", "participant_id", "name", "role", "language")}
            context.add_init_script(
                f"try {{ localStorage.setItem('ponte:session:{sid}', "
                f"JSON.stringify({json.dumps({**kept, 'waiting': False})})); }} catch (e) {{}}"
            )
        cookies = [
            {"name": k, "value": v, "url": server.url} for k, v in screen["http"].cookies.items()
        ]
        if cookies:
            context.add_cookies(cookies)
        context.add_init_script(f"({WATCH})({notes})")
        page = context.new_page()
        responses, frames = [], []
        page.on("response", lambda response: responses.append(response))
        page.on("websocket", lambda ws: frames.append(watch_frames(ws)))
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        if slowdown > 1:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
        page.goto(server.url + screen["page"], wait_until="commit", timeout=30_000)
        page.wait_for_function("() => window.__paintedAt", timeout=60_000, polling=100)
        # The sync after the board, and what comes later: a wall's prototype store asks for
        # the whole log, and retries 2 s later when the socket was not connected yet.
        page.wait_for_timeout(SETTLE_MS * slowdown)
        timings = page.evaluate(TIMINGS)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        downloads = []
        for response in responses:
            try:
                body = response.body()
            except Exception:  # the WebSocket upgrade, a redirect: no body
                continue
            path = response.url.removeprefix(server.url).split("?")[0]
            downloads.append((path, len(body), len(gzip.compress(body, 6))))
        for received in frames:
            downloads.extend(("(WebSocket frame)", *sizes) for sizes in deflated(received))
        build = timings["notes"] - timings["board_end"] if timings["board_end"] else None
        return {
            **timings,
            "build": build,
            "layout": metrics.get("LayoutDuration", 0) * 1000,
            "style": metrics.get("RecalcStyleDuration", 0) * 1000,
            "downloads": downloads,
        }
    finally:
        context.close()


# --- printing ------------------------------------------------------------------------------


def median(runs: list[dict], key: str):
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def ms(value) -> str:
    return "-" if value is None else f"{value:.0f}"


def kb(value: int) -> str:
    return f"{value / 1024:.1f}"


def print_server(server_runs: dict) -> None:
    print(f"\nServer over loopback, ms: median of runs, each the median of {SAMPLES} requests")
    print(
        f"  {'screen':8} {'page TTFB/TTLB':>15} {'board API TTFB/TTLB':>20} {'slowest':>8}"
        f" {'sync@seq':>9} {'whole log':>10}"
    )
    for name, runs in server_runs.items():
        page = f"{ms(median(runs, 'page_ttfb'))} / {ms(median(runs, 'page_ttlb'))}"
        api = f"{ms(median(runs, 'board_ttfb'))} / {ms(median(runs, 'board_ttlb'))}"
        worst = max(r["board_worst"] for r in runs)
        print(
            f"  {name:8} {page:>15} {api:>20} {ms(worst):>8} {median(runs, 'sync_ms'):9.1f}"
            f" {ms(median(runs, 'replay_ms')):>10}"
        )
    print(
        "  slowest: the slowest board API request of all; sync@seq: sync from the board's seq\n"
        "  (what a screen asks after loading it); whole log: sync from 0, every page of it."
    )
    for name, runs in server_runs.items():
        last = runs[-1]
        print(
            f"  board data, {name}: {kb(last['board_raw'])} KB raw, {kb(last['board_gzip'])} KB"
            f" gzip; the whole log: {kb(last['replay_raw'])} KB raw in {last['replay_pages']}"
            " sync acks"
        )


def kind_of(path: str) -> str:
    if path == "(WebSocket frame)":
        return "Socket.IO messages (permessage-deflate, estimated)"
    if path.startswith("/api/"):
        what = "board data" if path.endswith("/board") else "other data"
        return f"{what}: GET " + re.sub(r"/\d+/", "/<id>/", path)
    for ending, kind in ((".js", "JavaScript"), (".css", "CSS"), (".svg", "images (SVG)")):
        if path.endswith(ending):
            return kind
    return "the page (HTML)"


def print_payload(name: str, downloads: list) -> None:
    kinds: dict[str, list] = {}
    for path, raw, packed in downloads:
        kinds.setdefault(kind_of(path), []).append((raw, packed))
    print(f"\nEverything a cold {name} downloads (last run), KB:")
    print(f"  {'what':58} {'files':>5} {'raw':>8} {'gzip-6':>8}")
    for kind, sizes in kinds.items():
        raw, packed = sum(r for r, _ in sizes), sum(p for _, p in sizes)
        print(f"  {kind:58} {len(sizes):>5} {kb(raw):>8} {kb(packed):>8}")
    raw, packed = sum(d[1] for d in downloads), sum(d[2] for d in downloads)
    verdict = "ok" if packed <= GOAL_GZIP_KB * 1024 else "MISSED"
    print(f"  {'total':58} {len(downloads):>5} {kb(raw):>8} {kb(packed):>8}", end="")
    print(f"  goal <= {GOAL_GZIP_KB} KB gzip: {verdict}")


def print_browser(browser_runs: dict) -> None:
    print("\nChromium, cold cache, ms from navigation start (median of runs):")
    keys = ["html", "fcp", "board_start", "board_end", "notes", "painted"]
    heads = ["html", "FCP", "board>", "board<", "in DOM", "painted"]
    print(
        f"  {'screen':18}"
        + "".join(f"{h:>8}" for h in heads)
        + f"{'build':>7}{'style':>7}{'layout':>8}{'draws':>6}  goal <= {GOAL_RENDER_MS} ms"
    )
    for name, runs in browser_runs.items():
        painted = median(runs, "painted")
        verdict = "ok" if painted is not None and painted <= GOAL_RENDER_MS else "MISSED"
        print(
            f"  {name:18}"
            + "".join(f"{ms(median(runs, k)):>8}" for k in keys)
            + f"{ms(median(runs, 'build')):>7}{ms(median(runs, 'style')):>7}"
            f"{ms(median(runs, 'layout')):>8}{median(runs, 'draws'):>6.0f}  {verdict}"
        )
    print(
        "  html: the page's last byte; board> board<: the board API asked, answered; in DOM: all\n"
        "  notes in #columns; painted: the first frame showing them (Element Timing on the first\n"
        "  note); build: in DOM - board<, parsing the board and building its cards; style,\n"
        "  layout: Chrome's totals until 3 s (x slowdown) after; draws: times #columns was drawn;\n"
        "  if N: with what-if N (printed at the start)."
    )


# --- the run -------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kind", choices=["listening", "co_projecting"], default="listening")
    parser.add_argument("--cpu-slowdown", type=float, default=4, help="0: no slowed-down tablet")
    parser.add_argument("--timeout", type=int, default=900, help="seconds for the whole bench")
    parser.add_argument(
        "--what-if", action="store_true", help="also load the tablet with each of WHAT_IFS"
    )
    parser.add_argument("--seed-child", help=argparse.SUPPRESS)  # workshop_id,notes,kind
    args = parser.parse_args()
    if args.seed_child:
        workshop_id, notes, kind = args.seed_child.split(",")
        print(json.dumps(seed(int(workshop_id), int(notes), kind)))
        return

    def out_of_time(*_):
        raise TimeoutError(f"the bench took more than {args.timeout}s")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.timeout)
    with tempfile.TemporaryDirectory() as tmp:
        server = PonteServer(Path(tmp))
        try:
            run(server, args)
        except BaseException:
            print(f"server log (tail):\n{server.log()[-2000:]}", file=sys.stderr)
            raise
        finally:
            server.stop()


def browser_pages(cpu_slowdown: float, what_if: bool) -> list[tuple]:
    """(label, screen, CPU slowdown, edited files) of each page load of a round."""
    slowdowns = [1, cpu_slowdown] if cpu_slowdown > 1 else [1]
    pages = [("tablet", "tablet", 1, None), ("wall", "wall", 1, None)]
    pages.append(("console", "console", 1, None))
    if cpu_slowdown > 1:
        pages.append((f"tablet CPU/{cpu_slowdown:g}", "tablet", cpu_slowdown, None))
    if not what_if:
        return pages
    trials = [[name] for name in WHAT_IFS] + [list(WHAT_IFS)]
    for number, names in enumerate(trials, start=1):
        edits = edited_files(names)
        if edits is None:
            print(f"what-if {number} ({', '.join(names)}) no longer applies to the code: skipped")
            continue
        print(f"what-if {number}: {' + '.join(names)}")
        for slowdown in slowdowns:
            cpu = f" CPU/{slowdown:g}" if slowdown > 1 else ""
            pages.append((f"tablet{cpu} if {number}", "tablet", slowdown, edits))
    return pages


def run(server: PonteServer, args) -> None:
    demo = server.seed_demo()
    started = time.perf_counter()
    board = seed_in_child(server, demo["workshop_id"], args.notes, args.kind)
    print(
        f"{args.notes} notes in a {args.kind} session ({board['translated']} translated, "
        f"{board['reacted']} with reactions, log at seq {board['seq']}), written in "
        f"{time.perf_counter() - started:.1f}s",
        flush=True,
    )
    server.start()
    tablet = join(server, board["join_code"])
    sid = board["session_id"]
    views = screens(server, demo, board, tablet)
    pages = browser_pages(args.cpu_slowdown, args.what_if)
    server_runs = {name: [] for name in views}
    browser_runs = {label: [] for label, *_ in pages}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            for number in range(args.runs + 1):  # round 0 warms the server and the browser up
                for name, screen in views.items():
                    result = server_round(server, screen, sid)
                    if number:
                        server_runs[name].append(result)
                for label, name, slowdown, edits in pages if number else pages[:1]:
                    result = browser_round(
                        browser, server, views[name], tablet, sid, args.notes, slowdown, edits
                    )
                    if number:
                        browser_runs[label].append(result)
                if number:
                    api = server_runs["tablet"][-1]["board_ttlb"]
                    painted = browser_runs["tablet"][-1]["painted"]
                    print(
                        f"run {number}: tablet board API {api:.0f} ms, "
                        f"notes painted at {ms(painted)} ms",
                        flush=True,
                    )
        finally:
            browser.close()
    print_server(server_runs)
    for label in ("tablet", "wall", "console"):
        print_payload(label, browser_runs[label][-1]["downloads"])
    print_browser(browser_runs)


if __name__ == "__main__":
    main()
