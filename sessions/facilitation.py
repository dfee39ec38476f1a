"""The trainer's verbs: phases, timer, lock, anonymity, spotlight, prompts, clusters, agenda,
themed groups. Each returns the log event to broadcast (None when nothing changed).
They flush, never commit."""

import datetime as dt

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from sessions.access import Viewer, is_id
from sessions.content_translations import carry_translations, original_changed
from sessions.models import (
    GROUP_CHOICES,
    PHASES,
    AgendaItem,
    Attendance,
    Cluster,
    Commitment,
    Group,
    Post,
    Prompt,
    SessionEvent,
    WorkshopSession,
)
from sessions.services import append_event, clean_text, post_in_session, writable_session
from workshops.models import Participant, utcnow

MAX_TIMER_SECONDS = 4 * 60 * 60
MAX_LABEL_CHARS = {"prompt": 300, "cluster": 120, "agenda": 200, "group": 80}


def _session(viewer: Viewer) -> WorkshopSession:
    viewer.require("facilitate")
    ws = db.session.get(WorkshopSession, viewer.session_id)
    if ws is None:
        raise PonteError("unknown_session", _("No such session."), 404)
    return ws


def _label(text: object, kind: str) -> str:
    if not isinstance(text, str):
        raise PonteError("invalid_text", _("Give a text."))
    text = clean_text(text)
    limit = MAX_LABEL_CHARS[kind]
    if not text or len(text) > limit:
        raise PonteError(
            "invalid_text", _("Give a text of 1 to %(limit)s characters.", limit=limit)
        )
    return text


def _row(model, viewer: Viewer, row_id: object, code: str):
    if not is_id(row_id):
        raise PonteError(
            f"invalid_{code}_id",
            _("'%(name)s' must be a positive whole number.", name=f"{code}_id"),
        )
    row = db.session.get(model, row_id)
    if row is None or row.session_id != viewer.session_id:
        raise PonteError(f"unknown_{code}", _unknown_row(code), 404)
    return row


def _unknown_row(code: str) -> str:
    messages = {
        "prompt": _("No such prompt in this session."),
        "cluster": _("No such theme in this session."),
        "item": _("No such agenda item in this session."),
        "group": _("No such group in this session."),
    }
    return messages.get(code) or _("Not found in this session.")


def _next_position(model, session_id: int) -> int:
    current = db.session.scalar(
        sa.select(sa.func.max(model.position)).where(model.session_id == session_id)
    )
    return 0 if current is None else current + 1


# --- phases and timer --------------------------------------------------------------------


def advance_phase(viewer: Viewer, phase: str | None = None) -> SessionEvent:
    """Move a co-projecting workshop to ``phase``, or to the next one; the timer stops."""
    ws = _session(viewer)
    if ws.kind != "co_projecting":
        raise PonteError("no_phases", _("Only co-projecting workshops have phases."), 409)
    if phase is None:
        index = PHASES.index(ws.phase) if ws.phase in PHASES else -1
        if index == len(PHASES) - 1:
            raise PonteError("last_phase", _("This is the last phase."), 409)
        phase = PHASES[index + 1]
    if phase not in PHASES:
        raise PonteError(
            "invalid_phase", _("phase must be one of %(values)s.", values=", ".join(PHASES))
        )
    if phase == ws.phase:
        return None
    ws.phase = phase
    ws.timer_ends_at = None
    ws.timer_seconds = None
    db.session.flush()
    return append_event(ws.id, "phase_changed", {"phase": phase, "timer": ws.to_dict()["timer"]})


def start_timer(viewer: Viewer, seconds: object) -> SessionEvent:
    """Start a countdown everyone sees."""
    ws = _session(viewer)
    if not is_id(seconds) or seconds > MAX_TIMER_SECONDS:
        raise PonteError(
            "invalid_seconds", _("seconds must be between 1 and %(max)s.", max=MAX_TIMER_SECONDS)
        )
    ws.timer_seconds = seconds
    ws.timer_ends_at = utcnow() + dt.timedelta(seconds=seconds)
    db.session.flush()
    return append_event(ws.id, "timer_started", {"timer": ws.to_dict()["timer"]})


