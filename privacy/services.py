"""Consent, data copies, erasure and retention, of a person across every session of the
process. Flush, never commit; every staff action on personal data leaves an ``AuditEntry``.

Erasing a person removes their name and personal fields everywhere Ponte keeps them —
the roster, notes, translations and transcriptions they wrote, prototypes' history, feedback,
commitments, and the sessions' event logs that screens replay — deletes their voice notes and
the photos they can be recognised in, and ends their access. Their notes are kept as an
"anonymous participant" or deleted, as staff choose. Publications read the database when they
are made, so every publication generated afterwards leaves them out.
"""

import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from prototypes.models import Feedback, PrototypeRevision
from publications.models import Media
from sessions import voice
from sessions.content import ContentTranslation
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
from workshops import models as workshop_models
from workshops import people
from workshops.audit import audit
from workshops.models import Account, Participant, Person, Workshop, utcnow

ERASED_NAME = "Anonymous participant"
QUOTE_CONSENTS = workshop_models.QUOTE_CONSENTS
NOTE_CHOICES = ("anonymize", "delete")


def roster(workshop: Workshop) -> list[dict]:
    """The people of a process with what Ponte keeps about them (counts, not contents), each
    once, with the entries merged into them."""
    persons = db.session.scalars(
        sa.select(Person)
        .where(Person.workshop_id == workshop.id, Person.merged_into_id.is_(None))
        .order_by(Person.id)
    ).all()
    joinings: dict[int, list[int]] = {}
    for participant_id, person_id in db.session.execute(
        sa.select(Participant.id, Participant.person_id).where(
            Participant.workshop_id == workshop.id
        )
    ):
        joinings.setdefault(person_id, []).append(participant_id)
    notes = _counts(Post.participant_id, Post.kind == "text")
    voices = _counts(Post.participant_id, Post.kind == "voice")
    sessions = dict(
        db.session.execute(
            sa.select(Participant.person_id, sa.func.count(sa.distinct(Attendance.session_id)))
            .join(Attendance, Attendance.participant_id == Participant.id)
            .where(Participant.workshop_id == workshop.id)
            .group_by(Participant.person_id)
        ).all()
    )
    photos = _photos(workshop.id)
    merged = people.merged_entries(workshop.id)
    names = people.pseudonyms(workshop.id)
    return [
        {
            "id": person.id,
            "pseudonym": names.get(person.id, ""),
            "name": person.display_name,
            "role": person.role,
            "language": person.language,
            "quote_consent": person.quote_consent,
            "photo_consent": person.photo_consent,
            "consent_asked": person.consent_asked_at is not None,
            "without_device": person.without_device,
            "badge": people.badge_label(person.badge_code),
            "erased": person.erased_at is not None,
            "joined": person.created_at,
            "joinings": len(joinings.get(person.id, [])),
            "notes": sum(notes.get(pid, 0) for pid in joinings.get(person.id, [])),
            "voice_notes": sum(voices.get(pid, 0) for pid in joinings.get(person.id, [])),
            "sessions": sessions.get(person.id, 0),
            "photos": sum(1 for m in photos if _shows(m, entry_ids(person, merged))),
            "merged": [
                {"id": entry.id, "name": entry.display_name} for entry in merged.get(person.id, [])
            ],
        }
        for person in persons
    ]


def _shows(media: Media, person_ids: list[int]) -> bool:
    """True when one of these people (a person and the entries merged into them) is in it."""
    return any(pid in (media.person_ids or []) for pid in person_ids)


def entry_ids(person: Person, merged: dict[int, list[Person]]) -> list[int]:
    """A person's id and the ids of the entries merged into them (photos may name either)."""
    return [person.id, *(entry.id for entry in merged.get(person.id, []))]


def _counts(column, *conditions) -> dict[int, int]:
    query = sa.select(column, sa.func.count()).where(column.is_not(None), *conditions)
    return dict(db.session.execute(query.group_by(column)).all())


def _photos(workshop_id: int) -> list[Media]:
    return list(db.session.scalars(sa.select(Media).where(Media.workshop_id == workshop_id)))


def set_consent(
    account: Account,
    workshop: Workshop,
    person_id: int,
    consent: str,
    photos: bool | None = None,
) -> None:
    """Staff change how someone may be quoted (and whether photos of them may be published);
    every later publication follows. The person's own answer on the tablet is overridden."""
    person = people.person_of(workshop, person_id)
    if consent not in QUOTE_CONSENTS:
        raise PonteError("invalid_consent", _("Choose named, anonymous, internal or never."))
    if person.erased_at is not None:
        raise PonteError("erased", _("This person has been erased."), 409)
    if photos is None:
        photos = person.photo_consent
    if (person.quote_consent, person.photo_consent) == (consent, photos):
        return
    changes: dict = {}
    if person.quote_consent != consent:
        changes.update(before=person.quote_consent, after=consent)
    if person.photo_consent != photos:
        changes.update(photos_before=person.photo_consent, photos_after=photos)
    audit(workshop.id, account, "consent_changed", person_id=person.id, **changes)
    person.quote_consent, person.photo_consent = consent, photos
    db.session.flush()


# --- erasure -----------------------------------------------------------------------------


