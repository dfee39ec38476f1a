"""PostgreSQL under gevent: a query never blocks the other tablets of a process, and writers
queue like on SQLite (same process: one after another; different processes: in parallel).

Runs in a child process patched by gevent, as ``flask serve`` is, on a private PostgreSQL.
"""

import json
import subprocess
import sys

import pytest

from tests.servers import REPO, PostgresServer

PROBE = r"""
from gevent import monkey
monkey.patch_all()

import contextlib, json, sys, time
import gevent
import sqlalchemy as sa
from app import create_app
from ponte.database import writing
from ponte.extensions import db

app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1]})
EVERYTHING = "everything"


def hold(scope, seconds):
    # scope: None (a reader), EVERYTHING (an HTTP request, the CLI), or a workshop id.
    with app.app_context():
        if scope is None:
            intent = contextlib.nullcontext()
        else:
            intent = writing(None if scope == EVERYTHING else scope)
        with intent:
            db.session.execute(sa.text("SELECT pg_sleep(:s)"), {"s": seconds})
            db.session.commit()


def together(*scopes, seconds=0.4):
    started = time.monotonic()
    gevent.joinall([gevent.spawn(hold, scope, seconds) for scope in scopes], raise_error=True)
    return round(time.monotonic() - started, 2)


ticks = 0
def ticker():
    global ticks
    while True:
        gevent.sleep(0.01)
        ticks += 1

clock = gevent.spawn(ticker)
hold(None, 0.01)  # connect once
ticks = 0
hold(None, 1.0)
ticks_during_a_1s_query = ticks
clock.kill()
print(json.dumps({
    "ticks_during_a_1s_query": ticks_during_a_1s_query,
    "two_readers": together(None, None),
    "same_workshop": together(1, 1),
    "other_workshops": together(1, 2),
    "workshop_and_everything": together(1, EVERYTHING),
    "everything_twice": together(EVERYTHING, EVERYTHING),
}))
"""


@pytest.fixture(scope="module")
def postgres():
    server = PostgresServer(durable=False)
    server.start()
    yield server
    server.stop()


def test_queries_yield_to_other_greenlets_and_writers_queue_per_process(postgres):
    url = postgres.create_database("gevent_probe")
    run = subprocess.run(
        [sys.executable, "-c", PROBE, url],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    seconds = json.loads(run.stdout.strip().splitlines()[-1])
    # While one greenlet waits 1 s for PostgreSQL, the others run (a 10 ms ticker: ~100).
    assert seconds["ticks_during_a_1s_query"] >= 50, seconds
    # Two 0.4 s transactions: side by side (~0.4 s) or one after the other (~0.8 s).
    assert seconds["two_readers"] < 0.7, seconds
    assert seconds["other_workshops"] < 0.7, seconds  # processes write in parallel
    assert seconds["same_workshop"] >= 0.8, seconds  # a process's writers queue
    assert seconds["workshop_and_everything"] >= 0.8, seconds
    assert seconds["everything_twice"] >= 0.8, seconds