def stop_timer(viewer: Viewer) -> SessionEvent | None:
    """Stop the countdown."""
    ws = _session(viewer)
    if ws.timer_ends_at is None:
        return None
    ws.timer_ends_at = None
    ws.timer_seconds = None
    db.session.flush()
    return append_event(ws.id, "timer_stopped", {"timer": ws.to_dict()["timer"]})


# --- the room ----------------------------------------------------------------------------


def set_locked(viewer: Viewer, locked: bool) -> SessionEvent | None:
    """Lock the board (nobody but the trainer posts, edits or votes) or unlock it."""
    ws = _session(viewer)
    if ws.locked == locked:
        return None
    ws.locked = locked
    db.session.flush()
    return append_event(ws.id, "board_locked", {"locked": locked})


def set_anonymous(viewer: Viewer, anonymous: bool) -> SessionEvent | None:
    """Hide authors' names from participants and the projector; only before any note exists."""
    ws = _session(viewer)
    if ws.anonymous == anonymous:
        return None
    if db.session.scalar(sa.select(Post.id).where(Post.session_id == ws.id).limit(1)):
        raise PonteError(
            "notes_exist", _("Anonymous mode can change only before the first note."), 409
        )
    ws.anonymous = anonymous
    db.session.flush()
    return append_event(ws.id, "anonymity_changed", {"anonymous": anonymous})


def spotlight(viewer: Viewer, post_id: object) -> SessionEvent:
    """Show one note big on the projector (None takes it down)."""
    ws = _session(viewer)
    if post_id is not None:
        post = post_in_session(viewer, post_id)
        if post.hidden:
            raise PonteError("post_hidden", _("A hidden note cannot be spotlighted."), 409)
    if ws.spotlight_post_id == post_id:
        return None
    ws.spotlight_post_id = post_id
    db.session.flush()
    return append_event(ws.id, "post_spotlighted", {"post_id": post_id})


# --- prompts (listening sessions) --------------------------------------------------------


def add_prompt(viewer: Viewer, text: object) -> SessionEvent:
    ws = _session(viewer)
    prompt = Prompt(
        session_id=ws.id, text=_label(text, "prompt"), position=_next_position(Prompt, ws.id)
    )
    db.session.add(prompt)
    db.session.flush()
    return append_event(ws.id, "prompt_added", {"prompt": prompt.to_dict()})


def edit_prompt(viewer: Viewer, prompt_id: object, text: object) -> list[SessionEvent]:
    _session(viewer)
    prompt = _row(Prompt, viewer, prompt_id, "prompt")
    prompt.text = _label(text, "prompt")
    db.session.flush()
    event = append_event(prompt.session_id, "prompt_updated", {"prompt": prompt.to_dict()})
    return [event, *original_changed("prompt", prompt.id, prompt.session_id)]


def remove_prompt(viewer: Viewer, prompt_id: object) -> SessionEvent:
    """Remove a prompt; its notes stay on the board, under no prompt."""
    ws = _session(viewer)
    prompt = _row(Prompt, viewer, prompt_id, "prompt")
    db.session.execute(sa.update(Post).where(Post.prompt_id == prompt.id).values(prompt_id=None))
    if ws.current_prompt_id == prompt.id:
        ws.current_prompt_id = None
    db.session.delete(prompt)
    db.session.flush()
    return append_event(ws.id, "prompt_removed", {"prompt_id": prompt_id})


def show_prompt(viewer: Viewer, prompt_id: object) -> SessionEvent:
    """Show one prompt at a time (its id) or all of them (None)."""
    ws = _session(viewer)
    if prompt_id is not None:
        _row(Prompt, viewer, prompt_id, "prompt")
    if ws.current_prompt_id == prompt_id:
        return None
    ws.current_prompt_id = prompt_id
    db.session.flush()
    return append_event(ws.id, "prompt_shown", {"prompt_id": prompt_id})


