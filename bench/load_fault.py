"""Tablets posting under faults: dropped connections and a kill -9, with nothing lost.

Starts Ponte on 127.0.0.1 (fresh SQLite, the demo process), joins CLIENTS tablets to the
demo listening session over ``POST /api/join`` and has them post at a steady total RATE for
DURATION seconds. Each tablet follows docs/protocol.md as a tablet does: a note gets its
``client_id`` when it is written (online or not) and sits in an outbox, resent with the same
id until acknowledged; the tablet keeps its own board from live events and ``sync`` answers,
applied by ``seq`` (a gap that does not fill within GAP_GRACE seconds, and every (re)connect,
calls ``sync {since: last}``).

Faults: every DROP_EVERY seconds (the first after half of it) DROP_FRACTION of the tablets
lose their connection abruptly -- the TCP socket under the WebSocket is shut down and reset
(SO_LINGER 0), with no WebSocket close frame and no Engine.IO/Socket.IO disconnect packet --
and reconnect after 0.5-3 s. With ``--kill`` the server is killed with SIGKILL once, half-way,
and restarted on the same port and database.

With ``--cluster`` the site is two Ponte processes on PostgreSQL and Redis behind nginx
(docs/deploy/nginx.conf), all started here: half of the tablets come through nginx (which
puts a session on one process, X), the other half connect straight to the other process, Y,
so every note crosses processes through Redis; ``--kill`` then kills X for good, and its
tablets must reconnect through nginx to Y and lose nothing.

At the end: notes written, acked, lost (acked but missing from the board or the database),
duplicated, divergent (tablets whose own view or applied event stream differs from the
server's), reconnects, kills survived, ack latencies and the load generator's own CPU use.
Exits 1 when anything was lost, duplicated or divergent. Loopback only, bounded in time.

    .venv/bin/python bench/load_fault.py [--clients 60] [--duration 180] [--rate 10]
        [--drop-every 60] [--drop-fraction 0.05] [--kill] [--cluster] [--json]
"""

import argparse
import json
import random
import resource
import socket
import struct
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
import socketio
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.servers import PonteCluster, PonteServer  # noqa: E402

GAP_GRACE = 0.5  # live events run on their own threads in python-socketio: let a gap fill
ACK_TIMEOUT = 5.0
WORDS = "scuola casa lavoro 学校 工作 مدرسة عمل bus medico permesso corso lingua".split()


@dataclass
class Config:
    clients: int = 60
    duration: float = 180.0
    rate: float = 10.0
    drop_every: float = 60.0
    drop_fraction: float = 0.05
    kill: bool = False
    kill_downtime: float = 1.0
    drain: float = 30.0
    seed: int = 1
    cluster: bool = False


@dataclass
class Note:
    client_id: str
    text: str
    written_at: float
    attempts: int = 0


