"""A real Ponte server process on 127.0.0.1, for browser, restart and load tests."""

import json
import os
import signal
import socket
import subprocess
import sys
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
