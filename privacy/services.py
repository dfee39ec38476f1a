"""Consent, data copies, erasure and retention. Flush, never commit; every staff action on
personal data leaves an ``AuditEntry``.

Erasing a participant removes their name and personal fields everywhere Ponte keeps them —
the roster, notes, translations and transcriptions they wrote, prototypes' history, feedback,
commitments, and the sessions' event logs that screens replay — deletes their voice notes and
the photos they can be recognised in, and ends their access. Their notes are kept as an
"anonymous participant" or deleted, as staff choose. Publications read the database when they
are made, so every publication generated afterwards leaves them out.
"""

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from prototypes.models import Feedback, PrototypeRevision
from publications.models import Media
from sessions import voice
from sessions.models import (
    Attendance,
    Commitment,
    Post,
    PostTranslation,
    Reaction,
    SessionEvent,
    Vote,
    WorkshopSession,
)
from workshops.audit import audit
from workshops.models import Account, Participant, Workshop, utcnow

ERASED_NAME = "Anonymous participant"
QUOTE_CONSENTS = ("named", "anonymous", "internal", "never")
NOTE_CHOICES = ("anonymize", "delete")
MAX_RETENTION_MONTHS = 120


def participant_of(workshop: Workshop, participant_id: int) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop.id:
        raise PonteError("unknown_participant", _("No such person in this process."), 404)
    return participant


def roster(workshop: Workshop) -> list[dict]:
    """The people of a process with what Ponte keeps about them (counts, not contents)."""
    people = db.session.scalars(
        sa.select(Participant)
        .where(Participant.workshop_id == workshop.id)
        .order_by(Participant.id)
    ).all()
    notes = _counts(Post.participant_id, Post.kind == "text")
    voices = _counts(Post.participant_id, Post.kind == "voice")
    sessions = _counts(Attendance.participant_id)
    photos = {
        pid: sum(1 for media in _photos(workshop.id) if pid in (media.participant_ids or []))
        for pid in (p.id for p in people)
    }
    return [
        {
            **person.to_dict(),
            "quote_consent": person.quote_consent,
            "erased": person.erased_at is not None,
            "joined": person.created_at,
            "notes": notes.get(person.id, 0),
            "voice_notes": voices.get(person.id, 0),
            "sessions": sessions.get(person.id, 0),
            "photos": photos.get(person.id, 0),
        }
        for person in people
    ]


def _counts(column, *conditions) -> dict[int, int]:
    query = sa.select(column, sa.func.count()).where(column.is_not(None), *conditions)
    return dict(db.session.execute(query.group_by(column)).all())


def _photos(workshop_id: int) -> list[Media]:
    return list(db.session.scalars(sa.select(Media).where(Media.workshop_id == workshop_id)))


def set_consent(account: Account, workshop: Workshop, participant_id: int, consent: str) -> None:
    """Change how someone may be quoted; every later publication follows."""
    participant = participant_of(workshop, participant_id)
    if consent not in QUOTE_CONSENTS:
        raise PonteError("invalid_consent", _("Choose named, anonymous, internal or never."))
    if participant.erased_at is not None:
        raise PonteError("erased", _("This person has been erased."), 409)
    if participant.quote_consent == consent:
        return
    audit(
        workshop.id,
        account,
        "consent_changed",
        participant.id,
        before=participant.quote_consent,
        after=consent,
    )
    participant.quote_consent = consent
    db.session.flush()


def set_retention(account: Account, workshop: Workshop, months: object) -> None:
    if not isinstance(months, int) or isinstance(months, bool):
        raise PonteError("invalid_months", _("Give a whole number of months."))
    if not 1 <= months <= MAX_RETENTION_MONTHS:
        raise PonteError(
            "invalid_months",
            _("Keep personal data from 1 to %(max)s months.", max=MAX_RETENTION_MONTHS),
        )
    if workshop.retention_months != months:
        audit(
            workshop.id,
            account,
            "retention_changed",
            before=workshop.retention_months,
            after=months,
        )
        workshop.retention_months = months
        db.session.flush()


