"""The floor for Ponte's broadcasts: a bare Flask-SocketIO server run exactly as Ponte is run.

Same async mode (gevent, patched first), same WSGI server (gevent's pywsgi through
``socketio.run``) with the same WebSocket-aware handler, same simple-websocket transport and
the same 64 KB message limit; nothing else: no database, no access checks, no log. A client
connects with ``auth={"room": "<name>"}`` and joins that room; ``create_post``
(``{"client_id", "text"}``) is answered with ``{"ok": true, "post", "seq"}`` after
``post_created`` ``{"post", "seq"}`` went to the whole room, as Ponte does, with a post of
the same fields and size as Ponte's.

    .venv/bin/python bench/echo_server.py [--host 127.0.0.1] [--port 5055]
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import itertools  # noqa: E402
import socket  # noqa: E402

from flask import Flask, request  # noqa: E402
from flask_socketio import ConnectionRefusedError, SocketIO, join_room  # noqa: E402
from gevent import pywsgi  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent", max_http_buffer_size=64 * 1024)
seqs = itertools.count(1)
room_of: dict[str, str] = {}  # sid -> room


class WebSocketAwareHandler(pywsgi.WSGIHandler):
    """Ponte's handler (ponte/server.py): TCP_NODELAY, and close the HTTP connection once its
    WebSocket ended."""

    def handle(self):
        try:
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        super().handle()

    def run_application(self):
        super().run_application()
        if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            self.close_connection = True


@app.get("/")
def health():
    return "ok"


@socketio.on("connect")
def on_connect(auth=None):
    """A client connects with the room it wants to be in."""
    room = auth.get("room") if isinstance(auth, dict) else None
    if not isinstance(room, str):
        raise ConnectionRefusedError({"code": "unauthorized", "message": "Name a room."})
    room_of[request.sid] = room
    join_room(room)


@socketio.on("disconnect")
def on_disconnect(*_reason):
    """A client went away."""
    room_of.pop(request.sid, None)


@socketio.on("create_post")
def on_create_post(data):
    """A client posts: the room gets post_created, then the sender its ack, as in Ponte."""
    seq = next(seqs)
    post = {
        "id": seq,
        "session_id": 1,
        "client_id": data["client_id"],
        "text": data["text"],
        "language": "it",
        "author": {"name": "Poster", "role": "migrant", "participant_id": 1},
        "group_id": None,
        "prompt_id": None,
        "cluster_id": None,
        "agenda_item_id": None,
        "phase": None,
        "hidden": False,
        "kind": "text",
        "audio": None,
        "transcriber": None,
        "scribe": None,
        "seq": seq,
        "created_at": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
        "edited_at": None,
        "translations": [],
        "reactions": {"agree": 0, "disagree": 0, "unclear": 0, "important": 0},
    }
    socketio.emit("post_created", {"post": post, "seq": seq}, to=room_of[request.sid])
    return {"ok": True, "post": post, "seq": seq}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args()
    socketio.run(
        app,
        host=args.host,
        port=args.port,
        log_output=False,
        handler_class=WebSocketAwareHandler,
    )


if __name__ == "__main__":
    main()
