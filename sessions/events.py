"""Socket.IO handlers: validate, check access, call a service, commit, broadcast, ack."""

import contextlib
import functools
import logging

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, disconnect, join_room

from ponte.database import writing
from ponte.errors import PonteError
from ponte.extensions import db, socketio
from sessions import commitments, facilitation, reactions, services, translations, voting
from sessions.access import (
    MAX_ID,
    Viewer,
    is_id,
    viewer_for_account,
    viewer_for_projector,
    viewer_for_token,
)
from sessions.broadcast import (
    end_access,
    participant_room,
    public_room,
    publish,
    staff_room,
    wall_room,
)
from sessions.models import WorkshopSession
from sessions.services import post_dict

log = logging.getLogger("ponte.events")

# sid -> how the connection authenticated; the Viewer is rebuilt from the database on each
# event, so a removed participant or a deleted session stops working at once.
_connections: dict[str, dict] = {}
# sid -> the workshop (process) of its session: its writes queue only behind that process's.
_workshops: dict[str, int] = {}


def _resolve(credentials: dict) -> Viewer | None:
    if "token" in credentials:
        return viewer_for_token(credentials["token"])
    if "projector_key" in credentials:
        return viewer_for_projector(credentials.get("session_id"), credentials["projector_key"])
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
            scope = writing(_workshops.get(request.sid)) if writes else contextlib.nullcontext()
            with scope:
                viewer = _resolve(credentials) if credentials is not None else None
                if viewer is None:
                    db.session.rollback()
                    disconnect()
                    return _refusal("unauthorized", _("Your access has ended. Join again."))
                if data is None:
                    data = {}
                if not isinstance(data, dict):
                    raise PonteError("invalid_payload", _("The payload must be a JSON object."))
                return handler(viewer, data)
        except PonteError as error:
            db.session.rollback()
            log.info("refused %s from %s: %s", handler.__name__, request.sid, error.code)
            return {"ok": False, "error": error.to_dict()}
        except Exception:
            db.session.rollback()
            log.exception("%s failed", handler.__name__)
            return _refusal("internal", _("Something went wrong on the server. Try again."))

    return wrapper


def field(data: dict, name: str, kind: type, required: bool = False):
    value = data.get(name)
    if value is None:
        if required:
            raise PonteError(f"missing_{name}", _("'%(name)s' is required.", name=name))
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise PonteError(f"invalid_{name}", _wrong_type(name, kind))
    return value


def _wrong_type(name: str, kind: type) -> str:
    if kind is int:
        return _("'%(name)s' must be a whole number.", name=name)
    if kind is str:
        return _("'%(name)s' must be a text.", name=name)
    return _("'%(name)s' must be a %(type)s.", name=name, type=kind.__name__)


def flag(data: dict, name: str) -> bool:
    value = data.get(name)
    if not isinstance(value, bool):
        raise PonteError(f"invalid_{name}", _("'%(name)s' must be true or false.", name=name))
    return value


def commit_and_publish(event, **ack) -> dict:
    """Commit the handler's work, then broadcast its event(s), then acknowledge the sender.

    The ack carries the ``seq`` of the (last) event it caused, so the sender knows which
    replayed event it has already applied; nothing changed, no ``seq``.
    """
    db.session.commit()
    events = [e for e in (event if isinstance(event, list) else [event]) if e is not None]
    for one in events:
        publish(one)
    if events:
        ack = {**ack, "seq": events[-1].seq}
    return _ok(**ack)


def id_field(data: dict, name: str):
    value = field(data, name, int)
    if value is not None and not is_id(value):
        raise PonteError(
            f"invalid_{name}", _("'%(name)s' must be a positive whole number.", name=name)
        )
    return value


