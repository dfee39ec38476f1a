"""A real Ponte server process on 127.0.0.1, for browser, restart and load tests."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PonteServer:
    """``flask --app app serve`` on a free loopback port with its own SQLite file."""

    def __init__(self, workdir: Path, port: int | None = None, env: dict | None = None):
        self.workdir = workdir
        self.port = port or free_port()
        self.tls_cert = (env or {}).get("PONTE_TLS_CERT")
        scheme = "https" if self.tls_cert else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.log_path = workdir / "server.log"
        self.env = {
            **os.environ,
            "PONTE_DATABASE_URL": f"sqlite:///{workdir / 'ponte.sqlite3'}",
            "PONTE_SECRET_KEY": "browser-test-secret",
            "PONTE_PUBLIC_URL": self.url,
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None

    def seed_demo(self) -> dict:
        """Create the schema and the demo process; return seed-demo's JSON."""
        out = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "seed-demo", "--json"],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    def run_in_app(self, body: str) -> None:
        """Run Python lines in an app context of this server's database, from another process.

        ``body`` sees ``db``, ``session(id)`` (a WorkshopSession) and ``staff(id)`` (a Viewer of
        the session's trainer) and writes under ``writing()``; it is committed at the end.
        """
        script = (
            "from app import create_app\n"
            "from ponte.database import writing\n"
            "from ponte.extensions import db\n"
            "from sessions import facilitation, services, voting\n"
            "from sessions.access import Viewer\n"
            "from sessions.models import WorkshopSession\n"
            "def session(i): return db.session.get(WorkshopSession, i)\n"
            "def staff(i): return Viewer(session_id=i, role='staff', name='Staff', language='it',"
            " account_id=session(i).trainer_id)\n"
            "with create_app().app_context(), writing():\n"
            + "".join(f"    {line}\n" for line in body.strip().splitlines())
            + "    db.session.commit()\n"
        )
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=REPO,
            env=self.env,
            check=True,
            timeout=60,
            capture_output=True,
        )

    def close_session(self, session_id: int) -> None:
        """Close a session the way the trainer's button does, from another process."""
        self.run_in_app(f"services.close_session(session({int(session_id)}))")

    def start(self, timeout: float = 20) -> None:
        with open(self.log_path, "a") as log:  # the child keeps its own copy of the file
            self.process = subprocess.Popen(
                # The documented command; it execs ``python -m ponte.server`` in the same pid.
                [sys.executable, "-m", "flask", "--app", "app", "serve", "--port", str(self.port)],
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ponte exited at start:\n{self.log_path.read_text()[-3000:]}")
            try:
                answer = requests.get(self.url + "/join", timeout=1, verify=self.tls_cert or True)
                if answer.status_code == 200:
                    time.sleep(0.2)
                    if self.process.poll() is not None:  # another server holds the port
                        raise RuntimeError(f"Ponte exited: {self.log_path.read_text()[-2000:]}")
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError(f"Ponte did not answer within {timeout}s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def kill(self) -> None:
        """kill -9: no shutdown, no flush, no goodbye."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


def _as_postgres_user() -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its commands as the postgres user."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class PostgresServer:
    """A private PostgreSQL instance (initdb into ``workdir``) on a free loopback port.

    Uses Debian's server binaries (``postgresql`` package, installed by scripts/setup.sh test).
    ``durable=False`` turns fsync off: for tests, never for figures.
    """

    def __init__(self, durable: bool = True):
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
        if not versions:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = versions[-1].parent
        # Its own folder under /tmp: the postgres user cannot enter pytest's (mode 0700) folders.
        self.workdir = Path(tempfile.mkdtemp(prefix="ponte-postgres-"))
        self.data = self.workdir / "pgdata"
        self.port = free_port()
        self.durable = durable
        self.process: subprocess.Popen | None = None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://ponte@127.0.0.1:{self.port}/{database}"

    def start(self, timeout: float = 30) -> None:
        self.workdir.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres", "postgres")
        subprocess.run(
            [
                *_as_postgres_user(),
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "ponte",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        settings = [
            "-c",
            f"port={self.port}",
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            f"unix_socket_directories={self.workdir}",
            "-c",
            "max_connections=200",
        ]
        if not self.durable:
            settings += [
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ]
        log = open(self.workdir / "postgres.log", "a")  # noqa: SIM115 (kept by the child)
        self.process = subprocess.Popen(
            [*_as_postgres_user(), str(self.bin / "postgres"), "-D", str(self.data), *settings],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = subprocess.run(
                [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                capture_output=True,
            )
            if ready.returncode == 0:
                return
            if self.process.poll() is not None:
                raise RuntimeError((self.workdir / "postgres.log").read_text()[-2000:])
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not start in time")

    def sql(self, statement: str, database: str = "postgres") -> str:
        done = subprocess.run(
            [
                str(self.bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "ponte",
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-Atc",
                statement,
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout.strip()

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create a database (optionally as a copy of ``template``); return its URL."""
        copy = f" TEMPLATE {template}" if template else ""
        self.sql(f"CREATE DATABASE {name}{copy}")
        return self.url(name)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # SIGINT: "fast" shutdown. The child runs as postgres, so signal through its group.
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        shutil.rmtree(self.workdir, ignore_errors=True)


class RedisServer:
    """A private ``redis-server`` (Debian package) on a free loopback port, no persistence."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 10) -> None:
        server = shutil.which("redis-server")
        if server is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                server,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=open(self.workdir / "redis.log", "a"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start in time")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


NGINX_SAMPLE = REPO / "docs" / "deploy" / "nginx.conf"


class NginxProxy:
    """nginx (Debian package) on a free loopback port, running the sample configuration of
    docs/deploy/nginx.conf with the test's upstream ports and without TLS."""

    def __init__(self, workdir: Path, upstream_ports: list[int]):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.upstream_ports = upstream_ports
        self.process: subprocess.Popen | None = None

    def site_config(self) -> str:
        """The sample, with this test's ports: the routing rules are the documented ones."""
        lines = []
        for line in NGINX_SAMPLE.read_text().splitlines():
            stripped = line.strip()
            if stripped.startswith("server 127.0.0.1:5001"):
                lines += [
                    line.replace("127.0.0.1:5001", f"127.0.0.1:{port}")
                    for port in self.upstream_ports
                ]
            elif stripped.startswith(("server 127.0.0.1:", "ssl_certificate")):
                continue
            else:
                lines.append(
                    line.replace("listen 443 ssl;", f"listen 127.0.0.1:{self.port};").replace(
                        "listen 80;", f"listen 127.0.0.1:{free_port()};"
                    )
                )
        return "\n".join(lines) + "\n"

    def start(self, timeout: float = 10) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "ponte.conf").write_text(self.site_config())
        temp = self.workdir / "temp"
        temp.mkdir(exist_ok=True)
        main = [
            "daemon off;",
            "master_process on;",
            "worker_processes 1;",
            "user root;" if os.geteuid() == 0 else "",
            f"pid {self.workdir / 'nginx.pid'};",
            f"error_log {self.workdir / 'error.log'} info;",
            "events { worker_connections 4096; }",
            "http {",
            f"  access_log {self.workdir / 'access.log'};",
            *(
                f"  {kind}_temp_path {temp / kind};"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            ),
            f"  include {self.workdir / 'ponte.conf'};",
            "}",
        ]
        (self.workdir / "nginx.conf").write_text("\n".join(main) + "\n")
        self.process = subprocess.Popen(
            [nginx, "-p", str(self.workdir), "-c", str(self.workdir / "nginx.conf")],
            stdout=open(self.workdir / "nginx.out", "a"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.workdir / "nginx.out").read_text()[-2000:])
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start in time")

    def connections_to(self, port: int) -> int:
        """nginx's established connections to the upstream on ``port``: the live sockets it
        holds there (page requests end at once)."""
        pids = {self.process.pid}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.add(int(stat.parent.name))  # a worker process
            except (OSError, IndexError, ValueError):
                continue
        inodes = set()
        for pid in pids:
            for fd in Path(f"/proc/{pid}/fd").glob("*"):
                try:
                    target = os.readlink(fd)
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        count = 0
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            remote, state, inode = fields[2], fields[3], fields[9]
            count += state == "01" and int(remote.split(":")[1], 16) == port and inode in inodes
        return count

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def established_connections(port: int) -> int:
    """TCP connections established to ``port`` on this machine (IPv4, from /proc)."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, _remote, state = line.split()[1:4]
        count += state == "01" and int(local.split(":")[1], 16) == port
    return count


class PonteCluster:
    """Several Ponte processes on one PostgreSQL and one Redis, behind nginx, as in
    docs/operations.md. ``durable=False`` runs PostgreSQL without fsync (tests only)."""

    def __init__(self, workdir: Path, processes: int = 2, durable: bool = False):
        self.workdir = workdir
        self.postgres = PostgresServer(durable=durable)
        self.redis = RedisServer(workdir / "redis")
        self.count = processes
        self.servers: list[PonteServer] = []
        self.nginx: NginxProxy | None = None
        self.worker: subprocess.Popen | None = None
        self.env: dict = {}

    def start(self) -> dict:
        """Start everything, load the demo process; return seed-demo's JSON."""
        self.postgres.start()
        self.redis.start()
        self.env = {
            "PONTE_DATABASE_URL": self.postgres.create_database("ponte"),
            "PONTE_REDIS_URL": self.redis.url,
            "PONTE_FILES_DIR": str(self.workdir / "files"),
            "PONTE_BEHIND_PROXY": "1",
        }
        self.servers = [
            PonteServer(self._folder(f"ponte-{n}"), env=self.env) for n in range(self.count)
        ]
        demo = self.servers[0].seed_demo()  # migrations, then the demo
        for server in self.servers:
            server.start()
        self.nginx = NginxProxy(self.workdir / "nginx", [s.port for s in self.servers])
        self.nginx.start()
        return demo

    def _folder(self, name: str) -> Path:
        folder = self.workdir / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def start_worker(self) -> None:
        """``flask worker``: an RQ worker on the cluster's Redis, for publication jobs."""
        env = {**self.servers[0].env}
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "worker"],
            cwd=REPO,
            env=env,
            stdout=open(self.workdir / "worker.log", "a"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        for part in [self.nginx, *self.servers]:
            if part is not None:
                part.stop()
        if self.worker is not None and self.worker.poll() is None:
            self.worker.terminate()
            self.worker.wait(20)
        self.redis.stop()
        self.postgres.stop()
