"""The only place that emits to Socket.IO rooms. Callers pass committed events only.

With ``PONTE_REDIS_URL`` set, ``socketio`` is bound to Redis's message queue, so the same
call reaches tablets connected to every Ponte process.
"""

from ponte.extensions import socketio
from sessions.models import SessionEvent


def room(session_id: int) -> str:
    """Return the Socket.IO room of a session: every screen connected to it."""
    return f"session:{session_id}"


def publish(event: SessionEvent | None) -> None:
    """Send a committed log event to every screen of its session, named after its type.

    The payload is the event's ``data`` plus its ``seq``, so a screen that sees a gap in
    ``seq`` knows it missed something and calls ``sync``.
    """
    if event is None:
        return
    socketio.emit(event.type, {**event.data, "seq": event.seq}, to=room(event.session_id))
