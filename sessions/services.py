"""Verbs on live sessions: the log, open, close, join, post, edit, moderate. Flush, never commit.

Facilitation (phases, prompts, clusters, agenda, groups) is in ``facilitation.py``, dot votes
in ``voting.py``, commitments in ``commitments.py``, and what a screen loads in ``board.py``.
"""

import datetime as dt
import re
import secrets
import uuid
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ponte.errors import PonteError
from ponte.extensions import db
from sessions import content
from sessions.access import Viewer, hash_token, is_id
from sessions.audiences import Audience, present
from sessions.models import (
    SESSION_KINDS,
    AgendaItem,
    Attendance,
    Group,
    Post,
    Prompt,
    SessionEvent,
    StaffAttendance,
    WorkshopSession,
)
from workshops import people
from workshops.access import add_to_team
from workshops.models import PARTICIPANT_ROLES, Account, Participant, Person, Workshop, utcnow
from workshops.services import LANGUAGE_CODE
from workshops.times import check_times

if TYPE_CHECKING:
    from sessions.voice import Recording

MAX_POST_CHARS = 2000
MAX_NAME_CHARS = 60
SYNC_BATCH = 1000
# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud across a noisy room is typed right.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
# Also lone surrogates: JSON may carry one ("\ud83d", half an emoji); no database stores it.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


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
    ws = db.session.get(WorkshopSession, viewer.session_id)
    audience = audience_of(viewer)
    events = []
    for event in rows:
        if _reveals_hidden(event, hidden):
            continue
        data = present(event.type, event.data, ws, audience)
        if data is not None:
            events.append({"seq": event.seq, "type": event.type, "data": data})
    return events, reached, more


def audience_of(viewer: Viewer) -> Audience:
    return Audience(staff=viewer.is_staff, participant_id=viewer.participant_id)


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
    if event.type not in ("post_created", "post_unhidden", "post_edited"):
        return False
    return event.data["post"]["id"] in hidden


# --- sessions ----------------------------------------------------------------------------


def create_session(
    workshop: Workshop,
    kind: str,
    title: str,
    date: dt.date | None = None,
    place: str = "",
    trainer_id: int | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
) -> WorkshopSession:
    """Create a draft session; co-projecting gets the default themed groups, listening prompts,
    in the process's language (and translated into its others, from the catalogs)."""
    if kind not in SESSION_KINDS:
        raise PonteError(
            "invalid_kind", _("kind must be one of %(values)s.", values=", ".join(SESSION_KINDS))
        )
    title = title.strip()
    if not title:
        raise PonteError("invalid", _("A session needs a title."))
    start_time, end_time = check_times(start_time, end_time)
    ws = WorkshopSession(
        workshop_id=workshop.id,
        kind=kind,
        title=title,
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=place.strip(),
        trainer_id=trainer_id,
        projector_key=secrets.token_urlsafe(32),
        phase="frame" if kind == "co_projecting" else None,
    )
    db.session.add(ws)
    db.session.flush()
    trainer = db.session.get(Account, trainer_id) if trainer_id else None
    if trainer is not None and not trainer.is_staff:
        add_to_team(workshop, trainer)  # running one of its sessions puts them on the process
    content.add_defaults(ws, workshop)
    return ws


def new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = db.session.scalar(
            sa.select(WorkshopSession.id).where(WorkshopSession.join_code == code)
        )
        if taken is None:
            return code


def normalize_code(raw: str) -> str:
    """Read a typed code leniently: case, spaces and dashes do not matter."""
    return re.sub(r"[\s\-\ud800-\udfff]", "", raw).upper()  # lone surrogates: see clean_text


def open_session(ws: WorkshopSession) -> SessionEvent:
    """Make the session live with a fresh join code (from draft, or reopening a closed one)."""
    if ws.status == "live":
        raise PonteError("already_live", _("This session is already live."), 409)
    ws.status = "live"
    ws.join_code = new_join_code()
    ws.opened_at = utcnow()
    ws.closed_at = None
    db.session.flush()
    return append_event(ws.id, "session_opened", {"session": ws.to_dict()})


