"""Verbs on live sessions: open, close, join, post, moderate, replay. They flush, never commit."""

import datetime as dt
import re
import secrets
import uuid

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ponte.errors import PonteError
from ponte.extensions import db
from sessions.access import Viewer, hash_token, is_id
from sessions.models import (
    SESSION_KINDS,
    Attendance,
    Group,
    Post,
    Prompt,
    SessionEvent,
    WorkshopSession,
)
from workshops.models import PARTICIPANT_ROLES, Participant, Workshop, utcnow
from workshops.services import LANGUAGE_CODE

MAX_POST_CHARS = 2000
MAX_NAME_CHARS = 60
SYNC_BATCH = 1000
# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud across a noisy room is typed right.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
DEFAULT_GROUPS = ("School", "Participation", "Services")
DEFAULT_PROMPTS = ("What works?", "What is hard?", "What would you change?")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- the event log -----------------------------------------------------------------------


def append_event(session_id: int, type_: str, data: dict) -> SessionEvent:
    """Append a change to the session's log under the next seq (locks the session row)."""
    seq = db.session.execute(
        sa.update(WorkshopSession)
        .where(WorkshopSession.id == session_id)
        .values(last_seq=WorkshopSession.last_seq + 1)
        .returning(WorkshopSession.last_seq)
    ).scalar_one()
    event = SessionEvent(session_id=session_id, seq=seq, type=type_, data=data)
    db.session.add(event)
    db.session.flush()
    return event


def events_since(viewer: Viewer, since: int) -> tuple[list[dict], int, bool]:
    """Return (events after ``since`` this viewer may see, seq reached, more to come)."""
    # Read the latest seq first and stop there: under READ COMMITTED (PostgreSQL) an event
    # committed between two statements must not be skipped by reporting a later seq.
    latest = _last_seq(viewer.session_id)
    rows = db.session.scalars(
        sa.select(SessionEvent)
        .where(
            SessionEvent.session_id == viewer.session_id,
            SessionEvent.seq > since,
            SessionEvent.seq <= latest,
        )
        .order_by(SessionEvent.seq)
        .limit(SYNC_BATCH + 1)
    ).all()
    more = len(rows) > SYNC_BATCH
    rows = rows[:SYNC_BATCH]
    reached = rows[-1].seq if more else max(latest, since)
    hidden = set() if viewer.is_staff else _hidden_post_ids(viewer.session_id)
    events = [e.to_dict() for e in rows if not _reveals_hidden(e, hidden)]
    return events, reached, more


def _last_seq(session_id: int) -> int:
    return (
        db.session.scalar(
            sa.select(WorkshopSession.last_seq).where(WorkshopSession.id == session_id)
        )
        or 0
    )


def _hidden_post_ids(session_id: int) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(Post.id).where(Post.session_id == session_id, Post.hidden.is_(True))
        )
    )


def _reveals_hidden(event: SessionEvent, hidden: set[int]) -> bool:
    """True when replaying ``event`` would show a participant a post the trainer has hidden."""
    if event.type not in ("post_created", "post_unhidden"):
        return False
    return event.data["post"]["id"] in hidden


# --- sessions ----------------------------------------------------------------------------


def create_session(
    workshop: Workshop, kind: str, title: str, date: dt.date | None = None, place: str = ""
) -> WorkshopSession:
    """Create a draft session; co-projecting gets the default themed groups, listening prompts."""
    if kind not in SESSION_KINDS:
        raise PonteError("invalid_kind", f"kind must be one of {', '.join(SESSION_KINDS)}")
    title = title.strip()
    if not title:
        raise PonteError("invalid", "A session needs a title.")
    ws = WorkshopSession(
        workshop_id=workshop.id, kind=kind, title=title, date=date, place=place.strip()
    )
    db.session.add(ws)
    db.session.flush()
    if kind == "co_projecting":
        for position, name in enumerate(DEFAULT_GROUPS):
            db.session.add(Group(session_id=ws.id, name=name, position=position))
    if kind == "listening":
        for position, text in enumerate(DEFAULT_PROMPTS):
            db.session.add(Prompt(session_id=ws.id, text=text, position=position))
    db.session.flush()
    return ws


