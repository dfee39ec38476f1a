"""Verbs on the activities of a process that are not live sessions (trainings, study visits,
partnership meetings, public events) and on who took part in them, for how many hours.
Audited (who was there is personal data). Flush, never commit."""

import datetime as dt

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from workshops import people
from workshops.activity_models import ACTIVITY_KINDS, Activity, ActivityAttendance
from workshops.audit import audit
from workshops.models import ACCOUNT_ROLES, PARTICIPANT_ROLES, Account, Person, Workshop
from workshops.services import LANGUAGE_CODE
from workshops.times import check_times

MAX_NAME_CHARS = 60


def _check(kind: str, title: str, date: dt.date | None, start, end) -> str:
    if kind not in ACTIVITY_KINDS:
        raise PonteError(
            "invalid_kind", _("kind must be one of %(values)s.", values=", ".join(ACTIVITY_KINDS))
        )
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise PonteError("invalid_title", _("An activity needs a title (up to 200 characters)."))
    if date is None:
        raise PonteError("invalid_date", _("An activity needs a date."))
    check_times(start, end)
    return title


def add_activity(
    account: Account,
    workshop: Workshop,
    kind: str,
    title: str,
    date: dt.date | None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    place: str = "",
    course: str = "",
) -> Activity:
    """Add an activity to a process: a training meeting, a study visit, a partnership meeting
    or a public event."""
    title = _check(kind, title, date, start_time, end_time)
    activity = Activity(
        workshop_id=workshop.id,
        kind=kind,
        title=title,
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=(place or "").strip()[:200],
        course=(course or "").strip()[:200],
    )
    db.session.add(activity)
    db.session.flush()
    audit(workshop.id, account, "activity_added", activity_id=activity.id, kind=kind)
    return activity


def update_activity(account: Account, activity: Activity, **fields) -> Activity:
    """Change an activity's kind, title, date, times, place or course (all given at once)."""
    title = _check(
        fields["kind"], fields["title"], fields["date"], fields["start_time"], fields["end_time"]
    )
    activity.kind, activity.title, activity.date = fields["kind"], title, fields["date"]
    activity.start_time, activity.end_time = fields["start_time"], fields["end_time"]
    activity.place = (fields.get("place") or "").strip()[:200]
    activity.course = (fields.get("course") or "").strip()[:200]
    db.session.flush()
    audit(activity.workshop_id, account, "activity_changed", activity_id=activity.id)
    return activity


def delete_activity(account: Account, activity: Activity) -> None:
    """Delete an activity and who took part in it."""
    db.session.execute(
        sa.delete(ActivityAttendance).where(ActivityAttendance.activity_id == activity.id)
    )
    audit(activity.workshop_id, account, "activity_deleted", activity_id=activity.id)
    db.session.delete(activity)
    db.session.flush()


def activity_of(workshop: Workshop, activity_id: int) -> Activity:
    """An activity of this process, or a 404."""
    activity = db.session.get(Activity, activity_id)
    if activity is None or activity.workshop_id != workshop.id:
        raise PonteError("unknown_activity", _("No such activity in this process."), 404)
    return activity


# --- who took part ----------------------------------------------------------------------


def _check_hours(activity: Activity, hours: float | None) -> float | None:
    if hours is None:
        if activity.duration is None:
            raise PonteError(
                "invalid_hours",
                _("Give the hours: the activity has no start and end time."),
            )
        return None
    longest = activity.duration or 24.0
    if not 0 < hours <= longest:
        raise PonteError(
            "invalid_hours",
            _("Hours must be more than 0 and at most %(hours)s.", hours=format(longest, "g")),
        )
    return None if hours == activity.duration else round(hours, 2)


def add_attendee(
    account: Account,
    activity: Activity,
    person_id: int | None = None,
    account_id: int | None = None,
    hours: float | None = None,
) -> ActivityAttendance:
    """Someone of the process (a person, or a trainer or staff account) took part; ``hours``
    None: the whole activity."""
    workshop = db.session.get(Workshop, activity.workshop_id)
    kept = _check_hours(activity, hours)
    if (person_id is None) == (account_id is None):
        raise PonteError("invalid_attendee", _("Choose one person or one trainer."))
    if person_id is not None:
        person = people.person_of(workshop, person_id)
        if person.erased_at is not None:
            raise PonteError("erased", _("This person has been erased."), 409)
        where = ActivityAttendance.person_id == person.id
        attendance = ActivityAttendance(activity_id=activity.id, person_id=person.id, hours=kept)
    else:
        member = db.session.get(Account, account_id)
        if (
            member is None
            or member.role not in ACCOUNT_ROLES
            or member.organisation_id != workshop.organisation_id
        ):
            raise PonteError("unknown_account", _("No such trainer or staff member."), 404)
        where = ActivityAttendance.account_id == member.id
        attendance = ActivityAttendance(activity_id=activity.id, account_id=member.id, hours=kept)
    if db.session.scalar(
        sa.select(ActivityAttendance.id).where(ActivityAttendance.activity_id == activity.id, where)
    ):
        raise PonteError("already_there", _("They are already on the list."), 409)
    db.session.add(attendance)
    db.session.flush()
    audit(
        workshop.id,
        account,
        "attendee_added",
        person_id=attendance.person_id,
        activity_id=activity.id,
        account_id=attendance.account_id,
    )
    return attendance