# --- clusters: needs and themes ----------------------------------------------------------


def create_cluster(viewer: Viewer, name: object) -> SessionEvent:
    ws = _session(viewer)
    cluster = Cluster(
        session_id=ws.id, name=_label(name, "cluster"), position=_next_position(Cluster, ws.id)
    )
    db.session.add(cluster)
    db.session.flush()
    return append_event(ws.id, "cluster_created", {"cluster": cluster.to_dict()})


def update_cluster(
    viewer: Viewer, cluster_id: object, name: object = None, carried_forward: bool | None = None
) -> list[SessionEvent]:
    """Rename a theme, or mark it to carry forward to the process's later sessions."""
    _session(viewer)
    cluster = _row(Cluster, viewer, cluster_id, "cluster")
    renamed = name is not None and _label(name, "cluster") != cluster.name
    if name is not None:
        cluster.name = _label(name, "cluster")
    if carried_forward is not None:
        cluster.carried_forward = carried_forward
    db.session.flush()
    event = append_event(cluster.session_id, "cluster_updated", {"cluster": cluster.to_dict()})
    if not renamed:
        return [event]
    return [event, *original_changed("cluster", cluster.id, cluster.session_id)]


def remove_cluster(viewer: Viewer, cluster_id: object) -> SessionEvent:
    """Remove a theme; its notes go back to "not grouped"."""
    _session(viewer)
    cluster = _row(Cluster, viewer, cluster_id, "cluster")
    db.session.execute(sa.update(Post).where(Post.cluster_id == cluster.id).values(cluster_id=None))
    db.session.execute(
        sa.update(AgendaItem).where(AgendaItem.cluster_id == cluster.id).values(cluster_id=None)
    )
    session_id = cluster.session_id
    db.session.delete(cluster)
    db.session.flush()
    return append_event(session_id, "cluster_removed", {"cluster_id": cluster_id})


def move_post(viewer: Viewer, post_id: object, cluster_id: object) -> SessionEvent | None:
    """Put a note into a theme (None: back to not grouped)."""
    _session(viewer)
    post = post_in_session(viewer, post_id)
    if cluster_id is not None:
        _row(Cluster, viewer, cluster_id, "cluster")
    if post.cluster_id == cluster_id:
        return None
    post.cluster_id = cluster_id
    db.session.flush()
    return append_event(
        post.session_id, "post_moved", {"post_id": post.id, "cluster_id": cluster_id}
    )


# --- agenda (face-to-face meetings) ------------------------------------------------------


def add_agenda_item(
    viewer: Viewer, title: object = None, cluster_id: object = None
) -> SessionEvent:
    """Add an agenda item, typed in or taken from a theme carried forward in the process."""
    ws = _session(viewer)
    if cluster_id is not None:
        if not is_id(cluster_id):
            raise PonteError(
                "invalid_cluster_id",
                _("'%(name)s' must be a positive whole number.", name="cluster_id"),
            )
        theme = db.session.get(Cluster, cluster_id)
        source = db.session.get(WorkshopSession, theme.session_id) if theme else None
        if theme is None or not theme.carried_forward or source.workshop_id != ws.workshop_id:
            raise PonteError("unknown_cluster", _("No such theme carried forward here."), 404)
        title = title if title is not None else theme.name
    item = AgendaItem(
        session_id=ws.id,
        title=_label(title, "agenda"),
        position=_next_position(AgendaItem, ws.id),
        cluster_id=cluster_id,
    )
    db.session.add(item)
    db.session.flush()
    if ws.current_agenda_item_id is None:
        ws.current_agenda_item_id = item.id
    # A theme's translations come with it, when the item keeps the theme's words.
    carried = carry_translations(theme, item) if cluster_id is not None else []
    return append_event(
        ws.id,
        "agenda_item_added",
        {"item": item.to_dict(), "current": ws.current_agenda_item_id, "translations": carried},
    )