def close_session(ws: WorkshopSession) -> SessionEvent:
    """Close the session: its code stops working and its board becomes read-only."""
    if ws.status != "live":
        raise PonteError("not_live", _("Only a live session can be closed."), 409)
    ws.status = "closed"
    ws.closed_at = utcnow()
    db.session.flush()
    return append_event(ws.id, "session_closed", {"session": ws.to_dict()})


def record_staff_attendance(ws: WorkshopSession, account) -> SessionEvent | None:
    """Count a trainer or staff member as present in the session, once."""
    seen = db.session.scalar(
        sa.select(StaffAttendance.id).where(
            StaffAttendance.session_id == ws.id, StaffAttendance.account_id == account.id
        )
    )
    if seen is not None:
        return None
    try:
        with db.session.begin_nested():
            db.session.add(StaffAttendance(session_id=ws.id, account_id=account.id))
            db.session.flush()
    except IntegrityError:  # a second console of the same account opened at the same time
        return None
    return append_event(ws.id, "trainer_joined", {"trainer": {"name": account.name}})


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
    code: str,
    name: str,
    role: str,
    language: str,
    person_key: object = None,
    badge: object = None,
) -> tuple[Participant, WorkshopSession, str, SessionEvent]:
    """Let someone into the live session of ``code``; return them, it, their token and the event.

    The joining counts for a person of the process: the one ``person_key`` (kept by their
    tablet) or ``badge`` (printed, typed on a shared tablet) stands for, else a new person. A
    key that opens nobody of this process is ignored; a badge must open someone. A tablet of
    several processes may send a list of keys.
    With a badge, name, role and language may be left empty: the person's own are used.
    """
    ws = live_session_by_code(code)
    if ws is None:
        raise PonteError(
            "unknown_code", _("No live session has this code. Check it with the trainer."), 404
        )
    person = None
    if badge:
        person = people.person_by_badge(ws.workshop_id, str(badge))
        if person is None:
            raise PonteError(
                "unknown_badge",
                _("No one in this process has this badge. Check it, or join with a name."),
                404,
            )
        name, role, language = (
            name or person.display_name,
            role or person.role,
            language or (person.language),
        )
    elif person_key:
        # A tablet may hold the keys of several processes: the one of this process counts.
        keys = person_key[:10] if isinstance(person_key, list) else [person_key]
        person = next(
            (found for key in keys if (found := people.person_by_key(ws.workshop_id, key))), None
        )
    name, role, language = check_joiner(name, role, language)
    if person is None:
        person = people.new_person(ws.workshop_id, name, role, language)
    else:
        person.display_name, person.role, person.language = name, role, language
    waiting = ws.admission == "approval"
    participant, token = enter(ws, person, name, role, language, waiting)
    kind = "participant_waiting" if waiting else "participant_joined"
    event = append_event(ws.id, kind, {"participant": participant.to_dict()})
    return participant, ws, token, event


def enter(
    ws: WorkshopSession, person: Person, name: str, role: str, language: str, waiting: bool
) -> tuple[Participant, str]:
    """A joining of ``person`` in the session: its roster entry and a new bearer token (only
    its hash is kept)."""
    participant = Participant(
        workshop_id=ws.workshop_id,
        person_id=person.id,
        origin_person_id=person.id,
        display_name=name,
        role=role,
        language=language,
    )
    db.session.add(participant)
    db.session.flush()
    token = secrets.token_urlsafe(32)
    db.session.add(
        Attendance(
            session_id=ws.id,
            participant_id=participant.id,
            token_hash=hash_token(token),
            waiting=waiting,
        )
    )
    return participant, token