# --- a participant's data copy -----------------------------------------------------------


def data_copy(account: Account, workshop: Workshop, participant_id: int) -> dict:
    """Everything Ponte keeps about one participant, as plain JSON (their right of access)."""
    participant = participant_of(workshop, participant_id)
    audit(workshop.id, account, "data_copy", participant.id)
    sessions = db.session.execute(
        sa.select(WorkshopSession, Attendance)
        .join(Attendance, Attendance.session_id == WorkshopSession.id)
        .where(Attendance.participant_id == participant.id)
        .order_by(WorkshopSession.id)
    ).all()
    posts = db.session.scalars(
        sa.select(Post).where(Post.participant_id == participant.id).order_by(Post.id)
    ).all()
    translations = db.session.scalars(
        sa.select(PostTranslation).where(PostTranslation.post_id.in_([p.id for p in posts]))
    ).all()
    return {
        "process": {"id": workshop.id, "title": workshop.title, "city": workshop.city},
        "made_at": utcnow().isoformat() + "Z",
        "person": {
            **participant.to_dict(),
            "quote_consent": participant.quote_consent,
            "joined_at": participant.created_at.isoformat() + "Z",
            "erased": participant.erased_at is not None,
        },
        "sessions": [
            {
                "title": ws.title,
                "kind": ws.kind,
                "date": ws.date.isoformat() if ws.date else None,
                "joined_at": attendance.joined_at.isoformat() + "Z",
                "removed_at": attendance.removed_at.isoformat() + "Z"
                if attendance.removed_at
                else None,
            }
            for ws, attendance in sessions
        ],
        "notes": [
            {
                "id": post.id,
                "session_id": post.session_id,
                "text": post.text,
                "language": post.language,
                "kind": post.kind,
                "voice_seconds": post.audio_seconds,
                "written_down_by": post.scribe_role,
                "hidden": post.hidden,
                "quote_consent": post.quote_consent,
                "created_at": post.created_at.isoformat() + "Z",
                "translations": {t.language: t.text for t in translations if t.post_id == post.id},
            }
            for post in posts
        ],
        "votes": db.session.scalar(
            sa.select(sa.func.count(Vote.id)).where(Vote.participant_id == participant.id)
        ),
        "reactions": [
            {"post_id": r.post_id, "kind": r.kind}
            for r in db.session.scalars(
                sa.select(Reaction).where(Reaction.participant_id == participant.id)
            )
        ],
        "feedback": [
            {"prototype_id": f.prototype_id, "kind": f.kind, "text": f.text}
            for f in db.session.scalars(
                sa.select(Feedback).where(Feedback.participant_id == participant.id)
            )
        ],
        "commitments_recorded": [
            {"what": c.what, "who": c.who}
            for c in db.session.scalars(
                sa.select(Commitment).where(Commitment.participant_id == participant.id)
            )
        ],
        "photos": [
            {"id": m.id, "caption": m.caption}
            for m in _photos(workshop.id)
            if participant.id in (m.participant_ids or [])
        ],
    }


# --- erasure -----------------------------------------------------------------------------


@dataclass
class Erasure:
    """What erasing one participant did (for the audit log and the staff's confirmation)."""

    participant_id: int
    notes: str
    notes_kept: int = 0
    notes_deleted: int = 0
    voice_notes_deleted: int = 0
    photos_deleted: int = 0
    log_events_scrubbed: int = 0
    live_sessions: set[int] = field(default_factory=set)
    # Deleted notes, and the session each was in (live screens are told to drop them).
    deleted_posts: dict[int, int] = field(default_factory=dict)
    # Notes kept without their name, and their session (live screens redraw them).
    kept_posts: dict[int, int] = field(default_factory=dict)


