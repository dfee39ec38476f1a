"""Ponte's broadcast latency against its floor: a bare Flask-SocketIO server run the same way.

Starts, on 127.0.0.1, bench/echo_server.py (the floor: gevent, simple-websocket, no
database) and a real Ponte (fresh SQLite file), and puts both under the same load, one after
the other within each run: listening tablets connected to rooms (Ponte: live sessions) plus
one posting tablet per room, posting notes at RATE per second in all. For each note it takes
the time from the poster's emit to the moment the LAST listening tablet of its room received
``post_created`` (delivered to all), and prints p50 and p99 of it for the floor and for
Ponte, and Ponte/floor. Scenarios:

  200     200 listening tablets in one room (the goal: Ponte p99 <= 1.3x floor and <= 60 ms)
  400     400 listening tablets in one room
  20x15   20 rooms of 15 listening tablets, one poster per room, posting in turn: 20 posts/s
          in total is 1 post/s per room, a region with 20 live sessions

Tablets are asyncio clients spread over GENERATORS processes; each process's CPU (% of one
core, while notes are posted) is printed, and a figure taken while one was above 70% is
flagged as load-generator bound. The servers' own CPU comes from /proc/<pid>/stat, and the
share of the time other work kept some task waiting for a CPU from /proc/pressure/cpu.
Loopback only; every wait has a timeout; the servers are stopped whatever happens.
Prints each run, then the medians of the runs (p50, p99 and the slowest note).

    .venv/bin/python bench/broadcast_floor.py [--scenario all|200|400|20x15] [--runs 3]
        [--count 300 | --seconds 15] [--rate 20] [--generators 2]
"""

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.clients import (  # noqa: E402
    CONNECTING_AT_ONCE,
    EchoServer,
    connect,
    cpu_pressure_seconds,
    cpu_wait_percent,
    disconnect_all,
    generator_verdict,
    join_tablets,
    load_average,
    machine_verdict,
    median,
    next_message,
    own_cpu_seconds,
    percentile,
    ponte_rooms,
    process_cpu_seconds,
    receive,
    split,
    start_generators,
    stop_generators,
)
from tests.servers import PonteServer  # noqa: E402

GOAL_RATIO = 1.3
GOAL_P99_MS = 60.0
DRAIN_SECONDS = 10.0  # how long after the last post the listeners wait for stragglers


@dataclass(frozen=True)
class Scenario:
    name: str
    rooms: int
    listeners_per_room: int


SCENARIOS = {
    "200": Scenario("200 tablets, 1 room", 1, 200),
    "400": Scenario("400 tablets, 1 room", 1, 400),
    "20x15": Scenario("20 rooms x 15 tablets", 20, 15),
}


@dataclass(frozen=True)
class Room:
    """How the poster and the listeners of one room authenticate."""

    poster: dict
    listeners: list[dict]


# --- one generator process: listening tablets ---------------------------------------------


def listen(conn, url: str, tablets: list[tuple[dict, int]]) -> None:
    """Connect these (auth, room) tablets, then time every post_created they receive."""
    asyncio.run(_listen(conn, url, tablets))


