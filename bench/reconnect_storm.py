"""How long 200 tablets take to catch up after they all lost their connection at once.

Starts a real Ponte on 127.0.0.1 (fresh SQLite file) with one live session, and joins
TABLETS tablets (asyncio clients, spread over GENERATORS processes) and one posting tablet.
Each tablet keeps the highest seq it has applied, as the protocol says: live events extend
it when they follow on, ``sync {since}`` answers (repeated while ``more``) set it. The
poster posts notes at RATE per second throughout. After 2 s, every tablet's connection is
dropped at once (the TCP connection is reset: no WebSocket close frame, no Engine.IO close
packet); OUTAGE seconds later all reconnect at once, each with a new connection, and call
``sync`` from their last seq. The poster goes on for TAIL seconds more.

A tablet is in sync when its seq reaches the last seq the server had acknowledged when the
reconnection began (every note posted before then, including those posted while it was
away). Prints, per run, p50/p99 of the per-tablet time from the reconnection to being in
sync, the time until ALL were, the connect times, and failures: tablets that could not
reconnect or sync, or that did not end up with every note up to the server's last seq once
posting stopped (must be 0). Then the medians of the runs. Generator processes' and the
server's CPU (% of one core) are printed, in the storm (from the reconnection until all
were in sync) and from the drop to the end; above 70% for a generator process, the run is
flagged as load-generator bound. So is the share of the storm during which other work kept
some task waiting for a CPU (/proc/pressure/cpu). Loopback only; every wait
has a timeout; the server is stopped whatever happens.

    .venv/bin/python bench/reconnect_storm.py [--tablets 200] [--runs 3] [--rate 20]
        [--outage 3] [--tail 3] [--generators 2]
"""

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.clients import (  # noqa: E402
    CONNECTING_AT_ONCE,
    CpuSamples,
    abort_connection,
    connect,
    cpu_percent,
    cpu_pressure_seconds,
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

CONNECTED_BEFORE_DROP = 2.0  # seconds of normal posting before the drop
CATCH_UP_LIMIT = 60.0  # after the poster stops, how long tablets may take to have everything
RETRY_PAUSE = 0.5  # a tablet that could not reconnect tries again after this


class Tablet:
    """One tablet: its connection, the last seq it applied, and the notes it holds."""

    def __init__(self, url: str, token: str):
        self.url = url
        self.token = token
        self.client = None
        self.last_seq = 0
        self.live_seqs: set[int] = set()  # seqs of live events not yet followed on
        self.notes: set[str] = set()  # client_ids of the notes it holds
        self.progress: list[tuple[float, int]] = []  # (time, last_seq) each time it moves
        self.connected_at: float | None = None
        self.failed_attempts = 0
        self.error: str | None = None

    async def connect_and_sync(self) -> None:
        """Open a new connection and catch up from the last seq, as a tablet does."""
        self.client = await connect(self.url, {"token": self.token}, {"*": self.on_event})
        self.connected_at = time.monotonic()
        await self.sync()

    async def reconnect(self, deadline: float) -> None:
        """Reconnect and sync, trying again until ``deadline``, as the tablet's page does."""
        while True:
            try:
                await self.connect_and_sync()
                return
            except Exception as error:
                self.failed_attempts += 1
                self.error = repr(error)
                if self.client is not None:
                    await disconnect_all([self.client])
                if time.monotonic() + RETRY_PAUSE > deadline:
                    return
                await asyncio.sleep(RETRY_PAUSE)

    async def sync(self) -> None:
        while True:
            answer = await self.client.call("sync", {"since": self.last_seq}, timeout=30)
            if not answer.get("ok"):
                raise RuntimeError(f"sync refused: {answer}")
            for event in answer["events"]:
                if event["type"] == "post_created":
                    self.notes.add(event["data"]["post"]["client_id"])
            self.move_to(max(self.last_seq, answer["seq"]))
            if not answer["more"]:
                return

    def on_event(self, event, data=None):
        """Any live event: note it, and move on if it follows the last seq applied."""
        if not isinstance(data, dict) or not isinstance(data.get("seq"), int):
            return
        if event == "post_created":
            self.notes.add(data["post"]["client_id"])
        self.live_seqs.add(data["seq"])
        self.move_to(self.last_seq)

    def move_to(self, seq: int) -> None:
        while seq + 1 in self.live_seqs:
            seq += 1
        self.live_seqs = {s for s in self.live_seqs if s > seq}
        if seq > self.last_seq:
            self.last_seq = seq
            self.progress.append((time.monotonic(), seq))

    def in_sync_at(self, since: float, seq: int) -> float | None:
        """When, after ``since``, the tablet first had everything up to ``seq``."""
        return next((t for t, s in self.progress if t >= since and s >= seq), None)


# --- one generator process: the tablets that drop and come back ----------------------------


def tablets_process(conn, url: str, tokens: list[str]) -> None:
    asyncio.run(_tablets(conn, url, tokens))


async def _tablets(conn, url, tokens):
    tablets = [Tablet(url, token) for token in tokens]
    connecting = asyncio.Semaphore(CONNECTING_AT_ONCE)

    async def first_connection(tablet):
        async with connecting:
            await tablet.connect_and_sync()

    outcomes = await asyncio.gather(*(first_connection(t) for t in tablets), return_exceptions=True)
    errors = [repr(o) for o in outcomes if isinstance(o, BaseException)]
    conn.send(("ready", len(errors), errors[:3]))
    try:
        _, drop_at, reconnect_at, deadline = await next_message(conn)
        await asyncio.sleep(max(0.0, drop_at - time.monotonic()))
        cpu_start, wall_start = own_cpu_seconds(), time.monotonic()
        samples = CpuSamples(own_cpu_seconds)
        for tablet in tablets:
            abort_connection(tablet.client)
        await asyncio.sleep(max(0.0, reconnect_at - time.monotonic()))
        storm = asyncio.gather(*(t.reconnect(deadline) for t in tablets))
        _, target_seq, final_seq, notes = await next_message(conn)
        await asyncio.wait_for(storm, max(1.0, deadline - time.monotonic()))
        while time.monotonic() < deadline and any(t.last_seq < final_seq for t in tablets):
            await asyncio.sleep(0.05)
        cpu = own_cpu_seconds() - cpu_start
        wall = time.monotonic() - wall_start
        outcomes = [
            {
                "in_sync_at": t.in_sync_at(reconnect_at, target_seq),
                "connected_at": t.connected_at,
                "has_everything": t.last_seq >= final_seq and t.notes >= notes,
                "failed_attempts": t.failed_attempts,
                "error": t.error,
            }
            for t in tablets
        ]
        conn.send(("done", outcomes, cpu, wall, samples.stop()))
    finally:
        await disconnect_all([t.client for t in tablets if t.client is not None])


# --- the main process: the poster and the clock ----------------------------------------------


async def post_through_storm(url, token, generators, rate, outage, tail):
    """Post from before the drop until ``tail`` s after the reconnection; tell the tablets when."""
    poster = await connect(url, {"token": token}, {})
    start = time.monotonic() + 0.5
    drop_at = start + CONNECTED_BEFORE_DROP
    reconnect_at = drop_at + outage
    stop_at = reconnect_at + tail
    deadline = stop_at + CATCH_UP_LIMIT
    for _, conn in generators:
        conn.send(("plan", drop_at, reconnect_at, deadline))
    acks: list[tuple[float, int, str]] = []  # (when, seq, client_id)
    refused = []
    sent = 0
    cpu_start = own_cpu_seconds()
    while True:
        at = start + sent / rate
        if at >= stop_at:
            break
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        client_id = str(uuid.uuid4())

        def on_ack(answer, client_id=client_id):
            if answer.get("ok"):
                acks.append((time.monotonic(), answer["seq"], client_id))
            else:
                refused.append(answer)

        await poster.emit(
            "create_post", {"client_id": client_id, "text": f"note {sent}"}, callback=on_ack
        )
        sent += 1
    while len(acks) + len(refused) < sent and time.monotonic() < stop_at + 10:
        await asyncio.sleep(0.05)
    poster_cpu = (own_cpu_seconds() - cpu_start) / (time.monotonic() - start)
    target_seq = max(seq for when, seq, _ in acks if when <= reconnect_at)
    final_seq = max(seq for _, seq, _ in acks)
    notes = {client_id for _, _, client_id in acks}
    for _, conn in generators:
        conn.send(("final", target_seq, final_seq, notes))
    await disconnect_all([poster])
    return {
        "reconnect_at": reconnect_at,
        "deadline": deadline,
        "sent": sent,
        "refused": refused,
        "poster_cpu": poster_cpu * 100,
        "missed": sum(1 for when, _, _ in acks if drop_at <= when <= reconnect_at),
    }


def one_run(args) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        server = PonteServer(Path(tmp))
        generators = []
        try:
            (code,) = ponte_rooms(server, 1)
            server.start()
            tokens = join_tablets(server, code, args.tablets, "T")
            poster_token = join_tablets(server, code, 1, "Poster")[0]
            generators = start_generators(
                tablets_process, [(server.url, share) for share in split(tokens, args.generators)]
            )
            for _, conn in generators:
                _, failures, errors = receive(conn, 240)
                if failures:
                    raise RuntimeError(f"{failures} tablets could not connect, e.g. {errors}")
            pid = server.process.pid
            server_samples = CpuSamples(lambda: process_cpu_seconds(pid))
            pressure_samples = CpuSamples(cpu_pressure_seconds)
            posting = asyncio.run(
                post_through_storm(
                    server.url, poster_token, generators, args.rate, args.outage, args.tail
                )
            )
            reports = [
                receive(conn, posting["deadline"] + 30 - time.monotonic()) for _, conn in generators
            ]
            server_samples.stop()
            pressure_samples.stop()
        except Exception:
            print(f"Ponte's log (tail):\n{server.log()[-3000:]}", file=sys.stderr)
            raise
        finally:
            stop_generators(generators)
            server.stop()
    return summarize_run(posting, reports, server_samples.samples, pressure_samples.samples)


def summarize_run(posting: dict, reports: list, server_samples: list, pressure: list) -> dict:
    """The run's figures; CPU "in the storm" is from the reconnection until all were in sync."""
    reconnect_at = posting["reconnect_at"]
    tablets = [tablet for _, outcomes, _, _, _ in reports for tablet in outcomes]
    storm_end = max((t["in_sync_at"] for t in tablets if t["in_sync_at"]), default=reconnect_at)
    in_sync = [(t["in_sync_at"] - reconnect_at) * 1000 for t in tablets if t["in_sync_at"]]
    connected = [(t["connected_at"] - reconnect_at) * 1000 for t in tablets if t["connected_at"]]
    failures = [t for t in tablets if not t["in_sync_at"] or not t["has_everything"]]
    errors = [t["error"] for t in tablets if t["error"]]
    if errors:
        print(f"    e.g. {errors[0]}", flush=True)
    if posting["refused"]:
        print(f"    {len(posting['refused'])} posts refused, e.g. {posting['refused'][0]}")
    return {
        "tablets": len(tablets),
        "in_sync_p50": percentile(in_sync, 50) if in_sync else None,
        "in_sync_p99": percentile(in_sync, 99) if in_sync else None,
        "all_in_sync": max(in_sync) if len(in_sync) == len(tablets) else None,
        "connect_p50": percentile(connected, 50) if connected else None,
        "connect_p99": percentile(connected, 99) if connected else None,
        "failures": len(failures),
        "failed_attempts": sum(t["failed_attempts"] for t in tablets),
        "missed_notes": posting["missed"],
        "server_cpu_storm": cpu_percent(server_samples, reconnect_at, storm_end),
        "cpu_wait_storm": cpu_percent(pressure, reconnect_at, storm_end),
        "generators_cpu_storm": [
            cpu_percent(samples, reconnect_at, storm_end) for *_, samples in reports
        ],
        "generators_cpu": [cpu / wall * 100 for _, _, cpu, wall, _ in reports],
        "poster_cpu": posting["poster_cpu"],
    }


def describe(result: dict) -> str:
    return (
        f"in sync p50 {ms(result['in_sync_p50'])} p99 {ms(result['in_sync_p99'])}, "
        f"all {ms(result['all_in_sync'])}; connected p50 {ms(result['connect_p50'])} "
        f"p99 {ms(result['connect_p99'])}; failures {result['failures']}/{result['tablets']} "
        f"(failed attempts {result['failed_attempts']}); notes posted while away "
        f"{result['missed_notes']}; in the storm: server CPU {pct(result['server_cpu_storm'])}, "
        f"generators {pcts(result['generators_cpu_storm'])}, CPU wait "
        f"{pct(result['cpu_wait_storm'])}; drop to end: generators "
        f"{pcts(result['generators_cpu'])}, poster {pct(result['poster_cpu'])}"
    )


def pct(value) -> str:
    return "-" if value is None else f"{value:.0f}%"


def pcts(values) -> str:
    return " ".join(pct(v) for v in values)


def ms(value) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tablets", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rate", type=float, default=20.0, help="notes per second")
    parser.add_argument("--outage", type=float, default=3.0, help="seconds without connection")
    parser.add_argument("--tail", type=float, default=3.0, help="posting after the reconnection")
    parser.add_argument("--generators", type=int, default=2, help="tablet processes")
    args = parser.parse_args()
    print(
        f"{args.tablets} tablets in one session, notes at {args.rate:g}/s, outage "
        f"{args.outage:g}s, {args.generators} tablet processes; load average {load_average()}",
        flush=True,
    )
    runs = []
    for number in range(args.runs):
        result = one_run(args)
        runs.append(result)
        print(f"run {number + 1}: {describe(result)}", flush=True)
    print(f"\nmedians of {args.runs} run(s), from the moment all tablets reconnect at once:")
    for key, label in (
        ("in_sync_p50", "in sync, p50 per tablet"),
        ("in_sync_p99", "in sync, p99 per tablet"),
        ("all_in_sync", "ALL tablets in sync"),
        ("connect_p50", "connected, p50"),
        ("connect_p99", "connected, p99"),
    ):
        print(f"  {label:26} {ms(median(r[key] for r in runs)):>9}")
    print(f"  {'failures (must be 0)':26} {max(r['failures'] for r in runs):>9} (worst run)")
    print(f"  {'failed connect attempts':26} {max(r['failed_attempts'] for r in runs):>9} (worst)")
    print(f"  {'notes posted while away':26} {median(r['missed_notes'] for r in runs):>9}")
    print(f"  {'server CPU in the storm':26} {pct(median(r['server_cpu_storm'] for r in runs)):>9}")
    storm = [cpu for r in runs for cpu in r["generators_cpu_storm"]]
    whole = [cpu for r in runs for cpu in r["generators_cpu"]]
    print(f"  {'generator CPU in the storm':26} {pcts(storm)} (each process, each run)")
    print(f"  {'generator CPU drop to end':26} {pcts(whole)}")
    print(f"  {'poster CPU':26} {pct(median(r['poster_cpu'] for r in runs)):>9}")
    waits = [r["cpu_wait_storm"] for r in runs]
    print(f"  {'CPU wait in the storm':26} {pcts(waits)} (each run: other work on the machine)")
    print("  (in the storm: from the reconnection until all tablets were in sync)")
    print(generator_verdict(storm + whole))
    print(machine_verdict(waits))
    print(f"load average at the end {load_average()}")


if __name__ == "__main__":
    main()
