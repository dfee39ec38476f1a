"""How many posts per second Ponte persists and broadcasts while keeping p99 <= 50 ms.

Starts Ponte on 127.0.0.1, opens SESSIONS live listening sessions, each in a process
(workshop) of its own, and joins POSTERS posting tablets (spread over the sessions) and
LISTENERS listening tablets per session. Then it ramps the offered rate of ``create_post``
in steps (50, 100, ... posts/s in all, each step a short warm-up then SECONDS measured) and
prints, per step: the offered rate, the rate the tablets actually sent, the rate of ``ok``
acks received, ack p50/p99 (emit -> ack), delivered-to-all p50/p99 (emit -> the LAST
listening tablet of the session got ``post_created``), refusals, posts never acked, posts
acked but not delivered to every listener, and the CPU (% of one core) of each Ponte process,
of the database (PostgreSQL's processes; one that ended during the step is left out) or
Redis, and of each load-generator process. When posts were refused, the exceptions Ponte's
log reports are printed too.

Posting is open-loop: each generator process posts on a fixed schedule whatever the acks do,
so a slow server shows as latency and a lower acked rate, not as a politely slower client.
A step passes when its acked rate is >= 95% of the offered one, ack p99 <= 50 ms,
delivered-to-all p99 <= 50 ms and no post was refused, lost or left undelivered. The
"sustained" figure of a run is the highest passing step; the ramp stops after a step whose
acked rate falls below 95% (the server is saturated: higher steps only queue). Each run
starts from a fresh database; the medians of the runs' sustained figures are printed at the
end. The verdict of each step also says what bounds it, as far as the figures tell: how
many posts took over 50 ms and within how many of the measured seconds (one stall or a
queue), a Ponte process at >= 90% of a core (one process is one core: Python's GIL), a
generator over 70%, the machine's CPU, and an ack that reached its poster >= 10 ms after the
poster's own ``post_created`` (Nagle's algorithm holding the ack: a TCP_NODELAY regression).

Databases:

  sqlite      one Ponte process, the default SQLite file (WAL, synchronous=FULL)
  postgresql  one Ponte process on a private PostgreSQL with fsync on (durable=True)
  cluster     PonteCluster(durable=True): 2 Ponte processes, PostgreSQL with fsync on, Redis;
              each session's tablets connect straight to one process (sessions alternate), as
              nginx's session hash would place them; nginx runs but carries nothing.

Tablets are ``socketio.AsyncClient``s over WebSocket, whole sessions (posters and listeners)
to a generator process, so a post's emit and its deliveries are timed by the same process's
``time.monotonic()``. A step where a generator process used more than 70% of a core is marked
LOAD-GENERATOR BOUND; generators hold their garbage collector during a step, so its pauses
stay out of the timings. Everything (servers, database, generators) shares this machine's cores,
and so does whatever else runs on it: each step also prints the whole machine's CPU use (from
/proc/stat) and the verdict notes how much of it other processes took and how late a 5 ms
sleep of the main process woke (the wait for a CPU). Loopback only; every wait is bounded;
whatever is started is stopped.

    .venv/bin/python bench/sustained_writes.py [--database sqlite|postgresql|cluster]
        [--runs 3] [--steps 50,100,150,200,250,300,400,500] [--seconds 15] [--warmup 3]
        [--sessions 4] [--posters 20] [--listeners 10] [--generators 2]
"""

import argparse
import asyncio
import gc
import os
import re
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.clients import (  # noqa: E402
    CONNECTING_AT_ONCE,
    GENERATOR_CPU_LIMIT,
    connect,
    disconnect_all,
    join_tablets,
    load_average,
    median,
    next_message,
    own_cpu_seconds,
    percentile,
    process_cpu_seconds,
    receive,
    split,
    start_generators,
    stop_generators,
)
from tests.servers import PonteCluster, PonteServer, PostgresServer  # noqa: E402

