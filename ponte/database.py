"""SQLite settings: WAL, a busy timeout, and BEGIN IMMEDIATE so writers queue instead of failing."""

import sqlalchemy as sa
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 5000
SYNCHRONOUS_MODES = {"OFF", "NORMAL", "FULL", "EXTRA"}


def configure_engine(engine: Engine, synchronous: str = "FULL") -> None:
    """Install the SQLite pragmas and transaction mode on ``engine``; other databases pass."""
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
        # Take the write lock up front: a deferred transaction that later writes fails with
        # "database is locked" when another process wrote in between, instead of waiting.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