async def _listen(conn, url, tablets):
    arrivals: dict[str, list] = {}  # client_id -> [receipts, last arrival]
    expected: dict[str, int] = {}  # client_id -> how many of our tablets must receive it
    missing = [0]
    everything = asyncio.Event()

    def on_post(data):
        now = time.monotonic()
        client_id = data["post"]["client_id"]
        got = arrivals.setdefault(client_id, [0, now])
        got[0] += 1
        got[1] = now
        if client_id in expected:
            missing[0] -= 1
            if missing[0] == 0:
                everything.set()

    connecting = asyncio.Semaphore(CONNECTING_AT_ONCE)

    async def one(auth):
        async with connecting:
            return await connect(url, auth, {"post_created": on_post})

    outcomes = await asyncio.gather(*(one(auth) for auth, _ in tablets), return_exceptions=True)
    clients = [c for c in outcomes if not isinstance(c, BaseException)]
    connected_per_room: dict[int, int] = {}
    for (_, room), outcome in zip(tablets, outcomes, strict=True):
        if not isinstance(outcome, BaseException):
            connected_per_room[room] = connected_per_room.get(room, 0) + 1
    errors = [repr(o) for o in outcomes if isinstance(o, BaseException)]
    conn.send(("ready", connected_per_room, errors[:3], len(errors)))
    try:
        _, plan, deadline = await next_message(conn)
        cpu_start, wall_start = own_cpu_seconds(), time.monotonic()
        for client_id, room in plan.items():
            expected[client_id] = connected_per_room.get(room, 0)
        missing[0] = sum(expected.values()) - sum(arrivals[c][0] for c in expected if c in arrivals)
        if missing[0] <= 0:
            everything.set()
        try:
            await asyncio.wait_for(everything.wait(), max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            pass
        cpu = own_cpu_seconds() - cpu_start
        wall = time.monotonic() - wall_start
        conn.send(("done", arrivals, cpu, wall))
    finally:
        await disconnect_all(clients)


# --- the main process: the posters ---------------------------------------------------------


async def post_notes(url, rooms, plan, rate, generators, server_pid):
    """Post the planned notes at ``rate`` per second, in turn over the rooms' posters."""
    posters = [await connect(url, room.poster, {}) for room in rooms]
    sent_at: dict[str, float] = {}
    acked_at: dict[str, float] = {}
    refused: list = []
    first_post = time.monotonic() + 0.5
    deadline = first_post + len(plan) / rate + DRAIN_SECONDS
    for _, conn in generators:
        conn.send(("go", plan, deadline))
    cpu_start = own_cpu_seconds()
    server_start = process_cpu_seconds(server_pid)
    pressure_start = cpu_pressure_seconds()
    for number, (client_id, room) in enumerate(plan.items()):
        await asyncio.sleep(max(0.0, first_post + number / rate - time.monotonic()))

        def on_ack(answer, client_id=client_id):
            acked_at[client_id] = time.monotonic()
            if not answer.get("ok"):
                refused.append(answer)

        sent_at[client_id] = time.monotonic()
        await posters[room].emit(
            "create_post", {"client_id": client_id, "text": f"note {number}"}, callback=on_ack
        )
    while len(acked_at) < len(plan) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    poster_cpu = (own_cpu_seconds() - cpu_start) / (time.monotonic() - first_post)
    await disconnect_all(posters)
    return sent_at, acked_at, refused, poster_cpu, first_post, server_start, pressure_start


def measure(url: str, server_pid: int, rooms: list[Room], count: int, rate: float, processes):
    """One run against one server: connect, post ``count`` notes, time the deliveries."""
    tablets = [(auth, n) for n, room in enumerate(rooms) for auth in room.listeners]
    generators = start_generators(listen, [(url, share) for share in split(tablets, processes)])
    try:
        connected: dict[int, int] = {}
        for _, conn in generators:
            _, per_room, errors, failures = receive(conn, 180)
            if failures:
                raise RuntimeError(f"{failures} tablets could not connect, e.g. {errors}")
            for room, n in per_room.items():
                connected[room] = connected.get(room, 0) + n
        plan = {str(uuid.uuid4()): n % len(rooms) for n in range(count)}
        sent_at, acked_at, refused, poster_cpu, first_post, server_start, pressure_start = (
            asyncio.run(post_notes(url, rooms, plan, rate, generators, server_pid))
        )
        reports = [
            receive(conn, first_post + count / rate + DRAIN_SECONDS + 60 - time.monotonic())
            for _, conn in generators
        ]
        window = time.monotonic() - first_post
        server_cpu = (process_cpu_seconds(server_pid) - server_start) / window
        cpu_wait = cpu_wait_percent(pressure_start, window)
    finally:
        stop_generators(generators)
    to_all = []
    for client_id, room in plan.items():
        got = [r[1][client_id] for r in reports if client_id in r[1]]
        if sum(receipts for receipts, _ in got) == connected[room]:
            to_all.append((max(last for _, last in got) - sent_at[client_id]) * 1000)
    acks = [(acked_at[c] - sent_at[c]) * 1000 for c in acked_at]
    if refused:
        print(f"    {len(refused)} posts refused, e.g. {refused[0]}", flush=True)
    return {
        "delivered": len(to_all),
        "posts": count,
        "p50": percentile(to_all, 50) if to_all else None,
        "p99": percentile(to_all, 99) if to_all else None,
        "max": max(to_all) if to_all else None,
        "ack_p50": percentile(acks, 50) if acks else None,
        "server_cpu": server_cpu * 100,
        "generators_cpu": [cpu / wall * 100 for _, _, cpu, wall in reports],
        "poster_cpu": poster_cpu * 100,
        "cpu_wait": cpu_wait,
    }


# --- scenarios ------------------------------------------------------------------------------


def run_scenario(scenario: Scenario, args) -> list[dict]:
    """Start both servers, then, in each run, measure the floor and then Ponte."""
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        echo = EchoServer(Path(tmp))
        ponte = PonteServer(Path(tmp))
        try:
            codes = ponte_rooms(ponte, scenario.rooms)
            echo.start()
            ponte.start()
            setup_start = time.monotonic()
            ponte_rooms_ = [
                Room(
                    {"token": join_tablets(ponte, code, 1, "Poster")[0]},
                    [
                        {"token": token}
                        for token in join_tablets(ponte, code, scenario.listeners_per_room, "T")
                    ],
                )
                for code in codes
            ]
            print(f"  joined Ponte's tablets in {time.monotonic() - setup_start:.1f}s", flush=True)
            echo_rooms = [
                Room({"room": f"room-{n}"}, [{"room": f"room-{n}"}] * scenario.listeners_per_room)
                for n in range(scenario.rooms)
            ]
            for number in range(args.runs):
                run = {}
                for name, server, rooms in (
                    ("floor", echo, echo_rooms),
                    ("Ponte", ponte, ponte_rooms_),
                ):
                    time.sleep(1)  # let the last run's disconnects settle
                    run[name] = measure(
                        server.url,
                        server.process.pid,
                        rooms,
                        args.count,
                        args.rate,
                        args.generators,
                    )
                    print(f"  run {number + 1} {name:5}: {describe(run[name])}", flush=True)
                print(f"  run {number + 1} Ponte/floor: {ratios(run['floor'], run['Ponte'])}")
                runs.append(run)
        except Exception:
            print(f"Ponte's log (tail):\n{ponte.log()[-3000:]}", file=sys.stderr)
            raise
        finally:
            echo.stop()
            ponte.stop()
    return runs


def describe(result: dict) -> str:
    generators = " ".join(f"{cpu:.0f}%" for cpu in result["generators_cpu"])
    return (
        f"to all p50 {ms(result['p50'])} p99 {ms(result['p99'])} max {ms(result['max'])}, "
        f"ack p50 {ms(result['ack_p50'])}, delivered {result['delivered']}/{result['posts']}, "
        f"server CPU {result['server_cpu']:.0f}%, generators {generators}, "
        f"poster {result['poster_cpu']:.0f}%, CPU wait {percent(result['cpu_wait'])}"
    )


def percent(value) -> str:
    return "-" if value is None else f"{value:.0f}%"


def ms(value) -> str:
    return "-" if value is None else f"{value:.1f} ms"


def ratio(ponte, floor) -> float | None:
    return None if ponte is None or not floor else ponte / floor


def ratios(floor: dict, ponte: dict) -> str:
    p50, p99 = ratio(ponte["p50"], floor["p50"]), ratio(ponte["p99"], floor["p99"])
    return f"p50 {times(p50)}, p99 {times(p99)}"


def times(value) -> str:
    return "-" if value is None else f"{value:.2f}x"


COLUMNS = (
    ("scenario", 22),
    ("server", 6),
    ("p50", 6),
    ("p99", 6),
    ("max", 6),
    ("ack p50", 8),
    ("delivered", 10),
    ("server CPU", 10),
    ("generators", 11),
    ("poster", 7),
    ("CPU wait", 9),
)


def table_row(cells) -> str:
    return " ".join(
        f"{cell:{width}}" if n < 2 else f"{cell:>{width}}"
        for n, (cell, (_, width)) in enumerate(zip(cells, COLUMNS, strict=True))
    ).rstrip()


def summarize(scenario: Scenario, runs: list[dict]) -> list[str]:
    """Table rows: the medians of the runs for the floor and Ponte, then Ponte/floor."""
    rows = []
    for name in ("floor", "Ponte"):
        results = [run[name] for run in runs]

        def middle(key, results=results):
            return median(r[key] for r in results)

        busiest = median(max(r["generators_cpu"]) for r in results)
        worst = max(max(r["generators_cpu"]) for r in results)
        rows.append(
            table_row(
                (
                    scenario.name if name == "floor" else "",
                    name,
                    num(middle("p50")),
                    num(middle("p99")),
                    num(middle("max")),
                    num(middle("ack_p50")),
                    f"{min(r['delivered'] for r in results)}/{results[0]['posts']}",
                    percent(middle("server_cpu")),
                    f"{percent(busiest)} ({percent(worst)})",
                    percent(middle("poster_cpu")),
                    percent(middle("cpu_wait")),
                )
            )
        )
    p50 = median(ratio(run["Ponte"]["p50"], run["floor"]["p50"]) for run in runs)
    p99 = median(ratio(run["Ponte"]["p99"], run["floor"]["p99"]) for run in runs)
    maxima = median(ratio(run["Ponte"]["max"], run["floor"]["max"]) for run in runs)
    rows.append(table_row(("", "ratio", times(p50), times(p99), times(maxima), *[""] * 6)))
    return rows


def num(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=["all", *SCENARIOS], default="all")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=None, help="notes per run (default 300)")
    parser.add_argument("--seconds", type=float, default=None, help="or: seconds of posting")
    parser.add_argument("--rate", type=float, default=20.0, help="notes per second, in all")
    parser.add_argument("--generators", type=int, default=2, help="listening processes")
    args = parser.parse_args()
    if args.count is None:
        args.count = int(args.seconds * args.rate) if args.seconds else 300
    chosen = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    print(
        f"{args.count} notes per run at {args.rate:g}/s in all, {args.runs} run(s), "
        f"{args.generators} listening processes + the posters' process; "
        f"load average {load_average()}",
        flush=True,
    )
    table = []
    verdicts = []
    for key in chosen:
        scenario = SCENARIOS[key]
        print(f"{scenario.name} ({scenario.rooms} room(s), 1 poster each):", flush=True)
        runs = run_scenario(scenario, args)
        table += summarize(scenario, runs)
        generators = [cpu for run in runs for r in run.values() for cpu in r["generators_cpu"]]
        verdicts.append(f"{scenario.name}: {generator_verdict(generators)}")
        waits = [r["cpu_wait"] for run in runs for r in run.values()]
        verdicts.append(f"{scenario.name}: {machine_verdict(waits)}")
        if key == "200":
            verdicts.append(goal(runs))
    print(f"\nmedians of {args.runs} run(s):")
    print("  p50/p99/max: ms from the poster's emit to the last tablet of the room receiving it")
    print("  ack p50: ms from the emit to the poster's ack; ratio: Ponte/floor, median of runs")
    print("  CPU, % of one core while posting: the server; the busiest listening process")
    print("  (worst run); the posters' process. CPU wait: share of the time some task on the")
    print("  machine waited for a CPU (Linux PSI): other work competing for the 2 cores")
    print(table_row(name for name, _ in COLUMNS))
    for row in table:
        print(row)
    print()
    for verdict in verdicts:
        print(verdict)
    print(f"load average at the end {load_average()}")


def goal(runs: list[dict]) -> str:
    p99 = median(run["Ponte"]["p99"] for run in runs)
    p99_ratio = median(ratio(run["Ponte"]["p99"], run["floor"]["p99"]) for run in runs)
    met = p99 is not None and p99_ratio is not None
    met = met and p99 <= GOAL_P99_MS and p99_ratio <= GOAL_RATIO
    return (
        f"goal (200 tablets: Ponte p99 <= {GOAL_RATIO}x floor and <= {GOAL_P99_MS:.0f} ms): "
        f"{'MET' if met else 'NOT MET'} (p99 {num(p99)} ms, {times(p99_ratio)} the floor)"
    )


if __name__ == "__main__":
    main()
