"""The production server process: gevent patches first, then the app is imported."""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import gc  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402

from gevent import pywsgi  # noqa: E402

from app import create_app  # noqa: E402
from ponte.extensions import socketio  # noqa: E402


class WebSocketAwareHandler(pywsgi.WSGIHandler):
    """Close the HTTP connection once a WebSocket on it has ended.

    simple-websocket works on a duplicate of the socket; without this, pywsgi goes on reading
    the original as keep-alive HTTP and logs the leftover WebSocket frames as bad requests.
    """

    def handle(self):
        # Small frames (an ack right after a broadcast) leave at once: without TCP_NODELAY,
        # Nagle's algorithm holds the second until the first is acknowledged (~40 ms).
        try:
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass  # not TCP (a Unix socket)
        super().handle()

    def run_application(self):
        super().run_application()
        if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            self.close_connection = True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Run Ponte (gevent, WebSocket via simple-websocket)."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--access-log", action="store_true", help="log every HTTP request")
    args = parser.parse_args(argv)
    app = create_app()
    # Move everything loaded so far (modules, the app, templates) out of the garbage
    # collector's sight: full collections then take a few ms instead of ~100 ms stalls.
    gc.collect()
    gc.freeze()
    # HTTPS without a proxy (PONTE_TLS_CERT/KEY): browsers let tablets record voice notes
    # only on https pages (or localhost).
    tls = {}
    if os.environ.get("PONTE_TLS_CERT") and os.environ.get("PONTE_TLS_KEY"):
        tls = {"certfile": os.environ["PONTE_TLS_CERT"], "keyfile": os.environ["PONTE_TLS_KEY"]}
    scheme = "https" if tls else "http"
    logging.getLogger("ponte").info("Ponte listening on %s://%s:%s", scheme, args.host, args.port)
    socketio.run(
        app,
        host=args.host,
        port=args.port,
        log_output=args.access_log,
        handler_class=WebSocketAwareHandler,
        **tls,
    )


if __name__ == "__main__":
    main()