def check_joiner(name: str, role: str, language: str) -> tuple[str, str, str]:
    name = clean_text(name)
    if not name or len(name) > MAX_NAME_CHARS:
        raise PonteError(
            "invalid_name",
            _("Give a name or pseudonym of 1 to %(limit)s characters.", limit=MAX_NAME_CHARS),
        )
    if role not in PARTICIPANT_ROLES:
        raise PonteError(
            "invalid_role",
            _("role must be one of %(values)s.", values=", ".join(PARTICIPANT_ROLES)),
        )
    if not LANGUAGE_CODE.match(language):
        raise PonteError(
            "invalid_language", _("language must be a code like 'it', 'en', 'zh' or 'ar'.")
        )
    return name, role, language


def admission_of(token: object, session_id: int) -> str:
    """Where a token stands in its session: "waiting", "admitted" or "refused"."""
    if not isinstance(token, str) or not 20 <= len(token) <= 200:
        raise PonteError("unauthorized", _("This token is not valid. Join again."), 401)
    attendance = db.session.scalar(
        sa.select(Attendance).where(Attendance.token_hash == hash_token(token))
    )
    if attendance is None or attendance.session_id != session_id:
        raise PonteError("unauthorized", _("This token is not valid. Join again."), 401)
    if attendance.removed_at is not None:
        return "refused"
    return "waiting" if attendance.waiting else "admitted"


def set_language(viewer: Viewer, language: object) -> str:
    """A participant changes their language: the notes they read and write next follow it."""
    viewer.require("set_language")
    if not isinstance(language, str) or not LANGUAGE_CODE.match(language):
        raise PonteError(
            "invalid_language", _("language must be a code like 'it', 'en', 'zh' or 'ar'.")
        )
    participant = db.session.get(Participant, viewer.participant_id)
    participant.language = language
    db.session.get(Person, participant.person_id).language = language
    db.session.flush()
    return language


# --- posts -------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Trim, and drop control characters other than newline and tab, and lone surrogates."""
    return _CONTROL_CHARS.sub("", text).strip()


def parse_client_id(client_id: str) -> str:
    try:
        return str(uuid.UUID(client_id))
    except (ValueError, AttributeError, TypeError):
        raise PonteError("invalid_client_id", _("client_id must be a UUID.")) from None


def check_belongs(model, object_id: int | None, session_id: int, code: str) -> None:
    """Refuse an id that is not of a ``model`` row of this session."""
    if object_id is None:
        return
    owner = db.session.scalar(sa.select(model.session_id).where(model.id == object_id))
    if owner != session_id:
        raise PonteError(code, _unknown_row(code), 404)


def _unknown_row(code: str) -> str:
    messages = {
        "unknown_prompt": _("No such prompt in this session."),
        "unknown_agenda_item": _("No such agenda item in this session."),
        "unknown_group": _("No such group in this session."),
    }
    return messages.get(code) or _("Not found in this session.")


