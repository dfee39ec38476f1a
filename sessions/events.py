"""Socket.IO handlers: validate, check access, call a service, commit, broadcast, ack."""

import contextlib
import functools
import logging

from flask import request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, disconnect, join_room

from ponte.database import writing
from ponte.errors import PonteError
from ponte.extensions import db, socketio
from sessions import services
from sessions.access import MAX_ID, Viewer, is_id, viewer_for_account, viewer_for_token
from sessions.broadcast import publish, room

log = logging.getLogger("ponte.events")

# sid -> how the connection authenticated; the Viewer is rebuilt from the database on each
# event, so a removed participant or a deleted session stops working at once.
_connections: dict[str, dict] = {}


def _resolve(credentials: dict) -> Viewer | None:
    if "token" in credentials:
        return viewer_for_token(credentials["token"])
    if current_user.is_authenticated:
        return viewer_for_account(current_user, credentials.get("session_id"))
    return None


def _ok(**fields) -> dict:
    return {"ok": True, **fields}


def _refusal(code: str, message: str) -> dict:
    return {"ok": False, "error": {"code": code, "message": message}}


def session_event(writes: bool):
    """Wrap a handler: re-check the caller, check the payload shape, turn errors into acks.

    :param writes: the handler changes the session, so its transaction takes the write lock
        at once (see ``ponte.database``).
    """
    return functools.partial(_session_event, writes=writes)


def _session_event(handler, writes: bool):
    @functools.wraps(handler)
    def wrapper(data=None, *extra):
        credentials = _connections.get(request.sid)
        try:
            with writing() if writes else contextlib.nullcontext():
                viewer = _resolve(credentials) if credentials is not None else None
                if viewer is None:
                    db.session.rollback()
                    disconnect()
                    return _refusal("unauthorized", "Your access has ended. Join again.")
                if data is None:
                    data = {}
                if not isinstance(data, dict):
                    raise PonteError("invalid_payload", "The payload must be a JSON object.")
                return handler(viewer, data)
        except PonteError as error:
            db.session.rollback()
            log.info("refused %s from %s: %s", handler.__name__, request.sid, error.code)
            return {"ok": False, "error": error.to_dict()}
        except Exception:
            db.session.rollback()
            log.exception("%s failed", handler.__name__)
            return _refusal("internal", "Something went wrong on the server. Try again.")

    return wrapper


def _field(data: dict, name: str, kind: type, required: bool = False):
    value = data.get(name)
    if value is None:
        if required:
            raise PonteError(f"missing_{name}", f"'{name}' is required.")
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise PonteError(f"invalid_{name}", f"'{name}' must be a {kind.__name__}.")
    return value


def _id_field(data: dict, name: str):
    value = _field(data, name, int)
    if value is not None and not is_id(value):
        raise PonteError(f"invalid_{name}", f"'{name}' must be a positive whole number.")
    return value


@socketio.on("connect")
def on_connect(auth=None):
    """Any screen connects: a tablet with its token, staff with their login and a session_id."""
    credentials = auth if isinstance(auth, dict) else {}
    viewer = _resolve(credentials)
    db.session.rollback()
    if viewer is None:
        log.info("refused connection from %s", request.remote_addr)
        raise ConnectionRefusedError({"code": "unauthorized", "message": "Join the session first."})
    _connections[request.sid] = credentials
    join_room(room(viewer.session_id))


@socketio.on("disconnect")
def on_disconnect(*_reason):
    """A screen went away: forget how it authenticated."""
    _connections.pop(request.sid, None)


@socketio.on("create_post")
@session_event(writes=True)
def on_create_post(viewer: Viewer, data: dict):
    """A tablet or the trainer posts a note; the room gets post_created."""
    post, event = services.create_post(
        viewer,
        client_id=_field(data, "client_id", str, required=True),
        text=_field(data, "text", str, required=True),
        group_id=_id_field(data, "group_id"),
        prompt_id=_id_field(data, "prompt_id"),
    )
    db.session.commit()
    publish(event)
    return _ok(post=post.to_dict())


@socketio.on("sync")
@session_event(writes=False)
def on_sync(viewer: Viewer, data: dict):
    """A (re)connecting screen asks for every event after the last seq it has."""
    since = _field(data, "since", int) or 0
    if not 0 <= since <= MAX_ID:
        raise PonteError("invalid_since", "'since' must be a seq you received, or 0.")
    events, reached, more = services.events_since(viewer, since)
    db.session.rollback()
    return _ok(events=events, seq=reached, more=more)


@socketio.on("hide_post")
@session_event(writes=True)
def on_hide_post(viewer: Viewer, data: dict):
    """The trainer hides a note; the room gets post_hidden."""
    post, event = services.hide_post(viewer, data.get("post_id"))
    db.session.commit()
    publish(event)
    return _ok(post=post.to_dict())


@socketio.on("unhide_post")
@session_event(writes=True)
def on_unhide_post(viewer: Viewer, data: dict):
    """The trainer shows a hidden note again; the room gets post_unhidden."""
    post, event = services.unhide_post(viewer, data.get("post_id"))
    db.session.commit()
    publish(event)
    return _ok(post=post.to_dict())
