"""A person's data copy: everything Ponte keeps about them, in every session, as plain JSON
(their right of access). Flush, never commit; audited."""

import sqlalchemy as sa

from ponte.extensions import db
from privacy.services import _photos, _shows, entry_ids
from prototypes.models import Feedback
from sessions.models import (
    Attendance,
    Commitment,
    Post,
    PostTranslation,
    Reaction,
    Vote,
    WorkshopSession,
)
from workshops import people
from workshops.activity_models import Activity, ActivityAttendance
from workshops.audit import audit
from workshops.models import Account, Participant, Workshop, utcnow


def _iso(moment) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def data_copy(account: Account, workshop: Workshop, person_id: int) -> dict:
    """Everything Ponte keeps about one person, across every session of the process."""
    person = people.person_of(workshop, person_id)
    audit(workshop.id, account, "data_copy", person_id=person.id)
    ids = [joining.id for joining in people.joinings(person.id)]
    sessions = db.session.execute(
        sa.select(WorkshopSession, Attendance, Participant)
        .join(Attendance, Attendance.session_id == WorkshopSession.id)
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(Attendance.participant_id.in_(ids))
        .order_by(WorkshopSession.id, Attendance.id)
    ).all()
    posts = db.session.scalars(
        sa.select(Post).where(Post.participant_id.in_(ids)).order_by(Post.id)
    ).all()
    translations = db.session.scalars(
        sa.select(PostTranslation).where(PostTranslation.post_id.in_([p.id for p in posts]))
    ).all()
    return {
        "process": {"id": workshop.id, "title": workshop.title, "city": workshop.city},
        "made_at": _iso(utcnow()),
        "person": {
            "id": person.id,
            "name": person.display_name,
            "role": person.role,
            "language": person.language,
            "quote_consent": person.quote_consent,
            "photo_consent": person.photo_consent,
            "consent_answered_at": _iso(person.consent_asked_at),
            "added_without_device": person.without_device,
            "badge": people.badge_label(person.badge_code),
            "first_joined_at": _iso(person.created_at),
            "erased": person.erased_at is not None,
            "merged_entries": [e.id for e in people.merged_entries(workshop.id).get(person.id, [])],
        },
        "sessions": [
            {
                "title": ws.title,
                "kind": ws.kind,
                "date": ws.date.isoformat() if ws.date else None,
                "name_given": joining.display_name,
                "role": joining.role,
                "joined_at": _iso(attendance.joined_at),
                "removed_at": _iso(attendance.removed_at),
            }
            for ws, attendance, joining in sessions
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
                "created_at": _iso(post.created_at),
                "translations": {t.language: t.text for t in translations if t.post_id == post.id},
            }
            for post in posts
        ],
        "votes": db.session.scalar(
            sa.select(sa.func.count(Vote.id)).where(Vote.participant_id.in_(ids))
        ),
        "reactions": [
            {"post_id": r.post_id, "kind": r.kind}
            for r in db.session.scalars(sa.select(Reaction).where(Reaction.participant_id.in_(ids)))
        ],
        "feedback": [
            {"prototype_id": f.prototype_id, "kind": f.kind, "text": f.text}
            for f in db.session.scalars(sa.select(Feedback).where(Feedback.participant_id.in_(ids)))
        ],
        "commitments_recorded": [
            {"what": c.what, "who": c.who}
            for c in db.session.scalars(
                sa.select(Commitment).where(Commitment.participant_id.in_(ids))
            )
        ],
        "photos": [
            {"id": m.id, "caption": m.caption}
            for m in _photos(workshop.id)
            if _shows(m, entry_ids(person, people.merged_entries(workshop.id)))
        ],
        "activities": _activities(person.id, people.merged_entries(workshop.id)),
    }


def _activities(person_id: int, merged: dict) -> list[dict]:
    """The activities (trainings, visits, meetings, events) they took part in, with hours."""
    entries = [person_id, *(entry.id for entry in merged.get(person_id, []))]
    return [
        {
            "title": activity.title,
            "kind": activity.kind,
            "course": activity.course or None,
            "date": activity.date.isoformat(),
            "start_time": f"{activity.start_time:%H:%M}" if activity.start_time else None,
            "end_time": f"{activity.end_time:%H:%M}" if activity.end_time else None,
            "place": activity.place,
            "hours": attendance.hours_for(activity),
        }
        for activity, attendance in db.session.execute(
            sa.select(Activity, ActivityAttendance)
            .join(ActivityAttendance, ActivityAttendance.activity_id == Activity.id)
            .where(ActivityAttendance.person_id.in_(entries))
            .order_by(Activity.date, Activity.start_time, Activity.id)
        )
    ]
