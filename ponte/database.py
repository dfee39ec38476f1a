"""SQLite settings: WAL, a busy timeout, and BEGIN IMMEDIATE for transactions that write.

Readers never block anyone in WAL mode, so a read transaction starts with a plain (deferred)
BEGIN. A transaction that will write must take the write lock up front (BEGIN IMMEDIATE):
a deferred one that upgrades later fails with "database is locked" when another connection
committed in between, instead of waiting its turn. Code that writes says so with
``writing()``; HTTP requests other than GET/HEAD/OPTIONS say so by themselves.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import sqlalchemy as sa
from flask import Flask, g, request
from sqlalchemy.engine import Engine

# SQLite's own busy wait is a C sleep that freezes every greenlet of the gevent process, so it
# is kept short; the wait for the write lock happens in _begin_immediate, with a sleep that
# gevent turns into a yield. LOCK_WAIT_SECONDS bounds the whole wait.
BUSY_TIMEOUT_MS = 20
LOCK_WAIT_SECONDS = 10.0
SYNCHRONOUS_MODES = {"OFF", "NORMAL", "FULL", "EXTRA"}
READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}

_write_intent: ContextVar[bool] = ContextVar("ponte_write_intent", default=False)


@contextmanager
def writing() -> Iterator[None]:
    """Mark the transactions begun inside this block as writers (BEGIN IMMEDIATE on SQLite)."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def configure_engine(engine: Engine, synchronous: str = "FULL") -> None:
    """Install the SQLite pragmas and transaction modes on ``engine``; other databases pass."""
    if engine.dialect.name != "sqlite":
        return
    if synchronous.upper() not in SYNCHRONOUS_MODES:
        raise ValueError(f"PONTE_SQLITE_SYNCHRONOUS must be one of {sorted(SYNCHRONOUS_MODES)}")

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, decide when a transaction begins (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        if _write_intent.get():
            _begin_immediate(connection)
        else:
            connection.exec_driver_sql("BEGIN")


def _begin_immediate(connection) -> None:
    """Take SQLite's write lock, waiting for another writer with sleeps that let others run."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    delay = 0.002
    while True:
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except sa.exc.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        time.sleep(delay)  # gevent-patched: other tablets are served meanwhile
        delay = min(delay * 2, 0.05)


def init_app(app: Flask) -> None:
    """Treat every HTTP request that may change something as a writer."""

    @app.before_request
    def _mark_writers():
        if request.method not in READ_ONLY_METHODS:
            g.ponte_write_intent = _write_intent.set(True)

    @app.teardown_request
    def _unmark_writers(_error=None):
        token = g.pop("ponte_write_intent", None)
        if token is not None:
            _write_intent.reset(token)