def create_post(
    viewer: Viewer,
    client_id: str,
    text: str,
    group_id: int | None = None,
    prompt_id: int | None = None,
    agenda_item_id: int | None = None,
    said_by: object = None,
    language: object = None,
    recording: "Recording | None" = None,
) -> tuple[Post, SessionEvent | None]:
    """Add a note to the board; the same ``client_id`` again returns the first post, no event.

    Where the note goes follows the room: its author's own themed group, the prompt or agenda
    item on screen, unless the note says otherwise. A mediator (or staff) may write for
    someone in the room (``said_by``): the note is theirs, and records who wrote it. A note
    with a ``recording`` is a voice note; its ``text`` (a transcription) may then be empty.
    """
    viewer.require("post")
    client_id = parse_client_id(client_id)
    existing = own_post_by_client_id(viewer, client_id)
    if existing is not None:
        return existing, None
    ws = writable_session(viewer)
    if ws.phase == "vote":
        raise PonteError("phase_forbids", _("Posting is paused while everyone votes."), 409)
    author = _author(viewer, said_by)
    text = clean_text(text) if recording is not None else _clean_note(text)
    if len(text) > MAX_POST_CHARS:
        raise PonteError(
            "text_too_long",
            _("A transcription can have at most %(count)s characters.", count=MAX_POST_CHARS),
            413,
        )
    language = _note_language(language, author.language if author else viewer.language)
    group_id = _group_for_post(author.id if author else viewer.participant_id, ws, group_id)
    prompt_id = prompt_id if prompt_id is not None else ws.current_prompt_id
    agenda_item_id = agenda_item_id if agenda_item_id is not None else ws.current_agenda_item_id
    check_belongs(Prompt, prompt_id, ws.id, "unknown_prompt")
    check_belongs(AgendaItem, agenda_item_id, ws.id, "unknown_agenda_item")
    try:
        with db.session.begin_nested():
            event = append_event(ws.id, "post_created", {})
            post = Post(
                session_id=ws.id,
                client_id=client_id,
                text=text,
                language=language,
                group_id=group_id,
                prompt_id=prompt_id,
                agenda_item_id=agenda_item_id,
                phase=ws.phase,
                seq=event.seq,
            )
            if author is None:
                post.participant_id = viewer.participant_id
                post.account_id = viewer.account_id
                post.author_name, post.author_role = viewer.name, viewer.role
            else:
                post.participant_id = author.id
                post.author_name, post.author_role = author.display_name, author.role
                post.scribe_participant_id = viewer.participant_id
                post.scribe_account_id = viewer.account_id
                post.scribe_name, post.scribe_role = viewer.name, viewer.role
            if recording is not None:
                post.kind = "voice"
                post.audio_path = recording.path
                post.audio_mime = recording.mime
                post.audio_seconds = recording.seconds
            db.session.add(post)
            db.session.flush()
            event.data = {"post": post_dict(post)}
            db.session.flush()
    except IntegrityError:
        # Another writer stored this client_id between our check and our insert (PostgreSQL).
        existing = own_post_by_client_id(viewer, client_id)
        if existing is None:
            raise
        return existing, None
    return post, event


def _author(viewer: Viewer, said_by: object) -> Participant | None:
    """Return the person a mediator writes for, or None when the viewer writes for themself."""
    if said_by is None or said_by == viewer.participant_id:
        return None
    viewer.require("write_for")
    if not is_id(said_by):
        raise PonteError(
            "invalid_said_by", _("said_by must be the id of a person in this session.")
        )
    author = db.session.scalar(
        sa.select(Participant)
        .join(Attendance, Attendance.participant_id == Participant.id)
        .where(
            Participant.id == said_by,
            Attendance.session_id == viewer.session_id,
            Attendance.removed_at.is_(None),
        )
    )
    if author is None:
        raise PonteError("unknown_participant", _("This person is not in the session."), 404)
    return author


def _note_language(language: object, default: str) -> str:
    if language is None:
        return default
    if not isinstance(language, str) or not LANGUAGE_CODE.match(language):
        raise PonteError(
            "invalid_language", _("language must be a code like 'it', 'en', 'zh' or 'ar'.")
        )
    return language


def post_dict(post: Post) -> dict:
    """A post as screens get it: the note, its translations and its reactions."""
    from sessions.reactions import reaction_counts
    from sessions.translations import translations_of

    return {
        **post.to_dict(),
        "translations": translations_of([post.id]).get(post.id, []),
        "reactions": reaction_counts([post.id])[post.id],
    }


def _clean_note(text: str) -> str:
    text = clean_text(text)
    if not text:
        raise PonteError("text_required", _("Write something before posting."))
    if len(text) > MAX_POST_CHARS:
        raise PonteError(
            "text_too_long",
            _("A note can have at most %(count)s characters.", count=MAX_POST_CHARS),
            413,
        )
    return text


