"""The calendar of a process as an iCalendar feed a calendar app subscribes to, without a
login: every session and activity, with its kind, place and times. The process's public key
opens it (as it opens the public "what happened next" page), so nothing personal is in it:
no names, no attendees, no notes."""

import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, current_app
from flask_babel import force_locale
from icalendar import Calendar, Event

from ponte.extensions import db
from publications import bp
from publications.context import ACTIVITY_KIND_LABELS, KIND_LABELS
from sessions.content import Words
from sessions.models import WorkshopSession
from workshops import activities
from workshops.models import Workshop


def _event(uid: str, title: str, kind: str, place: str, date, start, end, zone) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", title)
    event.add("categories", [kind])
    event.add("description", kind)
    if place:
        event.add("location", place)
    if start is None:  # a whole day
        event.add("dtstart", date)
        event.add("dtend", date + dt.timedelta(days=1))
    else:
        event.add("dtstart", dt.datetime.combine(date, start, tzinfo=zone))
        if end is not None:
            event.add("dtend", dt.datetime.combine(date, end, tzinfo=zone))
    event.add("dtstamp", dt.datetime.now(dt.UTC).replace(microsecond=0))
    return event


def process_calendar(workshop: Workshop) -> bytes:
    """The process's sessions and activities with a date, as an .ics file (local times in the
    app's time zone; a whole-day event when no time is set)."""
    language = (workshop.languages or ["it"])[0]
    zone = ZoneInfo(current_app.config.get("PONTE_TIMEZONE") or "Europe/Rome")
    words = Words(workshop, language)
    calendar = Calendar()
    calendar.add("prodid", "-//Ponte//Process calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", workshop.title)
    calendar.add("x-wr-timezone", zone.key)
    with force_locale(language):
        for ws in db.session.scalars(
            sa.select(WorkshopSession)
            .where(WorkshopSession.workshop_id == workshop.id, WorkshopSession.date.is_not(None))
            .order_by(WorkshopSession.date, WorkshopSession.id)
        ):
            calendar.add_component(
                _event(
                    f"ponte-{workshop.id}-session-{ws.id}@ponte",
                    words("session", ws.id, "title", ws.title),
                    str(KIND_LABELS[ws.kind]),
                    ws.place,
                    ws.date,
                    ws.start_time,
                    ws.end_time,
                    zone,
                )
            )
        for activity in activities.activities_of(workshop.id):
            calendar.add_component(
                _event(
                    f"ponte-{workshop.id}-activity-{activity.id}@ponte",
                    activity.title,
                    str(ACTIVITY_KIND_LABELS[activity.kind]),
                    activity.place,
                    activity.date,
                    activity.start_time,
                    activity.end_time,
                    zone,
                )
            )
    calendar.add_missing_timezones()
    return calendar.to_ical()


@bp.get("/next/<key>/calendar.ics")
def calendar(key: str):
    """Public: the process's calendar feed (no login: calendar apps cannot log in)."""
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.public_key == key))
    if workshop is None or len(key) < 20:
        abort(404)
    return (
        process_calendar(workshop),
        200,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'inline; filename="ponte-process-{workshop.id}.ics"',
            "Cache-Control": "no-cache",
        },
    )
