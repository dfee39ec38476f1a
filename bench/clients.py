"""What the Socket.IO benchmarks share: servers on loopback, tablets, generator processes, CPU.

Tablets are ``socketio.AsyncClient``s (asyncio, aiohttp), many to a process, spread over a
few generator processes, so the load generator costs no thread per tablet. Times that cross
processes are ``time.monotonic()``: CLOCK_MONOTONIC, one clock for the whole machine.
"""

import asyncio
import json
import multiprocessing
import os
import resource
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import socketio

from tests.servers import REPO, PonteServer, free_port

BENCH = REPO / "bench"
# A generator process above this share of one core may be slowing what it measures.
GENERATOR_CPU_LIMIT = 70.0
CONNECT_TIMEOUT = 20.0
# Tablets connecting at once from one generator process while a benchmark sets up.
CONNECTING_AT_ONCE = 20


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


# --- servers ------------------------------------------------------------------------------


class EchoServer:
    """bench/echo_server.py on a free loopback port: the floor Ponte is measured against."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "echo.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 20) -> None:
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(BENCH / "echo_server.py"), "--port", str(self.port)],
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the echo server exited:\n{self.log_path.read_text()}")
            try:
                if requests.get(self.url + "/", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError(f"the echo server did not answer within {timeout}s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def ponte_rooms(server: PonteServer, count: int) -> list[str]:
    """Seed the demo process and open ``count`` fresh listening sessions in it; their codes."""
    demo = server.seed_demo()
    codes_path = server.workdir / "rooms.json"
    server.run_in_app(
        f"""
import json
from workshops.models import Workshop
workshop = db.session.get(Workshop, {demo["workshop_id"]})
trainer_id = session({demo["sessions"][0]["id"]}).trainer_id
codes = []
for n in range({count}):
    title = f"Bench room {{n + 1}}"
    ws = services.create_session(workshop, "listening", title, trainer_id=trainer_id)
    services.open_session(ws)
    codes.append(ws.join_code)
with open({str(codes_path)!r}, "w") as out:
    json.dump(codes, out)
"""
    )
    return json.loads(codes_path.read_text())


def join_tablets(server: PonteServer, code: str, count: int, name: str) -> list[str]:
    """Join ``count`` tablets to the session of ``code`` over HTTP; their tokens."""

    def join(number: int) -> str:
        body = {"code": code, "name": f"{name} {number}", "role": "migrant", "language": "it"}
        answer = requests.post(server.url + "/api/join", json=body, timeout=10)
        answer.raise_for_status()
        return answer.json()["token"]

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(join, range(count)))


# --- tablets --------------------------------------------------------------------------------


async def connect(url: str, auth: dict, handlers: dict) -> socketio.AsyncClient:
    """One tablet, over WebSocket only, with its event handlers; no automatic reconnection."""
    client = socketio.AsyncClient(reconnection=False)
    for event, handler in handlers.items():
        client.on(event, handler)
    await asyncio.wait_for(
        client.connect(url, auth=auth, transports=["websocket"], wait_timeout=int(CONNECT_TIMEOUT)),
        CONNECT_TIMEOUT,
    )
    return client


async def disconnect_all(clients, timeout: float = 15) -> None:
    async def one(client):
        try:
            await asyncio.wait_for(client.disconnect(), 5)
        except Exception:  # a tablet that is already gone has nothing to say goodbye to
            pass

    await asyncio.wait_for(asyncio.gather(*(one(c) for c in clients)), timeout)


def abort_connection(client: socketio.AsyncClient) -> None:
    """Drop a tablet's TCP connection on the spot: a reset, no WebSocket close frame, no
    Engine.IO close packet, as when a tablet loses the Wi-Fi (except that the server hears
    the reset at once instead of a silence)."""
    # engineio keeps the aiohttp WebSocket in ``eio.ws``; aiohttp keeps the connection under
    # it in ``_conn``. Neither offers a public way to abort.
    transport = client.eio.ws._conn.transport
    sock = transport.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


# --- generator processes ------------------------------------------------------------------


def start_generators(target, shares: list[tuple]) -> list[tuple]:
    """One process per share, running ``target(conn, *share)``; (process, conn) pairs."""
    context = multiprocessing.get_context("spawn")
    generators = []
    for share in shares:
        ours, theirs = context.Pipe()
        process = context.Process(target=target, args=(theirs, *share), daemon=True)
        process.start()
        theirs.close()
        generators.append((process, ours))
    return generators


def receive(conn, timeout: float):
    """The next message from a generator process, or TimeoutError."""
    if not conn.poll(max(0.0, timeout)):
        raise TimeoutError(f"no answer from a generator process within {timeout:.0f}s")
    return conn.recv()


def stop_generators(generators) -> None:
    for process, conn in generators:
        process.join(15)
        if process.is_alive():
            process.terminate()
            process.join(5)
        conn.close()


async def next_message(conn):
    """Wait for the main process's next message without blocking this process's tablets."""
    return await asyncio.to_thread(conn.recv)


def split(items: list, parts: int) -> list[list]:
    """Deal items round-robin into ``parts`` shares (fewer if there are fewer items)."""
    return [items[n::parts] for n in range(min(parts, len(items)))]


# --- CPU ------------------------------------------------------------------------------------


def own_cpu_seconds() -> float:
    """CPU time (user + system) of this process, all threads; it starts no children."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of another process, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()  # the name may contain spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuSamples:
    """A process's CPU seconds, read every 50 ms by a thread, to tell its use over any window."""

    def __init__(self, read_cpu_seconds, every: float = 0.05):
        self.samples: list[tuple[float, float]] = []  # (time.monotonic(), CPU seconds)
        self._stop = threading.Event()

        def sample():
            while not self._stop.is_set():
                self.samples.append((time.monotonic(), read_cpu_seconds()))
                self._stop.wait(every)

        threading.Thread(target=sample, daemon=True).start()

    def stop(self) -> list[tuple[float, float]]:
        self._stop.set()
        return self.samples


