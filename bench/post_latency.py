"""Time from create_post on one tablet to post_created on the others, against a real server.

Starts Ponte on 127.0.0.1 with a fresh SQLite file, joins LISTENERS tablets and one poster,
posts COUNT notes at RATE per second, and prints ack and delivery latencies (ms) and the
load generator's own CPU use. Loopback only, bounded in count and time.

    .venv/bin/python bench/post_latency.py [--listeners 20] [--count 200] [--rate 10] [--runs 3]
"""

import argparse
import os
import resource
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.servers import REPO, PonteServer  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def join(server, code, name):
    body = {"code": code, "name": name, "role": "migrant", "language": "it"}
    return requests.post(server.url + "/api/join", json=body, timeout=5).json()["token"]


def one_run(listeners: int, count: int, rate: float, rendering: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        server = PonteServer(Path(tmp))
        code = server.seed_demo()["sessions"][0]["join_code"]
        server.start()
        renders = _render_loop(server, Path(tmp)) if rendering else None
        try:
            return measure(server, code, listeners, count, rate)
        finally:
            if renders is not None:  # the loop and the render it is running
                os.killpg(renders.pid, signal.SIGTERM)
                renders.wait(10)
            server.stop()


def _render_loop(server, tmp: Path):
    """Render booklets back to back, as the worker would, on the same machine."""
    import subprocess

    loop = (
        "while true; do "
        f"{sys.executable} -m flask --app app publish booklet --workshop 1 --lang it+en "
        f"--out {tmp}/b.pdf >/dev/null 2>&1; done"
    )
    return subprocess.Popen(["bash", "-c", loop], cwd=REPO, env=server.env, start_new_session=True)


def measure(server, code, listeners, count, rate):
    sent_at: dict[str, float] = {}
    arrivals: dict[str, list[float]] = {}
    lock = threading.Lock()
    everyone_got = threading.Event()

    def on_post(data):
        now = time.perf_counter()
        with lock:
            got = arrivals.setdefault(data["post"]["client_id"], [])
            got.append(now)
            if len(arrivals) == count and all(len(v) == listeners for v in arrivals.values()):
                everyone_got.set()

    clients = []
    for n in range(listeners):
        client = socketio.Client(reconnection=False)
        client.on("post_created", on_post)
        client.connect(
            server.url, auth={"token": join(server, code, f"L{n}")}, transports=["websocket"]
        )
        clients.append(client)
    poster = socketio.Client(reconnection=False)
    poster.connect(
        server.url, auth={"token": join(server, code, "Poster")}, transports=["websocket"]
    )

    acks = []
    cpu_start = resource.getrusage(resource.RUSAGE_SELF)
    wall_start = time.perf_counter()
    for n in range(count):
        client_id = str(uuid.uuid4())
        start = time.perf_counter()
        sent_at[client_id] = start
        ack = poster.call("create_post", {"client_id": client_id, "text": f"note {n}"}, timeout=10)
        acks.append((time.perf_counter() - start) * 1000)
        assert ack["ok"], ack
        time.sleep(max(0.0, wall_start + (n + 1) / rate - time.perf_counter()))
    everyone_got.wait(30)
    wall = time.perf_counter() - wall_start
    cpu_end = resource.getrusage(resource.RUSAGE_SELF)
    for client in [*clients, poster]:
        client.disconnect()

    to_all = [
        (max(arrivals[c]) - t) * 1000
        for c, t in sent_at.items()
        if len(arrivals.get(c, [])) == listeners
    ]
    to_first = [(min(arrivals[c]) - t) * 1000 for c, t in sent_at.items() if arrivals.get(c)]
    cpu = (cpu_end.ru_utime + cpu_end.ru_stime - cpu_start.ru_utime - cpu_start.ru_stime) / wall
    return {
        "delivered": len(to_all),
        "ack_p50": percentile(acks, 50),
        "ack_p99": percentile(acks, 99),
        "first_p50": percentile(to_first, 50),
        "all_p50": percentile(to_all, 50),
        "all_p95": percentile(to_all, 95),
        "all_p99": percentile(to_all, 99),
        "loadgen_cpu": cpu * 100,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listeners", type=int, default=20)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--while-rendering", action="store_true", help="render booklets meanwhile, like the worker"
    )
    args = parser.parse_args()
    runs = []
    for n in range(args.runs):
        result = one_run(args.listeners, args.count, args.rate, args.while_rendering)
        runs.append(result)
        print(f"run {n + 1}: " + ", ".join(f"{k}={v:.1f}" for k, v in result.items()), flush=True)
    print(
        f"median of {args.runs} runs "
        f"({args.listeners} listeners, {args.count} posts at {args.rate}/s):"
    )
    for key in runs[0]:
        print(f"  {key:12} {statistics.median(r[key] for r in runs):8.1f}")


if __name__ == "__main__":
    main()