@socketio.on("connect")
def on_connect(auth=None):
    """Any screen connects: a tablet with its token, staff with their login and a session_id,
    the projector with its key and a session_id."""
    credentials = auth if isinstance(auth, dict) else {}
    viewer = _resolve(credentials)
    ws = db.session.get(WorkshopSession, viewer.session_id) if viewer is not None else None
    workshop_id = ws.workshop_id if ws is not None else None
    db.session.rollback()
    if viewer is None or workshop_id is None:
        log.info("refused connection from %s", request.remote_addr)
        raise ConnectionRefusedError(
            {"code": "unauthorized", "message": _("Join the session first.")}
        )
    _connections[request.sid] = credentials
    _workshops[request.sid] = workshop_id
    if viewer.is_staff:
        join_room(staff_room(viewer.session_id))
    elif viewer.role == "projector":
        join_room(wall_room(viewer.session_id))
    else:
        join_room(public_room(viewer.session_id))
    if viewer.participant_id is not None:
        join_room(participant_room(viewer.participant_id))


@socketio.on("disconnect")
def on_disconnect(*_reason):
    """A screen went away: forget how it authenticated."""
    _connections.pop(request.sid, None)
    _workshops.pop(request.sid, None)


@socketio.on("create_post")
@session_event(writes=True)
def on_create_post(viewer: Viewer, data: dict):
    """A tablet or the trainer posts a note; the room gets post_created."""
    post, event = services.create_post(
        viewer,
        client_id=field(data, "client_id", str, required=True),
        text=field(data, "text", str, required=True),
        group_id=id_field(data, "group_id"),
        prompt_id=id_field(data, "prompt_id"),
        agenda_item_id=id_field(data, "agenda_item_id"),
        said_by=data.get("said_by"),
        language=data.get("language"),
    )
    # A new post's dict is already in its event; a resent one (no event) is built again.
    return commit_and_publish(event, post=event.data["post"] if event else post_dict(post))


@socketio.on("sync")
@session_event(writes=False)
def on_sync(viewer: Viewer, data: dict):
    """A (re)connecting screen asks for every event after the last seq it has."""
    since = field(data, "since", int) or 0
    if not 0 <= since <= MAX_ID:
        raise PonteError("invalid_since", _("'since' must be a seq you received, or 0."))
    events, reached, more = services.events_since(viewer, since)
    db.session.rollback()
    return _ok(events=events, seq=reached, more=more)


@socketio.on("hide_post")
@session_event(writes=True)
def on_hide_post(viewer: Viewer, data: dict):
    """The trainer hides a note; the room gets post_hidden."""
    post, events = services.hide_post(viewer, data.get("post_id"))
    return commit_and_publish(events, post=post_dict(post))


@socketio.on("unhide_post")
@session_event(writes=True)
def on_unhide_post(viewer: Viewer, data: dict):
    """The trainer shows a hidden note again; the room gets post_unhidden."""
    post, event = services.unhide_post(viewer, data.get("post_id"))
    return commit_and_publish(event, post=post_dict(post))


@socketio.on("edit_post")
@session_event(writes=True)
def on_edit_post(viewer: Viewer, data: dict):
    """An author changes the text of their own note; the room gets post_edited."""
    post, event = services.edit_post(
        viewer, data.get("post_id"), field(data, "text", str, required=True)
    )
    return commit_and_publish(event, post=post_dict(post))


# --- languages, mediators and reactions --------------------------------------------------


@socketio.on("translate_post")
@session_event(writes=True)
def on_translate_post(viewer: Viewer, data: dict):
    """A mediator translates a note into a process language; the room gets post_translated."""
    translation, event = translations.translate(
        viewer, data.get("post_id"), data.get("language"), field(data, "text", str, required=True)
    )
    return commit_and_publish(event, translation=translation.to_dict())


@socketio.on("machine_translate")
@session_event(writes=False)  # the provider is asked with no write lock held
def on_machine_translate(viewer: Viewer, data: dict):
    """A mediator asks for a machine draft (not verified); the room gets post_translated."""
    translation, event = translations.machine_draft(
        viewer, data.get("post_id"), data.get("language")
    )
    return commit_and_publish(event, translation=translation.to_dict())