def erase(account: Account | None, workshop: Workshop, participant_id: int, notes: str) -> Erasure:
    """Erase one participant of a process. ``notes``: "anonymize" or "delete" their notes."""
    if notes not in NOTE_CHOICES:
        raise PonteError("invalid_notes", _("Choose to anonymize or delete their notes."))
    participant = participant_of(workshop, participant_id)
    done = Erasure(participant_id=participant.id, notes=notes)
    if participant.erased_at is not None:
        return done
    pid = participant.id
    posts = db.session.scalars(sa.select(Post).where(Post.participant_id == pid)).all()
    for post in posts:
        if post.audio_path:
            voice.file_of(post.audio_path).unlink(missing_ok=True)
            done.voice_notes_deleted += 1
        if notes == "delete" or (post.kind == "voice" and not post.text):
            done.deleted_posts[post.id] = post.session_id
            continue
        post.author_name = ERASED_NAME
        post.kind, post.audio_path, post.audio_mime, post.audio_seconds = "text", None, None, None
        post.quote_consent = "never"
        done.kept_posts[post.id] = post.session_id
        done.notes_kept += 1
    _delete_posts(list(done.deleted_posts))
    done.notes_deleted = len(done.deleted_posts)
    # Their name wherever they wrote for, translated or transcribed others' words.
    db.session.execute(
        sa.update(Post).where(Post.scribe_participant_id == pid).values(scribe_name=ERASED_NAME)
    )
    db.session.execute(
        sa.update(PostTranslation)
        .where(PostTranslation.translator_participant_id == pid)
        .values(translator_name=ERASED_NAME)
    )
    db.session.execute(
        sa.update(Feedback).where(Feedback.participant_id == pid).values(author_name=ERASED_NAME)
    )
    if notes == "delete":
        db.session.execute(sa.delete(Feedback).where(Feedback.participant_id == pid))
    db.session.execute(
        sa.update(PrototypeRevision)
        .where(PrototypeRevision.participant_id == pid)
        .values(author_name=ERASED_NAME)
    )
    db.session.execute(
        sa.update(Commitment)
        .where(Commitment.participant_id == pid)
        .values(recorded_by_name=ERASED_NAME)
    )
    for media in _photos(workshop.id):
        if pid in (media.participant_ids or []):
            (_media_dir() / media.filename).unlink(missing_ok=True)
            db.session.delete(media)
            done.photos_deleted += 1
    # End their access to every session, now.
    attendances = db.session.scalars(sa.select(Attendance).where(Attendance.participant_id == pid))
    for attendance in attendances:
        attendance.removed_at = attendance.removed_at or utcnow()
        session = db.session.get(WorkshopSession, attendance.session_id)
        if session is not None and session.is_live:
            done.live_sessions.add(session.id)
    done.log_events_scrubbed = _scrub_logs(workshop.id, pid, set(done.deleted_posts))
    participant.display_name = ERASED_NAME
    participant.quote_consent = "never"
    participant.erased_at = utcnow()
    db.session.flush()
    audit(
        workshop.id,
        account,
        "participant_erased",
        pid,
        notes=notes,
        notes_kept=done.notes_kept,
        notes_deleted=done.notes_deleted,
        voice_notes_deleted=done.voice_notes_deleted,
        photos_deleted=done.photos_deleted,
        log_events_scrubbed=done.log_events_scrubbed,
    )
    return done


def _media_dir():
    from publications.media import media_folder

    return media_folder()


def _delete_posts(post_ids: list[int]) -> None:
    if not post_ids:
        return
    from prototypes.models import PrototypeLink

    db.session.execute(sa.delete(PrototypeLink).where(PrototypeLink.post_id.in_(post_ids)))
    db.session.execute(sa.delete(PostTranslation).where(PostTranslation.post_id.in_(post_ids)))
    db.session.execute(sa.delete(Reaction).where(Reaction.post_id.in_(post_ids)))
    db.session.execute(sa.delete(Vote).where(Vote.post_id.in_(post_ids)))
    db.session.execute(
        sa.update(WorkshopSession)
        .where(WorkshopSession.spotlight_post_id.in_(post_ids))
        .values(spotlight_post_id=None)
    )
    db.session.execute(sa.delete(Post).where(Post.id.in_(post_ids)))


