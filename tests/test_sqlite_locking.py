"""SQLite's write lock, held by another process, must not freeze the gevent server."""

import sqlite3
import threading
import time
import uuid

from tests.test_restart import connect, join


def test_a_writer_waiting_for_the_lock_lets_other_tablets_be_served(live_server):
    code = live_server.demo["sessions"][0]["join_code"]
    writer = connect(live_server, join(live_server, code, "Writer"))
    reader = connect(live_server, join(live_server, code, "Reader"))

    # Another process (a backup, a worker, the CLI) holds the write lock.
    holder = sqlite3.connect(live_server.workdir / "ponte.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    result = {}
    payload = {"client_id": str(uuid.uuid4()), "text": "waiting for the lock"}
    waiting = threading.Thread(
        target=lambda: result.update(ack=writer.call("create_post", payload, timeout=20))
    )
    waiting.start()
    time.sleep(0.5)  # the post now waits for the lock inside the server

    answer = reader.call("sync", {"since": 0}, timeout=5)
    assert answer["ok"], "a read was not served while a write waited for the lock"
    assert waiting.is_alive(), "the write should still be waiting: the lock is still held"

    holder.execute("COMMIT")
    holder.close()
    waiting.join(20)
    assert result["ack"]["ok"] and result["ack"]["post"]["text"] == "waiting for the lock"
    writer.disconnect()
    reader.disconnect()