@socketio.on("confirm_translation")
@session_event(writes=True)
def on_confirm_translation(viewer: Viewer, data: dict):
    """A mediator checks a machine draft (maybe corrected): verified; post_translated."""
    translation, event = translations.confirm(
        viewer, data.get("post_id"), data.get("language"), field(data, "text", str)
    )
    return commit_and_publish(event, translation=translation.to_dict())


@socketio.on("transcribe_post")
@session_event(writes=True)
def on_transcribe_post(viewer: Viewer, data: dict):
    """A mediator writes down what a voice note says; the room gets post_edited."""
    post, event = translations.transcribe(
        viewer, data.get("post_id"), field(data, "text", str, required=True)
    )
    return commit_and_publish(event, post=post_dict(post))


@socketio.on("react")
@session_event(writes=True)
def on_react(viewer: Viewer, data: dict):
    """A participant adds or takes back a pictogram reaction; reactions_changed."""
    counts, mine, event = reactions.react(
        viewer, data.get("post_id"), data.get("kind"), flag(data, "on")
    )
    return commit_and_publish(event, reactions=counts, mine=mine)


@socketio.on("set_language")
@session_event(writes=True)
def on_set_language(viewer: Viewer, data: dict):
    """A participant switches language: translations shown and notes written follow it."""
    language = services.set_language(viewer, data.get("language"))
    db.session.commit()
    return _ok(language=language)


# --- the trainer's controls (facilitate) -------------------------------------------------


@socketio.on("advance_phase")
@session_event(writes=True)
def on_advance_phase(viewer: Viewer, data: dict):
    """The trainer moves the workshop to the next phase (or to ``phase``); phase_changed."""
    return commit_and_publish(facilitation.advance_phase(viewer, field(data, "phase", str)))


@socketio.on("start_timer")
@session_event(writes=True)
def on_start_timer(viewer: Viewer, data: dict):
    """The trainer starts a countdown of ``seconds``; the room gets timer_started."""
    return commit_and_publish(facilitation.start_timer(viewer, data.get("seconds")))


@socketio.on("stop_timer")
@session_event(writes=True)
def on_stop_timer(viewer: Viewer, data: dict):
    """The trainer stops the countdown; the room gets timer_stopped."""
    return commit_and_publish(facilitation.stop_timer(viewer))


@socketio.on("lock_board")
@session_event(writes=True)
def on_lock_board(viewer: Viewer, data: dict):
    """The trainer locks (``locked: true``) or unlocks the board; board_locked."""
    return commit_and_publish(facilitation.set_locked(viewer, flag(data, "locked")))


@socketio.on("set_anonymous")
@session_event(writes=True)
def on_set_anonymous(viewer: Viewer, data: dict):
    """The trainer turns anonymous mode on or off, before any note; anonymity_changed."""
    return commit_and_publish(facilitation.set_anonymous(viewer, flag(data, "anonymous")))


@socketio.on("spotlight_post")
@session_event(writes=True)
def on_spotlight_post(viewer: Viewer, data: dict):
    """The trainer puts a note (or none) on the projector; post_spotlighted."""
    return commit_and_publish(facilitation.spotlight(viewer, id_field(data, "post_id")))


@socketio.on("add_prompt")
@session_event(writes=True)
def on_add_prompt(viewer: Viewer, data: dict):
    """The trainer adds a prompt; prompt_added."""
    return commit_and_publish(facilitation.add_prompt(viewer, data.get("text")))


@socketio.on("edit_prompt")
@session_event(writes=True)
def on_edit_prompt(viewer: Viewer, data: dict):
    """The trainer rewords a prompt; prompt_updated."""
    return commit_and_publish(
        facilitation.edit_prompt(viewer, data.get("prompt_id"), data.get("text"))
    )