def add_new_person(
    account: Account,
    activity: Activity,
    name: str,
    role: str,
    language: str,
    hours: float | None = None,
) -> ActivityAttendance:
    """Someone who is not yet a person of the process took part: make them one (without a
    device, like someone a mediator adds), then put them on the list."""
    _check_hours(activity, hours)
    name = " ".join((name or "").split())
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
    if not LANGUAGE_CODE.match(language or ""):
        raise PonteError(
            "invalid_language", _("language must be a code like 'it', 'en', 'zh' or 'ar'.")
        )
    person = people.new_person(activity.workshop_id, name, role, language, without_device=True)
    return add_attendee(account, activity, person_id=person.id, hours=hours)


def remove_attendee(account: Account, activity: Activity, attendance_id: int) -> None:
    """Take someone off an activity's list."""
    attendance = db.session.get(ActivityAttendance, attendance_id)
    if attendance is None or attendance.activity_id != activity.id:
        raise PonteError("unknown_attendee", _("No such person at this activity."), 404)
    audit(
        activity.workshop_id,
        account,
        "attendee_removed",
        person_id=attendance.person_id,
        activity_id=activity.id,
        account_id=attendance.account_id,
    )
    db.session.delete(attendance)
    db.session.flush()


# --- reading --------------------------------------------------------------------------


def activities_of(workshop_id: int) -> list[Activity]:
    """The activities of a process, by date and time."""
    return list(
        db.session.scalars(
            sa.select(Activity)
            .where(Activity.workshop_id == workshop_id)
            .order_by(Activity.date, Activity.start_time, Activity.id)
        )
    )


def attendances(activity_ids: list[int]) -> dict[int, list[ActivityAttendance]]:
    """Who took part in each of these activities, by activity id."""
    found: dict[int, list[ActivityAttendance]] = {i: [] for i in activity_ids}
    if activity_ids:
        for row in db.session.scalars(
            sa.select(ActivityAttendance)
            .where(ActivityAttendance.activity_id.in_(activity_ids))
            .order_by(ActivityAttendance.id)
        ):
            found[row.activity_id].append(row)
    return found


def listing(workshop_id: int) -> list[dict]:
    """Each activity with its people count and their hours (the process page, the Report)."""
    found = activities_of(workshop_id)
    present = attendances([a.id for a in found])
    return [
        {
            "activity": activity,
            "people": len(present[activity.id]),
            "person_hours": round(sum(a.hours_for(activity) for a in present[activity.id]), 2),
        }
        for activity in found
    ]


def attendee_rows(activity: Activity) -> list[dict]:
    """Who took part in one activity, for its page: name (staff see names), role, hours."""
    rows = []
    for attendance in attendances([activity.id])[activity.id]:
        if attendance.person_id is not None:
            person = db.session.get(Person, attendance.person_id)
            name, role = person.display_name, person.role
        else:
            member = db.session.get(Account, attendance.account_id)
            name, role = member.name, member.role
        rows.append(
            {
                "id": attendance.id,
                "name": name,
                "role": role,
                "hours": attendance.hours_for(activity),
                "whole": attendance.hours is None,
            }
        )
    return rows


def courses(workshop_id: int) -> list[dict]:
    """Each training course (the trainings sharing a ``course``): its meetings, hours, people
    and person-hours."""
    grouped: dict[str, list[Activity]] = {}
    for activity in activities_of(workshop_id):
        if activity.kind == "training" and activity.course:
            grouped.setdefault(activity.course, []).append(activity)
    present = attendances([a.id for meetings in grouped.values() for a in meetings])
    # An entry merged into a person is that person: counted once.
    merged = dict(
        db.session.execute(
            sa.select(Person.id, Person.merged_into_id).where(
                Person.workshop_id == workshop_id, Person.merged_into_id.is_not(None)
            )
        ).all()
    )
    summaries = []
    for course, meetings in grouped.items():
        rows = [(a, row) for a in meetings for row in present[a.id]]
        summaries.append(
            {
                "course": course,
                "meetings": len(meetings),
                "hours": round(sum(a.duration or 0.0 for a in meetings), 2),
                "people": len(
                    {(merged.get(r.person_id, r.person_id), r.account_id) for _a, r in rows}
                ),
                "person_hours": round(sum(r.hours_for(a) for a, r in rows), 2),
                "first": meetings[0].date,
                "last": meetings[-1].date,
            }
        )
    return summaries


def figures(workshop_id: int) -> dict:
    """The activities' figures: how many by kind, their hours, person-hours (training too)."""
    found = listing(workshop_id)
    by_kind = {kind: 0 for kind in ACTIVITY_KINDS}
    for row in found:
        by_kind[row["activity"].kind] += 1
    training = [row for row in found if row["activity"].kind == "training"]
    return {
        "activities": len(found),
        "activities_by_kind": by_kind,
        "activity_hours": round(sum(r["activity"].duration or 0.0 for r in found), 1),
        "activity_person_hours": round(sum(r["person_hours"] for r in found), 1),
        "training_hours": round(sum(r["activity"].duration or 0.0 for r in training), 1),
        "training_person_hours": round(sum(r["person_hours"] for r in training), 1),
    }