def edit_agenda_item(viewer: Viewer, item_id: object, title: object) -> list[SessionEvent]:
    _session(viewer)
    item = _row(AgendaItem, viewer, item_id, "item")
    item.title = _label(title, "agenda")
    db.session.flush()
    event = append_event(item.session_id, "agenda_item_updated", {"item": item.to_dict()})
    return [event, *original_changed("agenda_item", item.id, item.session_id)]


def remove_agenda_item(viewer: Viewer, item_id: object) -> SessionEvent:
    """Remove an agenda item; its notes and commitments stay, under no item."""
    ws = _session(viewer)
    item = _row(AgendaItem, viewer, item_id, "item")
    for model in (Post, Commitment):  # notes and commitments stay, under no item
        db.session.execute(
            sa.update(model).where(model.agenda_item_id == item.id).values(agenda_item_id=None)
        )
    if ws.current_agenda_item_id == item.id:
        ws.current_agenda_item_id = None
    db.session.delete(item)
    db.session.flush()
    return append_event(ws.id, "agenda_item_removed", {"item_id": item_id})


def set_current_item(viewer: Viewer, item_id: object) -> SessionEvent:
    """Move the meeting to an agenda item: new notes go under it."""
    ws = _session(viewer)
    if item_id is not None:
        _row(AgendaItem, viewer, item_id, "item")
    if ws.current_agenda_item_id == item_id:
        return None
    ws.current_agenda_item_id = item_id
    db.session.flush()
    return append_event(ws.id, "agenda_item_current", {"item_id": item_id})


# --- themed groups (co-projecting workshops) ---------------------------------------------


def add_group(viewer: Viewer, name: object) -> SessionEvent:
    ws = _session(viewer)
    group = Group(
        session_id=ws.id, name=_label(name, "group"), position=_next_position(Group, ws.id)
    )
    db.session.add(group)
    db.session.flush()
    return append_event(ws.id, "group_added", {"group": group.to_dict()})


def rename_group(viewer: Viewer, group_id: object, name: object) -> list[SessionEvent]:
    _session(viewer)
    group = _row(Group, viewer, group_id, "group")
    group.name = _label(name, "group")
    db.session.flush()
    event = append_event(group.session_id, "group_updated", {"group": group.to_dict()})
    return [event, *original_changed("group", group.id, group.session_id)]


def set_group_choice(viewer: Viewer, mode: object) -> SessionEvent | None:
    """Who puts participants in groups: the trainer, or each participant ("self")."""
    ws = _session(viewer)
    if mode not in GROUP_CHOICES:
        raise PonteError("invalid_mode", _("mode must be 'trainer' or 'self'."))
    if ws.group_choice == mode:
        return None
    ws.group_choice = mode
    db.session.flush()
    return append_event(ws.id, "group_choice_changed", {"group_choice": mode})


def assign_group(viewer: Viewer, participant_id: object, group_id: object) -> SessionEvent:
    """The trainer puts a participant in a group (None: no group)."""
    _session(viewer)
    return _put_in_group(viewer, participant_id, group_id)


def choose_group(viewer: Viewer, group_id: object) -> SessionEvent:
    """A participant picks their own group, when the trainer lets them choose."""
    viewer.require("choose_group")
    ws = writable_session(viewer)
    if ws.group_choice != "self":
        raise PonteError(
            "trainer_assigns", _("The trainer assigns the groups in this session."), 403
        )
    if group_id is None:
        raise PonteError("missing_group_id", _("'%(name)s' is required.", name="group_id"))
    return _put_in_group(viewer, viewer.participant_id, group_id)