@dataclass
class Erasure:
    """What erasing one person did (for the audit log and the staff's confirmation)."""

    person_id: int
    notes: str
    # Every joining of theirs (their tablets in any session are cut off).
    participant_ids: list[int] = field(default_factory=list)
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


def erase(account: Account | None, workshop: Workshop, person_id: int, notes: str) -> Erasure:
    """Erase one person of a process, in every session they joined (under any entry merged
    into them). ``notes``: "anonymize" or "delete" their notes."""
    if notes not in NOTE_CHOICES:
        raise PonteError("invalid_notes", _("Choose to anonymize or delete their notes."))
    person = people.person_of(workshop, person_id)
    done = Erasure(person_id=person.id, notes=notes)
    if person.erased_at is not None:
        return done
    ids = [joining.id for joining in people.joinings(person.id)]
    done.participant_ids = ids
    _erase_notes(ids, notes, done)
    _erase_names(ids, notes)
    entries = entry_ids(person, people.merged_entries(workshop.id))
    for media in _photos(workshop.id):
        if _shows(media, entries):
            (_media_dir() / media.filename).unlink(missing_ok=True)
            db.session.delete(media)
            done.photos_deleted += 1
    # End their access to every session, now.
    for attendance in db.session.scalars(
        sa.select(Attendance).where(Attendance.participant_id.in_(ids))
    ):
        attendance.removed_at = attendance.removed_at or utcnow()
        session = db.session.get(WorkshopSession, attendance.session_id)
        if session is not None and session.is_live:
            done.live_sessions.add(session.id)
    done.log_events_scrubbed = _scrub_logs(workshop.id, set(ids), set(done.deleted_posts))
    now = utcnow()
    db.session.execute(
        sa.update(Participant)
        .where(Participant.id.in_(ids))
        .values(display_name=ERASED_NAME, erased_at=now)
    )
    for entry in [person, *people.merged_entries(workshop.id).get(person.id, [])]:
        entry.display_name = ERASED_NAME
        entry.quote_consent, entry.photo_consent = "never", False
        entry.key_nonce = secrets.token_hex(16)  # their tablets' keys open nothing any more
        entry.erased_at = now
    db.session.flush()
    audit(
        workshop.id,
        account,
        "participant_erased",
        person_id=person.id,
        notes=notes,
        notes_kept=done.notes_kept,
        notes_deleted=done.notes_deleted,
        voice_notes_deleted=done.voice_notes_deleted,
        photos_deleted=done.photos_deleted,
        log_events_scrubbed=done.log_events_scrubbed,
    )
    return done


def _erase_notes(ids: list[int], notes: str, done: Erasure) -> None:
    """Their notes: deleted, or kept under no name; their recordings deleted either way."""
    for post in db.session.scalars(sa.select(Post).where(Post.participant_id.in_(ids))):
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


def _erase_names(ids: list[int], notes: str) -> None:
    """Their name wherever they wrote for, translated, transcribed, built or committed."""
    db.session.execute(
        sa.update(Post).where(Post.scribe_participant_id.in_(ids)).values(scribe_name=ERASED_NAME)
    )
    db.session.execute(
        sa.update(PostTranslation)
        .where(PostTranslation.translator_participant_id.in_(ids))
        .values(translator_name=ERASED_NAME)
    )
    db.session.execute(
        sa.update(ContentTranslation)
        .where(ContentTranslation.translator_participant_id.in_(ids))
        .values(translator_name=ERASED_NAME)
    )
    db.session.execute(
        sa.update(Feedback).where(Feedback.participant_id.in_(ids)).values(author_name=ERASED_NAME)
    )
    if notes == "delete":
        db.session.execute(sa.delete(Feedback).where(Feedback.participant_id.in_(ids)))
    db.session.execute(
        sa.update(PrototypeRevision)
        .where(PrototypeRevision.participant_id.in_(ids))
        .values(author_name=ERASED_NAME)
    )
    db.session.execute(
        sa.update(Commitment)
        .where(Commitment.participant_id.in_(ids))
        .values(recorded_by_name=ERASED_NAME)
    )


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


def _scrub_logs(workshop_id: int, participant_ids: set[int], deleted_post_ids: set[int]) -> int:
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
        cleaned = _without_person(event.data, participant_ids)
        if cleaned != event.data:
            event.data = cleaned
            scrubbed += 1
    return scrubbed


def _without_person(data, participant_ids: set[int]):
    """``data`` with these joinings' name replaced wherever it names them, at any depth.

    A person appears in the protocol as ``{"name", "role", "participant_id"}`` (authors,
    scribes, translators) or as a participant ``{"id", "name", "role", "language"}``.
    """
    if isinstance(data, list):
        return [_without_person(item, participant_ids) for item in data]
    if not isinstance(data, dict):
        return data
    cleaned = {key: _without_person(value, participant_ids) for key, value in data.items()}
    names_them = cleaned.get("participant_id") in participant_ids or (
        cleaned.get("id") in participant_ids and {"role", "language"} <= cleaned.keys()
    )
    if names_them and cleaned.get("name") is not None:
        cleaned["name"] = ERASED_NAME
    return cleaned
