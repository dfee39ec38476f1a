"""Transactions that write take a write lock first, on SQLite and on PostgreSQL alike.

Code that writes says so with ``writing()``; HTTP requests other than GET/HEAD/OPTIONS say so
by themselves. Readers never wait for anyone.

SQLite: WAL, a short busy timeout, and BEGIN IMMEDIATE for writers. A deferred transaction
that upgrades later fails with "database is locked" when another connection committed in
between, instead of waiting its turn; taking the lock up front makes writers queue.

PostgreSQL: the same rule with advisory locks, so every check-then-write in the services
(one vote each, the next position, a reaction's uniqueness) stays as safe as on SQLite.
``writing(workshop_id)`` (a Socket.IO event: it only touches its own process) queues behind
writers of the same workshop only, so the sessions of different processes write in
parallel; a plain ``writing()`` (an HTTP request, the CLI, the worker) queues behind every
writer. psycopg 3 waits on its socket through gevent's patched ``select``, so a query never
blocks the other tablets of the process.
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

# PostgreSQL advisory lock keys: one for "everything", and a workshop's own id for a process.
EVERYTHING = -1
EVERY_WRITER = object()  # the intent of a writer that may touch any process

# None: reads only; EVERY_WRITER; or the id of the one workshop (process) the writer touches.
_write_intent: ContextVar[object] = ContextVar("ponte_write_intent", default=None)


@contextmanager
def writing(workshop_id: int | None = None) -> Iterator[None]:
    """Mark the transactions begun inside this block as writers.

    :param workshop_id: the one process the writes stay within (lets PostgreSQL run writers
        of other processes in parallel); None when they may touch anything.
    """
    token = _write_intent.set(EVERY_WRITER if workshop_id is None else int(workshop_id))
    try:
        yield
    finally:
        _write_intent.reset(token)


@contextmanager
def reading() -> Iterator[None]:
    """Mark the transactions begun inside this block as readers, even within ``writing()``
    (a broadcast after the commit reads; it must not queue for the write lock again)."""
    token = _write_intent.set(None)
    try:
        yield
    finally:
        _write_intent.reset(token)


def configure_engine(engine: Engine, synchronous: str = "FULL") -> None:
    """Install the write locks (and SQLite's pragmas and transaction modes) on ``engine``."""
    if engine.dialect.name == "postgresql":
        sa.event.listen(engine, "begin", _lock_postgresql_writers)
        return
    if engine.dialect.name != "sqlite":
        raise ValueError("Ponte runs on SQLite or PostgreSQL (postgresql+psycopg://...)")
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
        if _write_intent.get() is not None:
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


def _lock_postgresql_writers(connection) -> None:
    """At BEGIN: a writer for one workshop takes "everything" shared and its workshop
    exclusive; any other writer takes "everything" exclusive. Released at COMMIT/ROLLBACK."""
    intent = _write_intent.get()
    if intent is None:
        return
    if intent is EVERY_WRITER:
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({EVERYTHING})")
    else:
        connection.exec_driver_sql(
            f"SELECT pg_advisory_xact_lock_shared({EVERYTHING}), pg_advisory_xact_lock(%(id)s)",
            {"id": intent},
        )


def init_app(app: Flask) -> None:
    """Treat every HTTP request that may change something as a writer."""

    @app.before_request
    def _mark_writers():
        if request.method not in READ_ONLY_METHODS:
            g.ponte_write_intent = _write_intent.set(EVERY_WRITER)

    @app.teardown_request
    def _unmark_writers(_error=None):
        token = g.pop("ponte_write_intent", None)
        if token is not None:
            _write_intent.reset(token)