def _new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = db.session.scalar(
            sa.select(WorkshopSession.id).where(WorkshopSession.join_code == code)
        )
        if taken is None:
            return code


def normalize_code(raw: str) -> str:
    """Read a typed code leniently: case, spaces and dashes do not matter."""
    return re.sub(r"[\s\-]", "", raw).upper()


def open_session(ws: WorkshopSession) -> SessionEvent:
    """Make the session live with a fresh join code (from draft, or reopening a closed one)."""
    if ws.status == "live":
        raise PonteError("already_live", "This session is already live.", 409)
    ws.status = "live"
    ws.join_code = _new_join_code()
    ws.opened_at = utcnow()
    ws.closed_at = None
    db.session.flush()
    return append_event(ws.id, "session_opened", {"session": ws.to_dict()})


def close_session(ws: WorkshopSession) -> SessionEvent:
    """Close the session: its code stops working and its board becomes read-only."""
    if ws.status != "live":
        raise PonteError("not_live", "Only a live session can be closed.", 409)
    ws.status = "closed"
    ws.closed_at = utcnow()
    db.session.flush()
    return append_event(ws.id, "session_closed", {"session": ws.to_dict()})


def live_session_by_code(code: str) -> WorkshopSession | None:
    """Return the live session a join code opens, or None."""
    normalized = normalize_code(code)
    if not normalized:
        return None
    return db.session.scalar(
        sa.select(WorkshopSession).where(
            WorkshopSession.join_code == normalized, WorkshopSession.status == "live"
        )
    )


def join(
    code: str, name: str, role: str, language: str
) -> tuple[Participant, WorkshopSession, str, SessionEvent]:
    """Let someone into the live session of ``code``; return them, it, their token and the event."""
    ws = live_session_by_code(code)
    if ws is None:
        raise PonteError(
            "unknown_code", "No live session has this code. Check it with the trainer.", 404
        )
    name = _clean_text(name)
    if not name or len(name) > MAX_NAME_CHARS:
        raise PonteError(
            "invalid_name", f"Give a name or pseudonym of 1 to {MAX_NAME_CHARS} characters."
        )
    if role not in PARTICIPANT_ROLES:
        raise PonteError("invalid_role", f"role must be one of {', '.join(PARTICIPANT_ROLES)}.")
    if not LANGUAGE_CODE.match(language):
        raise PonteError(
            "invalid_language", "language must be a code like 'it', 'en', 'zh' or 'ar'."
        )
    participant = Participant(
        workshop_id=ws.workshop_id, display_name=name, role=role, language=language
    )
    db.session.add(participant)
    db.session.flush()
    token = secrets.token_urlsafe(32)
    db.session.add(
        Attendance(session_id=ws.id, participant_id=participant.id, token_hash=hash_token(token))
    )
    event = append_event(ws.id, "participant_joined", {"participant": participant.to_dict()})
    return participant, ws, token, event


# --- posts -------------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    return _CONTROL_CHARS.sub("", text).strip()


def _parse_client_id(client_id: str) -> str:
    try:
        return str(uuid.UUID(client_id))
    except (ValueError, AttributeError, TypeError):
        raise PonteError("invalid_client_id", "client_id must be a UUID.") from None


def _check_belongs(model, object_id: int | None, session_id: int, code: str) -> None:
    if object_id is None:
        return
    owner = db.session.scalar(sa.select(model.session_id).where(model.id == object_id))
    if owner != session_id:
        raise PonteError(code, f"No such {model.__name__.lower()} in this session.", 404)