STEPS = (50, 100, 150, 200, 250, 300, 400, 500)
P99_LIMIT_MS = 50.0
ACHIEVED_SHARE = 0.95
DRAIN_SECONDS = 5.0  # after a step's last post: how long acks and deliveries may straggle in
PAUSE_SECONDS = 1.0  # between steps
# A Ponte process above this share of one core is bound by its single Python thread.
PONTE_CPU_BUSY = 90.0
# Worth a note in a step's verdict: CPU used by processes this benchmark did not start (% of
# one core), and how late a 5 ms sleep of the main process woke (ms).
OTHERS_CPU_NOTE = 25.0
STALL_NOTE_MS = 20.0
# Worth a note: the ack reached the poster this much later (p50, ms) than the post_created the
# server wrote to the same tablet just before it.
NAGLE_NOTE_MS = 10.0


# --- what is measured: servers and their sessions -----------------------------------------


@dataclass
class Room:
    """One live session, the Ponte process its tablets connect to, and their tokens."""

    session_id: int
    code: str
    url: str
    posters: list[str]
    listeners: list[str]


class Deployment:
    """The Ponte process(es) and what they run on, for one database choice."""

    def __init__(self, database: str, workdir: Path):
        self.database = database
        self.workdir = workdir
        self.servers: list[PonteServer] = []
        self.postgres: PostgresServer | None = None
        self.cluster: PonteCluster | None = None

    def start(self) -> None:
        """Start everything, with the schema and the demo process loaded."""
        if self.database == "sqlite":
            self.servers = [PonteServer(self.workdir)]
            self.servers[0].seed_demo()
        elif self.database == "postgresql":
            self.postgres = PostgresServer(durable=True)
            self.postgres.start()
            url = self.postgres.create_database("ponte")
            self.servers = [PonteServer(self.workdir, env={"PONTE_DATABASE_URL": url})]
            self.servers[0].seed_demo()
        else:
            self.cluster = PonteCluster(self.workdir, processes=2, durable=True)
            self.cluster.start()  # seeds the demo
            self.postgres = self.cluster.postgres
            self.servers = self.cluster.servers
        if self.cluster is None:
            self.servers[0].start()

    def stop(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()
            return
        for server in self.servers:
            server.stop()
        if self.postgres is not None:
            self.postgres.stop()

    def describe(self) -> str:
        if self.postgres is None:
            return "SQLite file, WAL, synchronous=FULL (PONTE_SQLITE_SYNCHRONOUS default)"
        settings = ", ".join(
            f"{name}={self.postgres.sql(f'SHOW {name}')}"
            for name in ("fsync", "synchronous_commit", "full_page_writes", "wal_sync_method")
        )
        redis = ", Redis message queue" if self.cluster is not None else ""
        return f"PostgreSQL ({settings}){redis}, {len(self.servers)} Ponte process(es)"

    def helpers(self) -> dict[str, list[int]]:
        """The processes besides Ponte whose CPU matters: PostgreSQL's, Redis."""
        found = {}
        if self.postgres is not None and self.postgres.process is not None:
            found["pg"] = process_tree(self.postgres.process.pid)
        if self.cluster is not None and self.cluster.redis.process is not None:
            found["redis"] = [self.cluster.redis.process.pid]
        return found


def open_rooms(server: PonteServer, count: int) -> list[tuple[int, str]]:
    """Open ``count`` live listening sessions, each in a new process (workshop); (id, code)."""
    out = server.workdir / "rooms.txt"
    server.run_in_app(
        f"""
import sqlalchemy as sa
from ponte.demo import DEMO_EMAIL
from workshops import services as workshop_services
from workshops.models import Account
trainer = db.session.scalar(sa.select(Account).where(Account.email == DEMO_EMAIL))
rooms = []
for n in range({count}):
    workshop = workshop_services.create_workshop(f"Bench {{n + 1}}", "Prato", ["it"], trainer)
    ws = services.create_session(workshop, "listening", "Bench", trainer_id=trainer.id)
    services.open_session(ws)
    rooms.append(f"{{ws.id}} {{ws.join_code}}")
open({str(out)!r}, "w").write(chr(10).join(rooms))
"""
    )
    return [(int(n), code) for n, code in (line.split() for line in out.read_text().splitlines())]


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it ended meanwhile
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += children.get(current, [])
    return tree


def cpu_seconds_of(pids: list[int]) -> dict[int, float]:
    """CPU seconds of each of these processes that is still there."""
    seconds = {}
    for pid in pids:
        try:
            seconds[pid] = process_cpu_seconds(pid)
        except OSError:
            pass
    return seconds


def machine_cpu_seconds() -> float:
    """CPU seconds all processes of this machine spent busy (not idle, not waiting on I/O)."""
    with open("/proc/stat") as stat:
        fields = [int(f) for f in stat.readline().split()[1:9]]
    busy = sum(fields) - fields[3] - fields[4]  # minus idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def sleep_watching_stalls(until: float) -> list[float]:
    """Sleep until ``until`` in 5 ms naps; how late (ms) each nap woke: the CPU queue's wait."""
    late = []
    while (now := time.monotonic()) < until:
        time.sleep(0.005)
        late.append((time.monotonic() - now - 0.005) * 1000)
    return late


def cpu_share(before: dict[int, float], after: dict[int, float], wall: float) -> float:
    """% of one core used by the processes present both times."""
    return sum(after[pid] - before[pid] for pid in before if pid in after) / wall * 100


# --- one generator process: whole sessions, posting and listening ---------------------------


def generate(conn, rooms: list[Room]) -> None:
    """Connect these rooms' tablets, then run each step the main process asks for."""
    asyncio.run(_generate(conn, rooms))


class Received:
    """What this process's tablets received in the current step, by post (client_id)."""

    def __init__(self):
        self.listeners: dict[str, list] = {}  # -> [listening tablets that got it, last arrival]
        self.poster_of: dict[str, int] = {}  # -> the number of the poster that sent it
        self.by_poster: dict[str, float] = {}  # -> when that poster got its own post_created

    def on_listener(self, data):
        now = time.monotonic()
        got = self.listeners.setdefault(data["post"]["client_id"], [0, now])
        got[0] += 1
        got[1] = now

    def on_poster(self, number: int, data):
        client_id = data["post"]["client_id"]
        if self.poster_of.get(client_id) == number:
            self.by_poster[client_id] = time.monotonic()


async def _generate(conn, rooms: list[Room]):
    received = Received()
    connecting = asyncio.Semaphore(CONNECTING_AT_ONCE)

    async def one(url, token, handlers):
        async with connecting:
            return await connect(url, {"token": token}, handlers)

    # Posters in turn over the rooms, so consecutive posts go to different sessions.
    poster_slots = [
        (room, token)
        for n in range(max(len(r.posters) for r in rooms))
        for room, r in enumerate(rooms)
        for token in r.posters[n : n + 1]
    ]
    listener_slots = [(room, token) for room, r in enumerate(rooms) for token in r.listeners]
    outcomes = await asyncio.gather(
        *(
            one(rooms[room].url, token, {"post_created": partial(received.on_poster, number)})
            for number, (room, token) in enumerate(poster_slots)
        ),
        *(
            one(rooms[room].url, token, {"post_created": received.on_listener})
            for room, token in listener_slots
        ),
        return_exceptions=True,
    )
    clients = [c for c in outcomes if not isinstance(c, BaseException)]
    errors = [repr(o) for o in outcomes if isinstance(o, BaseException)]
    conn.send(("ready", len(clients), errors[:3]))
    try:
        if errors:
            return
        posters = [(room, client) for (room, _), client in zip(poster_slots, clients, strict=False)]
        listeners = [len(r.listeners) for r in rooms]
        while True:
            message = await next_message(conn)
            if message[0] == "stop":
                return
            _, rate, start, warmup, seconds = message
            received.__init__()  # a fresh step
            window = (start + warmup, start + warmup + seconds)
            # No collector pauses in the timings: a step makes few cycles; collect between.
            gc.disable()
            try:
                result = await post_step(posters, listeners, received, rate, start, window)
            finally:
                gc.enable()
            conn.send(("step", result))
            gc.collect()
    finally:
        await disconnect_all(clients)


async def post_step(posters, listeners, received: Received, rate, start, window) -> dict:
    """Post at ``rate`` from ``start`` to the window's end; time what the window's posts got."""
    sent: dict[str, tuple[float, int]] = {}  # client_id -> (emitted at, room)
    acked: dict[str, tuple[float, bool]] = {}  # client_id -> (acked at, ok)
    refusals: list = []
    lags: list[float] = []  # how late after its scheduled time each post left, ms
    cpu: list[tuple[float, float]] = []

    async def sample_cpu():
        for at in window:
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            cpu.append((time.monotonic(), own_cpu_seconds()))

    sampler = asyncio.create_task(sample_cpu())
    number = 0
    while (scheduled := start + number / rate) < window[1]:
        await asyncio.sleep(max(0.0, scheduled - time.monotonic()))
        poster = number % len(posters)
        room, client = posters[poster]
        client_id = str(uuid.uuid4())

        def on_ack(answer=None, client_id=client_id):
            ok = isinstance(answer, dict) and answer.get("ok") is True
            acked[client_id] = (time.monotonic(), ok)
            if not ok:
                refusals.append(answer)

        received.poster_of[client_id] = poster
        now = time.monotonic()
        sent[client_id] = (now, room)
        if now >= window[0]:
            lags.append((now - scheduled) * 1000)
        await client.emit(
            "create_post", {"client_id": client_id, "text": f"note {number}"}, callback=on_ack
        )
        number += 1
    await sampler

    measured = [c for c, (at, _) in sent.items() if window[0] <= at < window[1]]

    def delivered(client_id):
        return received.listeners.get(client_id, (0,))[0] >= listeners[sent[client_id][1]]

    deadline = window[1] + DRAIN_SECONDS
    while time.monotonic() < deadline and not all(
        c in acked and (not acked[c][1] or delivered(c)) for c in measured
    ):
        await asyncio.sleep(0.05)

    ok = [c for c in measured if c in acked and acked[c][1]]
    slow = [
        sent[c][0] - window[0]
        for c in ok
        if (acked[c][0] - sent[c][0]) * 1000 > P99_LIMIT_MS
        or not delivered(c)
        or (received.listeners[c][1] - sent[c][0]) * 1000 > P99_LIMIT_MS
    ]
    ack_after_own = [
        (acked[c][0] - received.by_poster[c]) * 1000 for c in ok if c in received.by_poster
    ]
    return {
        "sent": len(measured),
        "acked_in_window": sum(
            1 for at, good in acked.values() if good and window[0] <= at < window[1]
        ),
        "acks": [(acked[c][0] - sent[c][0]) * 1000 for c in ok],
        "to_all": [(received.listeners[c][1] - sent[c][0]) * 1000 for c in ok if delivered(c)],
        "ack_after_own": ack_after_own,
        "slow": slow,
        "refused": sum(1 for c in measured if c in acked and not acked[c][1]),
        "refusal": refusals[0] if refusals else None,
        "not_acked": sum(1 for c in measured if c not in acked),
        "undelivered": sum(1 for c in ok if not delivered(c)),
        "lag_p99": percentile(lags, 99) if lags else 0.0,
        "cpu": (cpu[1][1] - cpu[0][1]) / (cpu[1][0] - cpu[0][0]) * 100,
    }


# --- the main process: the ramp ----------------------------------------------------------


def one_run(args, number: int) -> dict:
    """Start a fresh deployment, ramp the offered rate, print the table; the run's figures."""
    with tempfile.TemporaryDirectory() as tmp:
        deployment = Deployment(args.database, Path(tmp))
        generators = []
        try:
            deployment.start()
            rooms = make_rooms(deployment, args)
            if number == 1:
                print(f"  {deployment.describe()}", flush=True)
            shares = split(rooms, args.generators)
            generators = start_generators(generate, [(share,) for share in shares])
            for _, conn in generators:
                _, connected, errors = receive(conn, 120)
                if errors:
                    raise RuntimeError(f"tablets could not connect, e.g. {errors}")
            steps = ramp(args, deployment, generators, shares)
            if any(step["refused"] for step in steps):
                for server in deployment.servers:
                    for line, count in server_errors(server.log()):
                        print(f"  Ponte's log, {count}x: {line}", flush=True)
        except Exception:
            for server in deployment.servers:
                print(f"Ponte's log (tail):\n{server.log()[-3000:]}", file=sys.stderr)
            raise
        finally:
            for _, conn in generators:
                try:
                    conn.send(("stop",))
                except OSError:
                    pass
            stop_generators(generators)
            deployment.stop()
    passing = [step["offered"] for step in steps if step["passed"]]
    return {"steps": steps, "sustained": max(passing) if passing else 0}


def server_errors(log: str) -> list[tuple[str, int]]:
    """The exceptions a Ponte log reports (the last line of each traceback), most frequent first."""
    found = Counter(
        line.strip()[:300]
        for line in log.splitlines()
        if re.match(r"([a-z_]\w*\.)+[A-Z]\w*: |[A-Z]\w*(Error|Exception)\b", line)
    )
    return found.most_common(3)


def make_rooms(deployment: Deployment, args) -> list[Room]:
    """Open the sessions and join their tablets; sessions alternate between Ponte processes."""
    opened = open_rooms(deployment.servers[0], args.sessions)
    rooms = []
    for n, (session_id, code) in enumerate(opened):
        server = deployment.servers[n % len(deployment.servers)]
        posters = args.posters // args.sessions + (n < args.posters % args.sessions)
        rooms.append(
            Room(
                session_id,
                code,
                server.url,
                join_tablets(server, code, posters, "Poster"),
                join_tablets(server, code, args.listeners, "Listener"),
            )
        )
    return rooms


def ramp(args, deployment: Deployment, generators, shares: list[list[Room]]) -> list[dict]:
    """Run the steps in order, printing each; stop once the server is saturated."""
    print(f"  {header()}", flush=True)
    steps = []
    posters = sum(len(r.posters) for r in sum(shares, []))
    for offered in args.steps:
        step = one_step(args, deployment, generators, shares, posters, offered)
        steps.append(step)
        print(f"  {row(step)}", flush=True)
        if step["refusal"] is not None:
            print(f"       e.g. refused: {step['refusal']}", flush=True)
        if step["acked_rate"] < ACHIEVED_SHARE * offered:
            break
        time.sleep(PAUSE_SECONDS)
    return steps


def one_step(args, deployment, generators, shares, posters, offered) -> dict:
    """Offer ``offered`` posts/s in all, split over the generators by their posters."""
    start = time.monotonic() + 0.3
    for n, ((_, conn), share) in enumerate(zip(generators, shares, strict=True)):
        rate = offered * sum(len(r.posters) for r in share) / posters
        # Stagger the generators' schedules so that the posts in all are evenly spaced.
        conn.send(("step", rate, start + n / offered, args.warmup, args.seconds))
    window = (start + args.warmup, start + args.warmup + args.seconds)
    ponte = [s.process.pid for s in deployment.servers]
    time.sleep(max(0.0, window[0] - time.monotonic()))
    helpers = deployment.helpers()
    before = cpu_seconds_of(ponte + sum(helpers.values(), []))
    machine_before = machine_cpu_seconds()
    began = time.monotonic()
    stalls = sleep_watching_stalls(window[1])
    # A database connection opened meanwhile is a new process: all its CPU time is this step's.
    helpers_after = deployment.helpers()
    after = cpu_seconds_of(ponte + sum(helpers_after.values(), []))
    before.update({pid: 0.0 for pid in after if pid not in before})
    machine = (machine_cpu_seconds() - machine_before) / (time.monotonic() - began) * 100
    wall = time.monotonic() - began
    results = [
        receive(conn, window[1] + DRAIN_SECONDS + 30 - time.monotonic())[1]
        for _, conn in generators
    ]
    acks = sum((r["acks"] for r in results), [])
    to_all = sum((r["to_all"] for r in results), [])
    ack_after_own = sum((r["ack_after_own"] for r in results), [])
    slow = sum((r["slow"] for r in results), [])
    step = {
        "offered": offered,
        "sent_rate": sum(r["sent"] for r in results) / args.seconds,
        "acked_rate": sum(r["acked_in_window"] for r in results) / args.seconds,
        "ack_p50": percentile(acks, 50) if acks else None,
        "ack_p99": percentile(acks, 99) if acks else None,
        "all_p50": percentile(to_all, 50) if to_all else None,
        "all_p99": percentile(to_all, 99) if to_all else None,
        "ack_after_own_p50": percentile(ack_after_own, 50) if ack_after_own else 0.0,
        "slow": len(slow),
        "slow_seconds": len({int(at) for at in slow}),
        "seconds": args.seconds,
        "refused": sum(r["refused"] for r in results),
        "refusal": next((r["refusal"] for r in results if r["refusal"] is not None), None),
        "not_acked": sum(r["not_acked"] for r in results),
        "undelivered": sum(r["undelivered"] for r in results),
        "lag_p99": max(r["lag_p99"] for r in results),
        "ponte_cpu": [cpu_share({p: before[p]}, after, wall) for p in ponte],
        "helpers_cpu": {
            name: cpu_share({p: before[p] for p in pids}, after, wall)
            for name, pids in helpers_after.items()
        },
        "generators_cpu": [r["cpu"] for r in results],
        "machine_cpu": machine,
        "stall_max": max(stalls, default=0.0),
    }
    step["passed"] = (
        step["acked_rate"] >= ACHIEVED_SHARE * offered
        and step["ack_p99"] is not None
        and step["ack_p99"] <= P99_LIMIT_MS
        and step["all_p99"] is not None
        and step["all_p99"] <= P99_LIMIT_MS
        and step["refused"] + step["not_acked"] + step["undelivered"] == 0
    )
    return step


def header() -> str:
    return (
        f"{'offered':>7} {'sent/s':>7} {'acked/s':>7} {'ack p50':>7} {'ack p99':>7}"
        f" {'all p50':>7} {'all p99':>7} {'refused':>7} {'no ack':>6} {'undeliv':>7}"
        f" {'Ponte CPU':>9} {'db/redis CPU':>12} {'gen CPU':>9} {'machine':>7}"
        "  verdict; what bounds it"
    )


def row(step: dict) -> str:
    ponte = "+".join(f"{cpu:.0f}" for cpu in step["ponte_cpu"]) + "%"
    helpers = " ".join(f"{name} {cpu:.0f}%" for name, cpu in step["helpers_cpu"].items()) or "-"
    generators = "+".join(f"{cpu:.0f}" for cpu in step["generators_cpu"]) + "%"
    return (
        f"{step['offered']:>7} {step['sent_rate']:>7.1f} {step['acked_rate']:>7.1f}"
        f" {ms(step['ack_p50'])} {ms(step['ack_p99'])} {ms(step['all_p50'])} {ms(step['all_p99'])}"
        f" {step['refused']:>7} {step['not_acked']:>6} {step['undelivered']:>7}"
        f" {ponte:>9} {helpers:>12} {generators:>9} {step['machine_cpu']:>6.0f}%  {verdict(step)}"
    )


def ms(value) -> str:
    return f"{'-':>7}" if value is None else f"{value:>7.1f}"


def verdict(step: dict) -> str:
    """PASS or why not, then the likely bound, read from the CPU figures."""
    reasons = []
    if step["acked_rate"] < ACHIEVED_SHARE * step["offered"]:
        reasons.append("rate")
    if step["ack_p99"] is None or step["ack_p99"] > P99_LIMIT_MS:
        reasons.append("ack p99")
    if step["all_p99"] is None or step["all_p99"] > P99_LIMIT_MS:
        reasons.append("delivery p99")
    if step["refused"] + step["not_acked"] + step["undelivered"]:
        reasons.append("lost/refused")
    bounds = []
    if step["slow"]:
        bounds.append(
            f"{step['slow']} posts over {P99_LIMIT_MS:.0f} ms, sent within "
            f"{step['slow_seconds']} of the {step['seconds']:g} s"
        )
    if max(step["generators_cpu"]) > GENERATOR_CPU_LIMIT:
        bounds.append("LOAD-GENERATOR BOUND")
    if step["ack_after_own_p50"] >= NAGLE_NOTE_MS:
        bounds.append(
            f"acks came {step['ack_after_own_p50']:.0f} ms (p50) after the poster's own "
            "post_created (Nagle + delayed ACK)"
        )
    if step["lag_p99"] > 5:
        bounds.append(f"posts left up to {step['lag_p99']:.0f} ms late")
    if max(step["ponte_cpu"]) >= PONTE_CPU_BUSY:
        bounds.append("Ponte process CPU (one core, GIL)")
    cores = 100 * (os.cpu_count() or 1)
    ours = sum(step["ponte_cpu"]) + sum(step["helpers_cpu"].values()) + sum(step["generators_cpu"])
    others = max(0.0, step["machine_cpu"] - ours)
    if step["machine_cpu"] >= 0.9 * cores:
        bounds.append(f"machine CPU full ({step['machine_cpu']:.0f}% of {cores}%)")
    if others >= OTHERS_CPU_NOTE:
        bounds.append(f"other processes on the machine used {others:.0f}%")
    if step["stall_max"] >= STALL_NOTE_MS:
        bounds.append(f"a thread waited up to {step['stall_max']:.0f} ms for a CPU")
    return ("PASS" if step["passed"] else "FAIL " + "+".join(reasons)) + (
        "; " + ", ".join(bounds) if bounds else ""
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "cluster"], default="sqlite")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--steps",
        type=lambda text: [int(s) for s in text.split(",")],
        default=list(STEPS),
        help="offered posts/s in all, comma-separated",
    )
    parser.add_argument("--seconds", type=float, default=15.0, help="measured per step")
    parser.add_argument("--warmup", type=float, default=3.0, help="posting before each window")
    parser.add_argument("--sessions", type=int, default=4, help="live sessions, one per process")
    parser.add_argument("--posters", type=int, default=20, help="posting tablets in all")
    parser.add_argument("--listeners", type=int, default=10, help="listening tablets per session")
    parser.add_argument("--generators", type=int, default=2, help="load-generator processes")
    args = parser.parse_args()
    if not args.sessions <= args.posters or not 1 <= args.generators <= args.sessions:
        parser.error("need sessions <= posters and 1 <= generators <= sessions")
    print(
        f"sustained writes on {args.database}: {args.sessions} sessions (one per workshop), "
        f"{args.posters} posting tablets, {args.listeners} listening tablets per session, "
        f"{args.generators} generator processes; steps {args.steps} posts/s, "
        f"{args.warmup:g} s warm-up + {args.seconds:g} s measured each; "
        f"pass = acked >= {ACHIEVED_SHARE:.0%} of offered, ack and delivered-to-all "
        f"p99 <= {P99_LIMIT_MS:.0f} ms, nothing refused or lost",
        flush=True,
    )
    print(
        f"this machine has {os.cpu_count()} cores, shared by Ponte, the database and the "
        f"load generators; CPU figures are % of one core; load average {load_average()}",
        flush=True,
    )
    runs = []
    for number in range(1, args.runs + 1):
        print(f"run {number} (times in ms):", flush=True)
        result = one_run(args, number)
        runs.append(result)
        print(f"  run {number}: sustained {result['sustained']} posts/s", flush=True)
    figures = [r["sustained"] for r in runs]
    print(
        f"sustained posts/s on {args.database} (p99 <= {P99_LIMIT_MS:.0f} ms): "
        f"median {median(figures):g} of runs {figures}"
    )
    generator_bound = [
        s["offered"]
        for r in runs
        for s in r["steps"]
        if max(s["generators_cpu"]) > GENERATOR_CPU_LIMIT
    ]
    if generator_bound:
        print(f"LOAD-GENERATOR BOUND at steps {sorted(set(generator_bound))} (some run)")
    print(f"load average at the end {load_average()}")


if __name__ == "__main__":
    main()