@socketio.on("remove_prompt")
@session_event(writes=True)
def on_remove_prompt(viewer: Viewer, data: dict):
    """The trainer removes a prompt (its notes stay); prompt_removed."""
    return commit_and_publish(facilitation.remove_prompt(viewer, data.get("prompt_id")))


@socketio.on("show_prompt")
@session_event(writes=True)
def on_show_prompt(viewer: Viewer, data: dict):
    """The trainer shows one prompt (``prompt_id``) or all (null); prompt_shown."""
    return commit_and_publish(facilitation.show_prompt(viewer, id_field(data, "prompt_id")))


@socketio.on("create_cluster")
@session_event(writes=True)
def on_create_cluster(viewer: Viewer, data: dict):
    """The trainer names a new need or theme; cluster_created."""
    return commit_and_publish(facilitation.create_cluster(viewer, data.get("name")))


@socketio.on("update_cluster")
@session_event(writes=True)
def on_update_cluster(viewer: Viewer, data: dict):
    """The trainer renames a theme or marks it to carry forward; cluster_updated."""
    carried = flag(data, "carried_forward") if "carried_forward" in data else None
    return commit_and_publish(
        facilitation.update_cluster(viewer, data.get("cluster_id"), data.get("name"), carried)
    )


@socketio.on("remove_cluster")
@session_event(writes=True)
def on_remove_cluster(viewer: Viewer, data: dict):
    """The trainer removes a theme (its notes go back to not grouped); cluster_removed."""
    return commit_and_publish(facilitation.remove_cluster(viewer, data.get("cluster_id")))


@socketio.on("move_post")
@session_event(writes=True)
def on_move_post(viewer: Viewer, data: dict):
    """The trainer drags a note into a theme (or out: null); post_moved."""
    return commit_and_publish(
        facilitation.move_post(viewer, data.get("post_id"), id_field(data, "cluster_id"))
    )


@socketio.on("add_agenda_item")
@session_event(writes=True)
def on_add_agenda_item(viewer: Viewer, data: dict):
    """The trainer adds an agenda item, typed or from a carried theme; agenda_item_added."""
    return commit_and_publish(
        facilitation.add_agenda_item(viewer, data.get("title"), id_field(data, "cluster_id"))
    )


@socketio.on("edit_agenda_item")
@session_event(writes=True)
def on_edit_agenda_item(viewer: Viewer, data: dict):
    """The trainer rewords an agenda item; agenda_item_updated."""
    return commit_and_publish(
        facilitation.edit_agenda_item(viewer, data.get("item_id"), data.get("title"))
    )


@socketio.on("remove_agenda_item")
@session_event(writes=True)
def on_remove_agenda_item(viewer: Viewer, data: dict):
    """The trainer removes an agenda item (its notes stay); agenda_item_removed."""
    return commit_and_publish(facilitation.remove_agenda_item(viewer, data.get("item_id")))


@socketio.on("set_current_item")
@session_event(writes=True)
def on_set_current_item(viewer: Viewer, data: dict):
    """The trainer moves the meeting to an agenda item; agenda_item_current."""
    return commit_and_publish(facilitation.set_current_item(viewer, id_field(data, "item_id")))


@socketio.on("add_group")
@session_event(writes=True)
def on_add_group(viewer: Viewer, data: dict):
    """The trainer adds a themed group; group_added."""
    return commit_and_publish(facilitation.add_group(viewer, data.get("name")))


@socketio.on("rename_group")
@session_event(writes=True)
def on_rename_group(viewer: Viewer, data: dict):
    """The trainer renames a themed group; group_updated."""
    return commit_and_publish(
        facilitation.rename_group(viewer, data.get("group_id"), data.get("name"))
    )


@socketio.on("set_group_choice")
@session_event(writes=True)
def on_set_group_choice(viewer: Viewer, data: dict):
    """The trainer decides who picks groups: "trainer" or "self"; group_choice_changed."""
    return commit_and_publish(facilitation.set_group_choice(viewer, data.get("mode")))


