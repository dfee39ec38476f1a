"""Past one machine: two Ponte processes on one PostgreSQL and one Redis, behind nginx.

Everything here is real and started by the test: PostgreSQL (initdb into a temp folder),
redis-server, nginx with the sample configuration of docs/deploy/nginx.conf, two
``flask serve`` processes and an RQ publication worker (``flask worker``).
"""

import json
import re
import subprocess
import sys
import threading
import time
import uuid

import pytest
import requests
import socketio

from tests.servers import REPO, PonteCluster, established_connections


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = PonteCluster(tmp_path_factory.mktemp("cluster"))
    try:
        cluster.demo = cluster.start()
        yield cluster
    finally:
        cluster.stop()


def join(url: str, code: str, name: str) -> dict:
    body = {"code": code, "name": name, "role": "migrant", "language": "it"}
    answer = requests.post(url + "/api/join", json=body, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


class Screen:
    """A tablet's live connection: every post_created it receives, by client_id."""

    def __init__(self, url: str, token: str, session_id: int):
        self.received: dict[str, int] = {}
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        self.client.on("post_created", self._on_post)
        self.client.connect(
            f"{url}?session={session_id}",
            auth={"token": token},
            transports=["websocket"],
            wait_timeout=10,
        )

    def _on_post(self, data):
        with self.lock:
            self.received[data["post"]["client_id"]] = data["seq"]

    def post(self, text: str) -> str:
        client_id = str(uuid.uuid4())
        ack = self.client.call("create_post", {"client_id": client_id, "text": text}, timeout=10)
        assert ack["ok"], ack
        return client_id


def csrf_token(page: str) -> str:
    field = re.search(r'<input\b[^>]*name="csrf_token"[^>]*>', page).group(0)
    return re.search(r'value="([^"]+)"', field).group(1)


def logged_in(url: str, email: str, password: str) -> requests.Session:
    """A browser-like HTTP session logged in on ``url`` (any process: the cookie is shared)."""
    http = requests.Session()
    form = http.get(f"{url}/login", timeout=10).text
    answer = http.post(
        f"{url}/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(form)},
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[-500:]
    return http


def wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_posts_on_one_process_reach_tablets_on_the_other(cluster):
    live = cluster.demo["sessions"][0]
    a, b = cluster.servers
    screens = [
        Screen(server.url, join(server.url, live["join_code"], f"{server.port}-{n}")["token"],
               live["id"])
        for server in (a, b)
        for n in range(3)
    ]  # fmt: skip
    try:
        assert established_connections(a.port) >= 3 and established_connections(b.port) >= 3
        posted = [screen.post(f"note from tablet {n}") for n, screen in enumerate(screens)]
        # Every tablet hears every post live, whichever process took it: no sync needed.
        assert wait_until(lambda: all(set(posted) <= set(s.received) for s in screens)), [
            len(set(posted) & set(s.received)) for s in screens
        ]
        seqs = {client_id: {s.received[client_id] for s in screens} for client_id in posted}
        assert all(len(seen) == 1 for seen in seqs.values()), seqs  # one order for all
        assert len({next(iter(seen)) for seen in seqs.values()}) == len(posted)
    finally:
        for screen in screens:
            screen.client.disconnect()


def test_the_trainer_on_one_process_moderates_tablets_on_the_other(cluster):
    live = cluster.demo["sessions"][0]
    a, b = cluster.servers
    tablet = Screen(b.url, join(b.url, live["join_code"], "Ali")["token"], live["id"])
    hidden = []
    tablet.client.on("post_hidden", lambda data: hidden.append(data["post_id"]))
    facilitator = cluster.demo["facilitator"]
    trainer = logged_in(b.url, facilitator["email"], facilitator["password"])  # used on A
    console = socketio.Client(reconnection=False, http_session=trainer)
    console.connect(
        f"{a.url}?session={live['id']}",
        auth={"session_id": live["id"]},
        transports=["websocket"],
        wait_timeout=10,
    )
    try:
        client_id = tablet.post("a note to hide")
        board = trainer.get(f"{a.url}/api/sessions/{live['id']}/board", timeout=10).json()
        post_id = next(p["id"] for p in board["posts"] if p["client_id"] == client_id)
        ack = console.call("hide_post", {"post_id": post_id}, timeout=10)
        assert ack["ok"], ack
        assert wait_until(lambda: post_id in hidden)
    finally:
        console.disconnect()
        tablet.client.disconnect()


def test_a_publication_asked_on_one_process_is_rendered_by_the_rq_worker(cluster):
    cluster.start_worker()
    a, b = cluster.servers
    # The demo's trainer may not publish: staff may. Make a staff account on process B.
    cluster.servers[1].run_in_app(
        "from workshops.services import create_account\n"
        "create_account('staff@cluster.example', 'Staff', 'a long password', 'staff')"
    )
    staff = logged_in(a.url, "staff@cluster.example", "a long password")
    page = staff.get(f"{a.url}/workshops/{cluster.demo['workshop_id']}/publications", timeout=10)
    token = csrf_token(page.text)
    asked = staff.post(
        f"{b.url}/workshops/{cluster.demo['workshop_id']}/publications",
        data={"kind": "report", "edition": "it", "csrf_token": token},
        timeout=10,
        allow_redirects=False,
    )
    assert asked.status_code == 302, asked.text[-500:]
    job_id = int(asked.headers["Location"].split("job=")[1])

    def state():
        return staff.get(f"{a.url}/api/publication-jobs/{job_id}", timeout=10).json()

    assert wait_until(lambda: state()["state"] in ("done", "failed"), timeout=90), state()
    assert state()["state"] == "done", (cluster.workdir / "worker.log").read_text()[-3000:]
    publication_id = state()["publication_id"]
    pdf = staff.get(f"{b.url}/publications/{publication_id}/download", timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_killed_process_loses_nothing_its_tablets_move_to_the_other():
    """bench/load_fault.py --cluster: half the tablets reach process X through nginx, half
    connect straight to Y; they post through drops; X is killed for good half-way."""
    run = subprocess.run(
        [
            sys.executable,
            "bench/load_fault.py",
            "--cluster",
            *("--clients", "12", "--duration", "20", "--rate", "6"),
            *("--drop-every", "5", "--drain", "60", "--kill", "--json"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.stdout.strip(), run.stderr[-3000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    summary = run.stdout + run.stderr[-2000:]
    cluster = figures["cluster"]
    assert cluster["processes"] == 2 and cluster["through_nginx"] == 6, summary
    assert sorted(cluster["held_before_direct"]) == [0, 6], summary  # nginx: one process
    assert figures["kills"] == 1 and cluster["killed_port"], summary
    assert cluster["proxy_tablets_reconnected"] == 6, summary  # all moved to the survivor
    assert (figures["lost"], figures["duplicated"], figures["divergent"]) == (0, 0, 0), summary
    assert figures["attempted"] >= 100 and figures["unacked"] == 0, summary
    assert figures["refused"] == {}, summary
    assert run.returncode == 0, summary


def test_the_documented_postgresql_backup_restores_everything(cluster):
    """docs/operations.md: pg_dump --format=custom while Ponte runs, pg_restore elsewhere."""
    pg = cluster.postgres
    connection = ["-h", "127.0.0.1", "-p", str(pg.port), "-U", "ponte"]
    dump = cluster.workdir / "ponte.dump"
    subprocess.run(
        [pg.bin / "pg_dump", *connection, "--format=custom", "--dbname=ponte", f"--file={dump}"],
        check=True,
        timeout=60,
    )
    pg.sql("CREATE DATABASE ponte_restored OWNER ponte")
    subprocess.run(
        [pg.bin / "pg_restore", *connection, "--dbname=ponte_restored", "--no-owner", dump],
        check=True,
        timeout=60,
    )
    for table in (
        "post",
        "session_event",
        "participant",
        "account",
        "prototype",
        "alembic_version",
    ):
        count = f"SELECT count(*) FROM {table}"
        original = pg.sql(count, database="ponte")
        assert pg.sql(count, database="ponte_restored") == original, table
        assert table == "alembic_version" or int(original) > 0, table