def _group_for_post(
    participant_id: int | None, ws: WorkshopSession, group_id: int | None
) -> int | None:
    """Return the group a note goes to: a participant assigned to a group writes in it."""
    check_belongs(Group, group_id, ws.id, "unknown_group")
    if participant_id is None:
        return group_id
    own = db.session.scalar(
        sa.select(Attendance.group_id).where(
            Attendance.session_id == ws.id, Attendance.participant_id == participant_id
        )
    )
    if own is None:
        return group_id
    if group_id is not None and group_id != own:
        raise PonteError("not_your_group", _("You can post on your own group's board only."), 403)
    return own


def writable_session(viewer: Viewer) -> WorkshopSession:
    """Return the viewer's session if notes may be written now: live and not locked."""
    ws = db.session.get(WorkshopSession, viewer.session_id)
    if ws is None or not ws.is_live:
        raise PonteError(
            "session_closed", _("This session is not live: the board is read-only."), 409
        )
    if ws.locked and not viewer.can("facilitate"):
        raise PonteError("board_locked", _("The trainer has paused the board for now."), 409)
    return ws


def edit_post(viewer: Viewer, post_id: object, text: str) -> tuple[Post, SessionEvent]:
    """Change the text of one's own note (or of one written for someone else)."""
    viewer.require("post")
    post = post_in_session(viewer, post_id)
    if not wrote(viewer, post):
        raise PonteError("not_your_post", _("You can edit only your own notes."), 403)
    writable_session(viewer)
    post.text = _clean_note(text)
    post.edited_at = utcnow()
    db.session.flush()
    return post, append_event(post.session_id, "post_edited", {"post": post_dict(post)})


def wrote(viewer: Viewer, post: Post) -> bool:
    """True when the viewer typed this note: its author, or the mediator who wrote it for them."""
    if post.scribe_name:
        participant_id, account_id = post.scribe_participant_id, post.scribe_account_id
    else:
        participant_id, account_id = post.participant_id, post.account_id
    return (viewer.participant_id is not None and participant_id == viewer.participant_id) or (
        viewer.account_id is not None and account_id == viewer.account_id
    )


def own_post_by_client_id(viewer: Viewer, client_id: str) -> Post | None:
    """Return the viewer's own post with this client_id; someone else's is refused.

    Every screen sees client_ids: resending another person's must not hand out their post.
    """
    post = db.session.scalar(
        sa.select(Post).where(Post.session_id == viewer.session_id, Post.client_id == client_id)
    )
    if post is None:
        return None
    if not wrote(viewer, post):
        raise PonteError("invalid_client_id", _("This client_id is already used. Make a new one."))
    return post


def post_in_session(viewer: Viewer, post_id: object) -> Post:
    """Return the post ``post_id`` of the viewer's session, or refuse."""
    if not is_id(post_id):
        raise PonteError(
            "invalid_post_id", _("'%(name)s' must be a positive whole number.", name="post_id")
        )
    post = db.session.get(Post, post_id)
    if post is None or post.session_id != viewer.session_id:
        raise PonteError("unknown_post", _("No such post in this session."), 404)
    return post


def hide_post(viewer: Viewer, post_id: object) -> tuple[Post, list[SessionEvent]]:
    """Hide a note from everyone but staff (and off the projector); twice changes nothing."""
    viewer.require("facilitate")
    post = post_in_session(viewer, post_id)
    if post.hidden:
        return post, []
    post.hidden = True
    db.session.flush()
    events = [append_event(post.session_id, "post_hidden", {"post_id": post.id})]
    ws = db.session.get(WorkshopSession, post.session_id)
    if ws.spotlight_post_id == post.id:
        ws.spotlight_post_id = None
        events.append(append_event(ws.id, "post_spotlighted", {"post_id": None}))
    return post, events


def unhide_post(viewer: Viewer, post_id: object) -> tuple[Post, SessionEvent | None]:
    """Show a hidden note again."""
    viewer.require("facilitate")
    post = post_in_session(viewer, post_id)
    if not post.hidden:
        return post, None
    post.hidden = False
    db.session.flush()
    return post, append_event(post.session_id, "post_unhidden", {"post": post_dict(post)})
