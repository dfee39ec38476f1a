"""Live sessions: the board, joining by code, posts, moderation and the event log."""

from flask import Blueprint, Flask

bp = Blueprint("sessions", __name__)


def init_app(app: Flask) -> None:
    """Register the session pages, the JSON API and the Socket.IO events."""
    from sessions import activity_routes, content_events, events, roster_events, routes  # noqa: F401

    app.register_blueprint(bp)