@dataclass
class Tally:
    """What happened, across tablets (guarded by ``lock``)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    ack_ms: list = field(default_factory=list)  # one create_post round trip that was acked
    note_ms: list = field(default_factory=list)  # note written -> acked, outages included
    resends: int = 0
    refused: Counter = field(default_factory=Counter)
    syncs: int = 0
    gap_syncs: int = 0
    reconnects: int = 0
    drops: int = 0


def fingerprint(event_type: str, data: dict) -> tuple:
    """What must match between two views of one log event."""
    thing = data.get("post") or data.get("participant") or {}
    return (event_type, thing.get("id"), data.get("post_id"))


class Tablet:
    """One tablet: a token, an outbox, its own view of the board, one connection at a time."""

    def __init__(self, index: int, url: str, joined: dict, tally: Tally, rng: random.Random):
        self.index, self.url, self.tally, self.rng = index, url, tally, rng
        self.token = joined["token"]
        self.session_id = joined["session_id"]
        self.lock = threading.RLock()
        self.outbox: OrderedDict[str, Note] = OrderedDict()
        self.written: dict[str, Note] = {}
        self.acked: dict[str, int] = {}  # client_id -> post id in the first ack
        self.ack_mismatch = 0  # a resend acknowledged with another post id
        self.view: set[int] = set()  # post ids on this tablet's board
        self.applied: dict[int, tuple] = {}  # seq -> fingerprint of what it applied
        self.pending: dict[int, tuple] = {}  # events that arrived ahead of a gap
        self.gap_since: float | None = None
        self.start_seq = self.last_seq = 0
        self.conn: socketio.Client | None = None
        self.lost = threading.Event()  # the current connection is gone
        self.wake = threading.Event()
        self.reconnect_at = 0.0
        self.connects = 0
        self.need_sync = False
        self.writing = True
        self.next_note = 0.0

    # --- the board -------------------------------------------------------------------------

    def load_board(self, http: requests.Session) -> dict:
        answer = http.get(
            f"{self.url}/api/sessions/{self.session_id}/board",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
        )
        answer.raise_for_status()
        return answer.json()

    def start_from(self, board: dict) -> None:
        self.view = {p["id"] for p in board["posts"]}
        self.start_seq = self.last_seq = board["seq"]

    def _apply(self, seq: int, event_type: str, data: dict) -> None:
        self.applied[seq] = fingerprint(event_type, data)
        if event_type in ("post_created", "post_unhidden"):
            self.view.add(data["post"]["id"])
        elif event_type == "post_hidden":
            self.view.discard(data["post_id"])
        self.last_seq = seq

    def _drain_pending(self) -> None:
        for seq in sorted(self.pending):
            if seq <= self.last_seq:
                del self.pending[seq]
            elif seq == self.last_seq + 1:
                event_type, data = self.pending.pop(seq)
                self._apply(seq, event_type, data)
        self.gap_since = (self.gap_since or time.monotonic()) if self.pending else None

    def on_event(self, event_type: str, data=None) -> None:
        """A live broadcast: apply it if it is next, keep it if it is ahead of a gap."""
        if not isinstance(data, dict) or not isinstance(data.get("seq"), int):
            return
        with self.lock:
            if data["seq"] > self.last_seq:
                self.pending[data["seq"]] = (event_type, data)
                self._drain_pending()

    def apply_sync(self, answer: dict) -> None:
        """A sync answer covers its range completely: apply it, then what waited beyond it."""
        with self.lock:
            for event in answer["events"]:
                if event["seq"] > self.last_seq:
                    self._apply(event["seq"], event["type"], event["data"])
            self.last_seq = max(self.last_seq, answer["seq"])
            self._drain_pending()

    # --- the connection --------------------------------------------------------------------

    def request(self, event: str, data: dict, timeout: float = ACK_TIMEOUT) -> dict | None:
        """Emit and wait for the ack; None when it did not come (timeout, connection gone)."""
        conn, lost = self.conn, self.lost
        if conn is None or lost.is_set():
            return None
        got = threading.Event()
        answer: list = []

        def acked(*args):
            answer.extend(args)
            got.set()

        try:
            conn.emit(event, data, callback=acked)
        except Exception:
            return None
        deadline = time.monotonic() + timeout
        while not got.wait(0.1) and not lost.is_set() and time.monotonic() < deadline:
            pass
        return answer[0] if got.is_set() and answer else None

    def connect(self) -> bool:
        conn = socketio.Client(reconnection=False)
        lost = threading.Event()
        conn.on("*", self.on_event)
        conn.on("disconnect", lambda *_: (lost.set(), self.wake.set()))
        try:
            conn.connect(
                f"{self.url}?session={self.session_id}",  # a proxy routes by session
                auth={"token": self.token},
                transports=["websocket"],
                wait_timeout=5,
            )
        except Exception:
            return False
        self.conn, self.lost, self.need_sync = conn, lost, True
        self.connects += 1
        if self.connects > 1:
            with self.tally.lock:
                self.tally.reconnects += 1
        return True

    def sync(self) -> bool:
        """Ask for everything after the last applied seq, page by page."""
        with self.tally.lock:
            self.tally.syncs += 1
        while True:
            answer = self.request("sync", {"since": self.last_seq}, timeout=15)
            if answer is None or not answer.get("ok"):
                return False
            self.apply_sync(answer)
            if not answer["more"]:
                return True

    def drop(self, delay: float) -> str:
        """Lose the connection like a tablet whose Wi-Fi dies; come back after ``delay``."""
        self.reconnect_at = time.monotonic() + delay
        conn = self.conn
        sock = getattr(getattr(getattr(conn, "eio", None), "ws", None), "sock", None)
        if sock is None:  # not on a WebSocket (should not happen): the polite way
            if conn is not None:
                conn.disconnect()
            return "disconnect"
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.shutdown(socket.SHUT_RDWR)  # wakes the client's read loop
            sock.close()  # linger 0: a reset, and no goodbye of any protocol
        except OSError:
            pass
        return "abort"

    def close(self) -> None:
        if self.conn is not None and self.conn.connected:
            self.conn.disconnect()

    # --- the tablet's loop -----------------------------------------------------------------

    def write_note(self, n: int) -> None:
        words = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(3, 25)))
        note = Note(str(uuid.uuid4()), f"T{self.index} #{n}: {words}", time.monotonic())
        with self.lock:
            self.outbox[note.client_id] = note
            self.written[note.client_id] = note

    def send(self, note: Note) -> None:
        note.attempts += 1
        if note.attempts > 1:
            with self.tally.lock:
                self.tally.resends += 1
        started = time.perf_counter()
        ack = self.request("create_post", {"client_id": note.client_id, "text": note.text})
        if ack is None:
            return  # resent later, same client_id
        if not ack.get("ok"):
            code = ack.get("error", {}).get("code")
            with self.tally.lock:
                self.tally.refused[code] += 1
            if code != "internal":  # a refusal will not change; "internal" may (retry)
                self.outbox.pop(note.client_id, None)
            return
        round_trip = (time.perf_counter() - started) * 1000
        post_id = ack["post"]["id"]
        with self.lock:
            first = self.acked.setdefault(note.client_id, post_id)
            self.ack_mismatch += first != post_id
            self.outbox.pop(note.client_id, None)
        with self.tally.lock:
            self.tally.ack_ms.append(round_trip)
            self.tally.note_ms.append((time.monotonic() - note.written_at) * 1000)

    def run(self, period: float, stop: threading.Event) -> None:
        """Write notes on schedule (online or not), keep connected and in sync, send."""
        n = 0
        while not stop.is_set():
            now = time.monotonic()
            while self.writing and now >= self.next_note:
                n += 1
                self.write_note(n)
                self.next_note += period
            if self.conn is None or self.lost.is_set():
                self.conn = None
                if now < self.reconnect_at:
                    time.sleep(min(0.1, self.reconnect_at - now))
                elif not self.connect():  # the server is not back yet: try again soon
                    self.reconnect_at = time.monotonic() + self.rng.uniform(0.2, 0.6)
                continue
            gap = self.gap_since is not None and now - self.gap_since > GAP_GRACE
            if self.need_sync or gap:
                if gap and not self.need_sync:
                    with self.tally.lock:
                        self.tally.gap_syncs += 1
                if self.sync():
                    self.need_sync = False
                continue
            note = next(iter(self.outbox.values()), None)
            if note is not None:
                self.send(note)
                continue
            self.wake.clear()
            wait = self.next_note - time.monotonic() if self.writing else 0.2
            self.wake.wait(min(0.2, max(0.0, wait)))
        self.close()


# --- the run -------------------------------------------------------------------------------


def percentile(values: list, q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def server_cpu_seconds(server: PonteServer) -> float:
    try:
        fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / 100.0  # utime, stime in ticks
    except (OSError, AttributeError, IndexError):
        return 0.0


def faults(cfg: Config, site: "Site", tablets: list, stop: threading.Event, log: dict):
    """Drop DROP_FRACTION of the tablets every DROP_EVERY seconds; kill -9 once if asked."""
    rng = random.Random(cfg.seed + 1)
    start = time.monotonic()
    drops = [cfg.drop_every / 2 + k * cfg.drop_every for k in range(1000)]
    drops = [t for t in drops if t < cfg.duration - 2]
    kill_at = cfg.duration / 2 if cfg.kill else None
    if kill_at is not None:  # keep the kill and a drop round apart
        drops = [t for t in drops if abs(t - kill_at) > 2]
    per_round = max(1, round(cfg.clients * cfg.drop_fraction))
    while not stop.is_set():
        elapsed = time.monotonic() - start
        if drops and elapsed >= drops[0]:
            drops.pop(0)
            online = [t for t in tablets if t.conn is not None and not t.lost.is_set()]
            for tablet in rng.sample(online, min(per_round, len(online))):
                log["drop_modes"][tablet.drop(rng.uniform(0.5, 3.0))] += 1
                log["drops"] += 1
        if kill_at is not None and elapsed >= kill_at:
            kill_at = None
            server = site.target
            log["server_cpu"] += server_cpu_seconds(server)
            server.kill()
            log["kills"] += 1
            if site.cluster is not None:  # its tablets must move to the other process
                site.killed = server
            else:
                time.sleep(cfg.kill_downtime)
                try:
                    server.start()
                except RuntimeError as error:  # the run then fails to settle, and says why
                    log["restart_error"] = str(error)[-500:]
        stop.wait(0.1)


class Site:
    """Where the tablets go: one Ponte process on SQLite, or (``--cluster``) two processes on
    PostgreSQL and Redis behind nginx."""

    def __init__(self, cfg: Config, workdir: Path):
        self.cluster = PonteCluster(workdir) if cfg.cluster else None
        self.single = None if cfg.cluster else PonteServer(workdir)
        self.target: PonteServer | None = None  # the process --kill kills
        self.killed: PonteServer | None = None

    def start(self) -> dict:
        if self.cluster is not None:
            return self.cluster.start()
        demo = self.single.seed_demo()
        self.single.start()
        self.target = self.single
        return demo

    def stop(self) -> None:
        (self.cluster or self.single).stop()

    @property
    def servers(self) -> list[PonteServer]:
        return self.cluster.servers if self.cluster is not None else [self.single]

    @property
    def entry_url(self) -> str:
        return self.cluster.nginx.url if self.cluster is not None else self.single.url

    @property
    def survivor(self) -> PonteServer:
        return next(s for s in self.servers if s is not self.killed)

    @property
    def database_url(self) -> str:
        return self.servers[0].env["PONTE_DATABASE_URL"]

    def connect(self, tablets: list) -> dict:
        """Connect every tablet. In a cluster: the first half through nginx, which puts them
        on one process (the target); the rest straight to the other process."""
        through_proxy = tablets[: (len(tablets) + 1) // 2] if self.cluster else tablets
        for tablet in through_proxy:
            if not tablet.connect():
                raise RuntimeError(f"tablet {tablet.index} could not connect")
        if self.cluster is None:
            return {}
        held = {s.port: self.cluster.nginx.connections_to(s.port) for s in self.servers}
        self.target = max(self.servers, key=lambda s: held[s.port])
        other = next(s for s in self.servers if s is not self.target)
        for tablet in tablets[len(through_proxy) :]:
            tablet.url = other.url
            if not tablet.connect():
                raise RuntimeError(f"tablet {tablet.index} could not connect to {other.url}")
        return {"through_nginx": len(through_proxy), "held_before_direct": list(held.values())}


def run(cfg: Config) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        site = Site(cfg, Path(tmp))
        try:
            live = site.start()["sessions"][0]
            return exercise(cfg, site, live["join_code"])
        finally:
            site.stop()


def join_all(cfg: Config, site: Site, code: str, tally: Tally) -> list:
    http = requests.Session()
    tablets = []
    for n in range(cfg.clients):
        body = {"code": code, "name": f"Tablet {n}", "role": "migrant", "language": "it"}
        answer = http.post(site.entry_url + "/api/join", json=body, timeout=10)
        answer.raise_for_status()
        joined = answer.json()
        tablets.append(Tablet(n, site.entry_url, joined, tally, random.Random(cfg.seed + n)))
    for tablet in tablets:
        tablet.start_from(tablet.load_board(http))
    return tablets


def exercise(cfg: Config, site: Site, code: str) -> dict:
    tally = Tally()
    tablets = join_all(cfg, site, code, tally)
    placement = site.connect(tablets)
    period = cfg.clients / cfg.rate
    log = {"drops": 0, "kills": 0, "drop_modes": Counter(), "server_cpu": 0.0}
    stop, stop_faults = threading.Event(), threading.Event()
    cpu0, wall0 = cpu_seconds(), time.monotonic()
    for tablet in tablets:
        tablet.next_note = wall0 + tablet.rng.uniform(0, period)
    threads = [threading.Thread(target=t.run, args=(period, stop), daemon=True) for t in tablets]
    fault_thread = threading.Thread(
        target=faults, args=(cfg, site, tablets, stop_faults, log), daemon=True
    )
    for thread in [*threads, fault_thread]:
        thread.start()
    time.sleep(cfg.duration)
    stop_faults.set()
    fault_thread.join(60)
    for tablet in tablets:
        tablet.writing = False
    settled = settle(cfg, tablets)
    stop.set()
    for thread in threads:
        thread.join(15)
    wall = time.monotonic() - wall0
    cpu = cpu_seconds() - cpu0
    log["server_cpu"] += sum(server_cpu_seconds(s) for s in site.servers if s is not site.killed)
    result = check(tablets, site)
    for tablet in tablets:
        tablet.close()
    figures = summarize(cfg, tally, log, result, tablets, wall, cpu, settled)
    if site.cluster is not None:
        moved = sum(t.url == site.entry_url and t.connects > 1 for t in tablets)
        figures["cluster"] = {
            **placement,
            "processes": len(site.servers),
            "killed_port": site.killed.port if site.killed else None,
            "proxy_tablets_reconnected": moved,
        }
    return figures


def settle(cfg: Config, tablets: list) -> float:
    """Let outboxes empty and live events arrive; return how long it took."""
    start = time.monotonic()
    while time.monotonic() - start < cfg.drain:
        busy = any(t.outbox or t.pending or t.conn is None or t.lost.is_set() for t in tablets)
        if not busy and len({t.last_seq for t in tablets}) == 1:
            time.sleep(1.0)  # anything still in flight arrives
            if all(not t.pending for t in tablets) and len({t.last_seq for t in tablets}) == 1:
                break
        time.sleep(0.2)
    return time.monotonic() - start


def reference_log(url: str, token: str) -> tuple[dict, int]:
    """Every event of the session, as a participant may see it, from a fresh connection."""
    conn = socketio.Client(reconnection=False)
    conn.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=5)
    events, since = {}, 0
    try:
        while True:
            answer = conn.call("sync", {"since": since}, timeout=30)
            events.update({e["seq"]: fingerprint(e["type"], e["data"]) for e in answer["events"]})
            since = answer["seq"]
            if not answer["more"]:
                return events, since
    finally:
        conn.disconnect()


def check(tablets: list, site: Site) -> dict:
    session_id = tablets[0].session_id
    engine = sa.create_engine(site.database_url, poolclass=sa.pool.NullPool)
    with engine.connect() as db:
        rows = db.execute(
            sa.text("SELECT client_id, id FROM post WHERE session_id = :id"), {"id": session_id}
        ).all()
    engine.dispose()
    stored = Counter(cid for cid, _ in rows)
    db_ids = dict(rows)
    with ThreadPoolExecutor(4) as pool:
        boards = list(pool.map(lambda t: t.load_board(requests.Session()), tablets))
    reference, latest = reference_log(site.survivor.url, tablets[0].token)
    board_ids = {p["id"] for p in boards[0]["posts"]}
    on_board = Counter(p["client_id"] for p in boards[0]["posts"])
    lost = 0
    divergent_view, divergent_stream = [], []
    for tablet, board in zip(tablets, boards, strict=True):
        shown = {(p["client_id"], p["id"]) for p in board["posts"]}
        for client_id, post_id in tablet.acked.items():
            lost += db_ids.get(client_id) != post_id or (client_id, post_id) not in shown
        if tablet.view != {p["id"] for p in board["posts"]}:
            divergent_view.append(tablet.index)
        mine = {s: f for s, f in tablet.applied.items() if f[0] != "seq_advanced"}
        theirs = {s: f for s, f in reference.items() if s > tablet.start_seq}
        if mine != theirs or tablet.last_seq != latest:
            divergent_stream.append(tablet.index)
    duplicated = sum(n - 1 for n in stored.values() if n > 1)
    duplicated += sum(n - 1 for n in on_board.values() if n > 1)
    duplicated += sum(t.ack_mismatch for t in tablets)
    return {
        "lost": lost,
        "duplicated": duplicated,
        "divergent": len(set(divergent_view) | set(divergent_stream)),
        "divergent_view": len(divergent_view),
        "divergent_stream": len(divergent_stream),
        "posts_on_board": len(board_ids),
        "posts_in_db": sum(stored.values()),
        "log_seq": latest,
    }


def summarize(cfg, tally, log, result, tablets, wall, cpu, settled) -> dict:
    written = sum(len(t.written) for t in tablets)
    acked = sum(len(t.acked) for t in tablets)
    return {
        "clients": cfg.clients,
        "duration_s": cfg.duration,
        "rate_per_s": cfg.rate,
        "attempted": written,
        "acked": acked,
        "unacked": written - acked,
        "refused": dict(tally.refused),
        **result,
        "reconnects": tally.reconnects,
        "drops": log["drops"],
        "drop_mode": dict(log["drop_modes"]),
        "kills": log["kills"],
        **({"restart_error": log["restart_error"]} if "restart_error" in log else {}),
        "resends": tally.resends,
        "syncs": tally.syncs,
        "gap_syncs": tally.gap_syncs,
        "ack_p50_ms": round(percentile(tally.ack_ms, 50), 1),
        "ack_p95_ms": round(percentile(tally.ack_ms, 95), 1),
        "ack_p99_ms": round(percentile(tally.ack_ms, 99), 1),
        "ack_max_ms": round(max(tally.ack_ms, default=0.0), 1),
        "note_to_ack_p50_ms": round(percentile(tally.note_ms, 50), 1),
        "note_to_ack_p99_ms": round(percentile(tally.note_ms, 99), 1),
        "note_to_ack_max_ms": round(max(tally.note_ms, default=0.0), 1),
        "settle_s": round(settled, 1),
        "wall_s": round(wall, 1),
        "generator_cpu_pct": round(100 * cpu / wall, 1),
        "server_cpu_pct": round(100 * log["server_cpu"] / wall, 1),
    }


def report(figures: dict) -> str:
    f = figures
    return "\n".join(
        [
            f"{f['clients']} tablets, {f['duration_s']:.0f} s at {f['rate_per_s']} notes/s",
            f"  notes      attempted {f['attempted']}, acked {f['acked']}, "
            f"unacked {f['unacked']}, refused {sum(f['refused'].values())}",
            f"  LOST {f['lost']}  DUPLICATED {f['duplicated']}  DIVERGENT {f['divergent']} "
            f"(view {f['divergent_view']}, stream {f['divergent_stream']})",
            f"  board      {f['posts_on_board']} posts (db {f['posts_in_db']}), log seq "
            f"{f['log_seq']}",
            f"  faults     {f['drops']} drops {f['drop_mode']}, {f['kills']} kill -9, "
            f"{f['reconnects']} reconnects, {f['resends']} resends, {f['syncs']} syncs "
            f"({f['gap_syncs']} after a gap)",
            f"  ack        p50 {f['ack_p50_ms']} ms, p95 {f['ack_p95_ms']} ms, "
            f"p99 {f['ack_p99_ms']} ms, max {f['ack_max_ms']} ms",
            f"  note->ack  p50 {f['note_to_ack_p50_ms']} ms, p99 {f['note_to_ack_p99_ms']} ms, "
            f"max {f['note_to_ack_max_ms']} ms (outages included)",
            f"  cpu        generator {f['generator_cpu_pct']}% of a core, "
            f"server {f['server_cpu_pct']}% (wall {f['wall_s']} s, settle {f['settle_s']} s)",
            *([f"  cluster    {f['cluster']}"] if "cluster" in f else []),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=60)
    parser.add_argument("--duration", type=float, default=180.0, help="seconds of posting")
    parser.add_argument("--rate", type=float, default=10.0, help="notes per second, all tablets")
    parser.add_argument("--drop-every", type=float, default=60.0, help="seconds between drops")
    parser.add_argument("--drop-fraction", type=float, default=0.05)
    parser.add_argument("--kill", action="store_true", help="kill -9 the server once, half-way")
    parser.add_argument(
        "--cluster", action="store_true", help="two processes, PostgreSQL, Redis, nginx"
    )
    parser.add_argument("--drain", type=float, default=30.0, help="max seconds to settle")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 200 and 1 <= args.duration <= 900 and 0 < args.rate <= 100):
        parser.error("stay within 1-200 clients, 1-900 s, 0-100 notes/s")
    cfg = Config(
        clients=args.clients,
        duration=args.duration,
        rate=args.rate,
        drop_every=args.drop_every,
        drop_fraction=args.drop_fraction,
        kill=args.kill,
        drain=args.drain,
        seed=args.seed,
        cluster=args.cluster,
    )
    figures = run(cfg)
    print(report(figures), flush=True)
    if args.json:
        print(json.dumps(figures), flush=True)
    return 1 if figures["lost"] or figures["duplicated"] or figures["divergent"] else 0


if __name__ == "__main__":
    sys.exit(main())