@socketio.on("remove_participant")
@session_event(writes=True)
def on_remove_participant(viewer: Viewer, data: dict):
    """The trainer removes someone: participant_removed, and their screens are cut off."""
    participant_id = data.get("participant_id")
    result = commit_and_publish(facilitation.remove_participant(viewer, participant_id))
    end_access(participant_id)
    return result


@socketio.on("set_admission")
@session_event(writes=True)
def on_set_admission(viewer: Viewer, data: dict):
    """The trainer makes joining need approval (``mode: "approval"``) or not; admission_changed."""
    return commit_and_publish(facilitation.set_admission(viewer, data.get("mode")))


@socketio.on("admit_participant")
@session_event(writes=True)
def on_admit_participant(viewer: Viewer, data: dict):
    """The trainer lets in someone waiting; the room gets participant_joined."""
    return commit_and_publish(facilitation.admit_participant(viewer, data.get("participant_id")))


@socketio.on("regenerate_code")
@session_event(writes=True)
def on_regenerate_code(viewer: Viewer, data: dict):
    """The trainer replaces the join code; the old one stops working; join_code_changed."""
    return commit_and_publish(facilitation.regenerate_code(viewer))


@socketio.on("assign_group")
@session_event(writes=True)
def on_assign_group(viewer: Viewer, data: dict):
    """The trainer puts a participant in a group; participant_assigned."""
    return commit_and_publish(
        facilitation.assign_group(viewer, data.get("participant_id"), id_field(data, "group_id"))
    )


@socketio.on("choose_group")
@session_event(writes=True)
def on_choose_group(viewer: Viewer, data: dict):
    """A participant picks their group, when allowed; participant_assigned."""
    return commit_and_publish(facilitation.choose_group(viewer, id_field(data, "group_id")))


# --- dot votes ---------------------------------------------------------------------------


@socketio.on("set_vote_allowance")
@session_event(writes=True)
def on_set_vote_allowance(viewer: Viewer, data: dict):
    """The trainer sets how many dots each participant has; vote_allowance_changed."""
    return commit_and_publish(voting.set_allowance(viewer, data.get("votes")))


@socketio.on("cast_vote")
@session_event(writes=True)
def on_cast_vote(viewer: Viewer, data: dict):
    """A participant puts a dot on a note; vote_cast (totals only once revealed)."""
    result, event = voting.cast_vote(viewer, data.get("post_id"))
    return commit_and_publish(event, **result)


@socketio.on("retract_vote")
@session_event(writes=True)
def on_retract_vote(viewer: Viewer, data: dict):
    """A participant takes a dot back; vote_retracted."""
    result, event = voting.retract_vote(viewer, data.get("post_id"))
    return commit_and_publish(event, **result)


@socketio.on("reveal_votes")
@session_event(writes=True)
def on_reveal_votes(viewer: Viewer, data: dict):
    """The trainer shows (or hides again) the vote totals; votes_revealed."""
    return commit_and_publish(voting.reveal_votes(viewer, flag(data, "revealed")))


# --- commitments -------------------------------------------------------------------------


@socketio.on("record_commitment")
@session_event(writes=True)
def on_record_commitment(viewer: Viewer, data: dict):
    """A decision maker (or the trainer) records what, who, by when; commitment_recorded."""
    commitment, event = commitments.record_commitment(
        viewer,
        data.get("what"),
        data.get("who"),
        data.get("by_when"),
        id_field(data, "agenda_item_id"),
    )
    return commit_and_publish(event, commitment=commitment.to_dict())


@socketio.on("update_commitment")
@session_event(writes=True)
def on_update_commitment(viewer: Viewer, data: dict):
    """The trainer follows a commitment up: status and public update; commitment_updated."""
    commitment = commitments.commitment_in_session(viewer, data.get("commitment_id"))
    event = commitments.update_commitment(commitment, data.get("status"), data.get("public_update"))
    return commit_and_publish(event, commitment=commitment.to_dict())
