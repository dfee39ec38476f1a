"""Retention: a person's data is erased a set number of months (the process's setting) after
the last session or activity they took part in — never while one of their sessions is live.
Their notes stay, as an anonymous participant's. Flush, never commit."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from ponte.extensions import db
from privacy.services import erase
from sessions.models import Attendance, WorkshopSession
from workshops.activity_models import Activity, ActivityAttendance
from workshops.audit import audit
from workshops.models import Participant, Person, Workshop


@dataclass
class Expired:
    """The people of one process whose retention period has passed."""

    workshop_id: int
    title: str
    # The latest last session among them.
    last_activity: dt.date
    participants: int
    person_ids: list[int]


def expired(today: dt.date) -> list[Expired]:
    """Per process, the people not yet erased whose last session is older than the period."""
    found = []
    for workshop in db.session.scalars(sa.select(Workshop).order_by(Workshop.id)):
        due = {
            person_id: last
            for person_id, last in _last_sessions(workshop).items()
            if last is not None and _add_months(last, workshop.retention_months) <= today
        }
        if due:
            found.append(
                Expired(workshop.id, workshop.title, max(due.values()), len(due), sorted(due))
            )
    return found


def purge_expired(today: dt.date) -> list[Expired]:
    """Erase (keeping notes anonymous) everyone past their retention period."""
    found = expired(today)
    for item in found:
        workshop = db.session.get(Workshop, item.workshop_id)
        for person_id in item.person_ids:
            erase(None, workshop, person_id, "anonymize")
        audit(
            workshop.id,
            None,
            "expired_purged",
            people=len(item.person_ids),
            last_activity=str(item.last_activity),
        )
    return found


def _last_sessions(workshop: Workshop) -> dict[int, dt.date | None]:
    """Each person's last day in the process (None: one of their sessions is live)."""
    persons = db.session.execute(
        sa.select(Person.id, Person.created_at).where(
            Person.workshop_id == workshop.id,
            Person.erased_at.is_(None),
            Person.merged_into_id.is_(None),
        )
    ).all()
    days: dict[int, list[dt.date]] = {pid: [] for pid, _created in persons}
    live: set[int] = set()
    rows = db.session.execute(
        sa.select(Participant.person_id, WorkshopSession)
        .join(Attendance, Attendance.participant_id == Participant.id)
        .join(WorkshopSession, WorkshopSession.id == Attendance.session_id)
        .where(Participant.workshop_id == workshop.id)
    ).all()
    for person_id, ws in rows:
        if person_id not in days:
            continue
        if ws.is_live:
            live.add(person_id)
        closed = ws.closed_at.date() if ws.closed_at else None
        days[person_id] += [day for day in (closed, ws.date) if day]
    # An activity (a training, a visit...) is taking part too.
    for entry_id, merged_into, day in db.session.execute(
        sa.select(ActivityAttendance.person_id, Person.merged_into_id, Activity.date)
        .join(Activity, Activity.id == ActivityAttendance.activity_id)
        .join(Person, Person.id == ActivityAttendance.person_id)
        .where(Activity.workshop_id == workshop.id)
    ):
        person_id = merged_into or entry_id  # an entry merged into a person counts for them
        if person_id in days:
            days[person_id].append(day)
    created = {pid: moment.date() for pid, moment in persons}
    return {
        pid: None if pid in live else max(found, default=created[pid])
        for pid, found in days.items()
    }


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")