def _scrub_logs(workshop_id: int, participant_id: int, deleted_post_ids: set[int]) -> int:
    """Rewrite the sessions' event logs: their name goes; their deleted notes' words go."""
    session_ids = db.session.scalars(
        sa.select(WorkshopSession.id).where(WorkshopSession.workshop_id == workshop_id)
    ).all()
    scrubbed = 0
    events = db.session.scalars(
        sa.select(SessionEvent).where(SessionEvent.session_id.in_(session_ids))
    )
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        post = data.get("post") if isinstance(data.get("post"), dict) else {}
        about = post.get("id", data.get("post_id"))
        if about is not None and about in deleted_post_ids:
            # Any event about a deleted note (its words, translations, votes) says only that.
            event.type = "post_erased"
            event.data = {"post_id": about}
            scrubbed += 1
            continue
        cleaned = _without_person(event.data, participant_id)
        if cleaned != event.data:
            event.data = cleaned
            scrubbed += 1
    return scrubbed


def _without_person(data, participant_id: int):
    """``data`` with this participant's name replaced wherever it names them, at any depth.

    A person appears in the protocol as ``{"name", "role", "participant_id"}`` (authors,
    scribes, translators) or as a participant ``{"id", "name", "role", "language"}``.
    """
    if isinstance(data, list):
        return [_without_person(item, participant_id) for item in data]
    if not isinstance(data, dict):
        return data
    cleaned = {key: _without_person(value, participant_id) for key, value in data.items()}
    names_them = cleaned.get("participant_id") == participant_id or (
        cleaned.get("id") == participant_id and {"role", "language"} <= cleaned.keys()
    )
    if names_them and cleaned.get("name") is not None:
        cleaned["name"] = ERASED_NAME
    return cleaned


# --- retention ---------------------------------------------------------------------------


@dataclass
class Expired:
    workshop_id: int
    title: str
    last_activity: dt.date
    participants: int


def expired(today: dt.date) -> list[Expired]:
    """Processes whose retention period has passed since their last session, with people
    not yet erased."""
    found = []
    for workshop in db.session.scalars(sa.select(Workshop).order_by(Workshop.id)):
        last = _last_activity(workshop)
        if last is None or _add_months(last, workshop.retention_months) > today:
            continue
        people = db.session.scalar(
            sa.select(sa.func.count(Participant.id)).where(
                Participant.workshop_id == workshop.id, Participant.erased_at.is_(None)
            )
        )
        if people:
            found.append(Expired(workshop.id, workshop.title, last, people))
    return found


def purge_expired(today: dt.date) -> list[Expired]:
    """Erase (keeping notes anonymous) everyone in processes past their retention period."""
    found = expired(today)
    for item in found:
        workshop = db.session.get(Workshop, item.workshop_id)
        ids = db.session.scalars(
            sa.select(Participant.id).where(
                Participant.workshop_id == workshop.id, Participant.erased_at.is_(None)
            )
        ).all()
        for participant_id in ids:
            erase(None, workshop, participant_id, "anonymize")
        audit(
            workshop.id,
            None,
            "expired_purged",
            people=len(ids),
            last_activity=str(item.last_activity),
        )
    return found


def _last_activity(workshop: Workshop) -> dt.date | None:
    sessions = db.session.scalars(
        sa.select(WorkshopSession).where(WorkshopSession.workshop_id == workshop.id)
    ).all()
    if any(ws.is_live for ws in sessions):
        return None  # never while a session is running
    dates = [ws.closed_at.date() for ws in sessions if ws.closed_at]
    dates += [ws.date for ws in sessions if ws.date]
    if not dates:
        return workshop.created_at.date()
    return max(dates)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")