def cpu_percent(samples: list[tuple[float, float]], start: float, end: float) -> float | None:
    """% of one core used between ``start`` and ``end`` (the samples nearest inside); for
    samples of ``cpu_pressure_seconds``, the share of that time some task waited for a CPU."""
    inside = [(t, cpu) for t, cpu in samples if start <= t <= end and cpu is not None]
    if len(inside) < 2 or inside[-1][0] - inside[0][0] < 0.1:
        return None
    (t0, cpu0), (t1, cpu1) = inside[0], inside[-1]
    return (cpu1 - cpu0) / (t1 - t0) * 100


def cpu_pressure_seconds() -> float | None:
    """Seconds during which some runnable task waited for a CPU (Linux PSI), or None."""
    try:
        with open("/proc/pressure/cpu") as pressure:
            some = pressure.readline().split()
    except OSError:
        return None
    return int(some[-1].split("=")[1]) / 1e6


def cpu_wait_percent(start: float | None, seconds: float) -> float | None:
    """% of ``seconds`` during which some task waited for a CPU: other work on the machine."""
    end = cpu_pressure_seconds()
    return None if start is None or end is None else (end - start) / seconds * 100


def load_average() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


def generator_verdict(percents: list[float | None]) -> str:
    busiest = max(p for p in percents if p is not None)
    if busiest > GENERATOR_CPU_LIMIT:
        return (
            f"LOAD-GENERATOR BOUND: a generator process used {busiest:.0f}% of a core "
            f"(> {GENERATOR_CPU_LIMIT:.0f}%); its figures include its own queueing"
        )
    return f"load generator not the bound: busiest generator process {busiest:.0f}% of a core"


# Above this share of the time with some task waiting for a CPU, other work is in the figures.
BUSY_MACHINE_WAIT = 20.0


def machine_verdict(waits: list[float | None]) -> str:
    waits = [w for w in waits if w is not None]
    if not waits:
        return "CPU pressure unknown (no /proc/pressure/cpu)"
    worst = max(waits)
    if worst > BUSY_MACHINE_WAIT:
        return (
            f"BUSY MACHINE: some task waited for a CPU up to {worst:.0f}% of the time "
            f"(median {statistics.median(waits):.0f}%); other work inflates these figures"
        )
    return f"machine quiet enough: CPU wait at most {worst:.0f}% of the time"