def create_post(
    viewer: Viewer,
    client_id: str,
    text: str,
    group_id: int | None = None,
    prompt_id: int | None = None,
) -> tuple[Post, SessionEvent | None]:
    """Add a note to the board; the same ``client_id`` again returns the first post, no event."""
    viewer.require("post")
    client_id = _parse_client_id(client_id)
    existing = _post_by_client_id(viewer.session_id, client_id)
    if existing is not None:
        return existing, None
    ws = db.session.get(WorkshopSession, viewer.session_id)
    if ws is None or not ws.is_live:
        raise PonteError("session_closed", "This session is not live: the board is read-only.", 409)
    text = _clean_text(text)
    if not text:
        raise PonteError("text_required", "Write something before posting.")
    if len(text) > MAX_POST_CHARS:
        raise PonteError(
            "text_too_long", f"A note can have at most {MAX_POST_CHARS} characters.", 413
        )
    _check_belongs(Group, group_id, ws.id, "unknown_group")
    _check_belongs(Prompt, prompt_id, ws.id, "unknown_prompt")
    try:
        with db.session.begin_nested():
            event = append_event(ws.id, "post_created", {})
            post = Post(
                session_id=ws.id,
                client_id=client_id,
                participant_id=viewer.participant_id,
                account_id=viewer.account_id,
                author_name=viewer.name,
                author_role=viewer.role,
                text=text,
                language=viewer.language,
                group_id=group_id,
                prompt_id=prompt_id,
                seq=event.seq,
            )
            db.session.add(post)
            db.session.flush()
            event.data = {"post": post.to_dict()}
            db.session.flush()
    except IntegrityError:
        # Another writer stored this client_id between our check and our insert (PostgreSQL).
        existing = _post_by_client_id(viewer.session_id, client_id)
        if existing is None:
            raise
        return existing, None
    return post, event


def _post_by_client_id(session_id: int, client_id: str) -> Post | None:
    return db.session.scalar(
        sa.select(Post).where(Post.session_id == session_id, Post.client_id == client_id)
    )


def _post_in_session(viewer: Viewer, post_id: object) -> Post:
    if not is_id(post_id):
        raise PonteError("invalid_post_id", "post_id must be a positive whole number.")
    post = db.session.get(Post, post_id)
    if post is None or post.session_id != viewer.session_id:
        raise PonteError("unknown_post", "No such post in this session.", 404)
    return post


def hide_post(viewer: Viewer, post_id: object) -> tuple[Post, SessionEvent | None]:
    """Hide a note from everyone but staff; hiding a hidden note changes nothing."""
    viewer.require("moderate")
    post = _post_in_session(viewer, post_id)
    if post.hidden:
        return post, None
    post.hidden = True
    db.session.flush()
    return post, append_event(post.session_id, "post_hidden", {"post_id": post.id})


def unhide_post(viewer: Viewer, post_id: object) -> tuple[Post, SessionEvent | None]:
    """Show a hidden note again."""
    viewer.require("moderate")
    post = _post_in_session(viewer, post_id)
    if not post.hidden:
        return post, None
    post.hidden = False
    db.session.flush()
    return post, append_event(post.session_id, "post_unhidden", {"post": post.to_dict()})


# --- reading the board -------------------------------------------------------------------


def board(viewer: Viewer) -> dict:
    """Return everything a screen needs to draw the board, as this viewer may see it."""
    viewer.require("read")
    ws = db.session.get(WorkshopSession, viewer.session_id)
    if ws is None:
        raise PonteError("unknown_session", "No such session.", 404)
    posts_query = sa.select(Post).where(Post.session_id == ws.id).order_by(Post.seq)
    if not viewer.is_staff:
        posts_query = posts_query.where(Post.hidden.is_(False))
    groups = db.session.scalars(
        sa.select(Group).where(Group.session_id == ws.id).order_by(Group.position, Group.id)
    )
    prompts = db.session.scalars(
        sa.select(Prompt).where(Prompt.session_id == ws.id).order_by(Prompt.position, Prompt.id)
    )
    workshop = db.session.get(Workshop, ws.workshop_id)
    return {
        "session": ws.to_dict(),
        "workshop": workshop.to_dict() if workshop else None,
        "groups": [g.to_dict() for g in groups],
        "prompts": [p.to_dict() for p in prompts],
        "posts": [p.to_dict() for p in db.session.scalars(posts_query)],
        "seq": ws.last_seq,
        "people": db.session.scalar(
            sa.select(sa.func.count(Attendance.id)).where(Attendance.session_id == ws.id)
        ),
        "me": {
            "name": viewer.name,
            "role": viewer.role,
            "language": viewer.language,
            "participant_id": viewer.participant_id,
        },
    }
