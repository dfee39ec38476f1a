"""The only place that emits to Socket.IO rooms. Callers pass committed events only.

Each session has two rooms: staff (trainer consoles) get every event whole; the public room
(tablets and the projector) gets each event as ``audiences.present`` shows it to them, or,
when they may not see it at all, a bare ``seq_advanced`` so they know nothing was lost.

With ``PONTE_REDIS_URL`` set, ``socketio`` is bound to Redis's message queue, so the same
calls reach screens connected to every Ponte process.
"""

from ponte.database import reading
from ponte.extensions import db, socketio
from sessions.audiences import PUBLIC, STAFF, present
from sessions.models import SessionEvent, WorkshopSession


def staff_room(session_id: int) -> str:
    return f"session:{session_id}:staff"


def public_room(session_id: int) -> str:
    return f"session:{session_id}:public"


def wall_room(session_id: int) -> str:
    """The projector(s): the public view, plus the join code the wall shows."""
    return f"session:{session_id}:wall"


# Events the wall gets whole although the public room does not.
WALL_EVENTS = ("join_code_changed",)


def participant_room(participant_id: int) -> str:
    """Every connection of one participant (a person may have two tablets)."""
    return f"participant:{participant_id}"


def end_access(participant_id: int) -> None:
    """Tell a participant's screens their access has ended, then close their connections.

    The notice crosses processes through the message queue; screens connected to this process
    are disconnected here, and any process refuses their next event anyway (the token is
    checked again on each one).
    """
    room = participant_room(participant_id)
    socketio.emit("access_ended", {"participant_id": participant_id}, to=room)
    for sid, _eio_sid in list(socketio.server.manager.get_participants("/", room)):
        socketio.server.disconnect(sid, namespace="/", ignore_queue=True)


def publish(event: SessionEvent | None) -> None:
    """Send a committed log event to every screen of its session, named after its type.

    The payload is the event's data (as the room may see it) plus its ``seq``: a screen that
    sees a gap in ``seq`` knows it missed something and calls ``sync``.
    """
    if event is None:
        return
    with reading():  # after the commit: what the broadcast reads, it reads as a reader
        _publish(event)


def _publish(event: SessionEvent) -> None:
    ws = db.session.get(WorkshopSession, event.session_id)
    staff = present(event.type, event.data, ws, STAFF)
    socketio.emit(event.type, {**staff, "seq": event.seq}, to=staff_room(event.session_id))
    public = present(event.type, event.data, ws, PUBLIC)
    if event.type in WALL_EVENTS:
        wall = {**present(event.type, event.data, ws, STAFF), "seq": event.seq}
    elif public is None:
        wall = None
    else:
        wall = {**public, "seq": event.seq}
    for room, data in (
        (public_room(event.session_id), None if public is None else {**public, "seq": event.seq}),
        (wall_room(event.session_id), wall),
    ):
        if data is None:
            socketio.emit("seq_advanced", {"seq": event.seq}, to=room)
        else:
            socketio.emit(event.type, data, to=room)