def _put_in_group(viewer: Viewer, participant_id: object, group_id: object) -> SessionEvent:
    if not is_id(participant_id):
        raise PonteError(
            "invalid_participant_id",
            _("'%(name)s' must be a positive whole number.", name="participant_id"),
        )
    if group_id is not None:
        _row(Group, viewer, group_id, "group")
    attendance = db.session.scalar(
        sa.select(Attendance).where(
            Attendance.session_id == viewer.session_id,
            Attendance.participant_id == participant_id,
            Attendance.removed_at.is_(None),
        )
    )
    if attendance is None:
        raise PonteError("unknown_participant", _("No such participant in this session."), 404)
    attendance.group_id = group_id
    db.session.flush()
    return append_event(
        viewer.session_id,
        "participant_assigned",
        {"participant_id": participant_id, "group_id": group_id},
    )


def remove_participant(viewer: Viewer, participant_id: object) -> SessionEvent | None:
    """The trainer removes someone from the session: their token stops working at once."""
    _session(viewer)
    if not is_id(participant_id):
        raise PonteError(
            "invalid_participant_id",
            _("'%(name)s' must be a positive whole number.", name="participant_id"),
        )
    attendance = db.session.scalar(
        sa.select(Attendance).where(
            Attendance.session_id == viewer.session_id,
            Attendance.participant_id == participant_id,
        )
    )
    if attendance is None:
        raise PonteError("unknown_participant", _("This person is not in the session."), 404)
    if attendance.removed_at is not None:
        return None
    attendance.removed_at = utcnow()
    db.session.flush()
    from sessions.models import WorkshopSession
    from workshops.audit import audit

    ws = db.session.get(WorkshopSession, viewer.session_id)
    if viewer.account_id is not None:
        from workshops.models import Account

        audit(
            ws.workshop_id,
            db.session.get(Account, viewer.account_id),
            "participant_removed",
            attendance.participant_id,
            session_id=ws.id,
        )
    return removed_event(ws.id, attendance)


def removed_event(session_id: int, attendance: Attendance) -> SessionEvent:
    """Tell the room someone is no longer in it (and whether they had been let in)."""
    role = db.session.scalar(
        sa.select(Participant.role).where(Participant.id == attendance.participant_id)
    )
    return append_event(
        session_id,
        "participant_removed",
        {"participant_id": attendance.participant_id, "role": role, "waiting": attendance.waiting},
    )


ADMISSIONS = ("open", "approval")


def set_admission(viewer: Viewer, mode: object) -> SessionEvent | None:
    """The trainer lets the code alone open the session, or admits each person who joins."""
    ws = _session(viewer)
    if mode not in ADMISSIONS:
        raise PonteError("invalid_mode", _("mode must be 'open' or 'approval'."))
    if ws.admission == mode:
        return None
    ws.admission = mode
    db.session.flush()
    return append_event(ws.id, "admission_changed", {"admission": mode})


def admit_participant(viewer: Viewer, participant_id: object) -> SessionEvent | None:
    """The trainer lets in someone who is waiting; the room sees them join."""
    ws = _session(viewer)
    if not is_id(participant_id):
        raise PonteError(
            "invalid_participant_id",
            _("'%(name)s' must be a positive whole number.", name="participant_id"),
        )
    row = db.session.execute(
        sa.select(Attendance, Participant)
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(
            Attendance.session_id == ws.id,
            Attendance.participant_id == participant_id,
            Attendance.removed_at.is_(None),
        )
    ).first()
    if row is None:
        raise PonteError("unknown_participant", _("This person is not in the session."), 404)
    attendance, participant = row
    if not attendance.waiting:
        return None
    attendance.waiting = False
    db.session.flush()
    return append_event(ws.id, "participant_joined", {"participant": participant.to_dict()})


def regenerate_code(viewer: Viewer) -> SessionEvent:
    """The trainer replaces the join code (e.g. it was seen outside the room): the old one
    stops working; people already in stay in."""
    from sessions.services import new_join_code

    ws = _session(viewer)
    if not ws.is_live:
        raise PonteError("not_live", _("Only a live session has a code."), 409)
    ws.join_code = new_join_code()
    db.session.flush()
    return append_event(ws.id, "join_code_changed", {"join_code": ws.join_code})
