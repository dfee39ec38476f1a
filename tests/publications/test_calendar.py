"""The process's calendar feed: every session and activity, local times, nobody's name."""

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar

from ponte.extensions import db
from tests.publications.conftest import DEMO_NAMES
from workshops import activities
from workshops.models import Workshop

ROME = ZoneInfo("Europe/Rome")


def feed(client, key: str) -> tuple[str, Calendar]:
    response = client.get(f"/next/{key}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    return body, Calendar.from_ical(body)


def test_a_calendar_app_subscribes_without_a_login_and_sees_every_event(client, demo):
    workshop = db.session.get(Workshop, demo["workshop_id"])
    body, calendar = feed(client, workshop.public_key)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert (
        len(events) == 3 + 6
    )  # the demo's sessions; its course of 3, a visit, a meeting, an event
    listening = next(e for e in events.values() if "ascolto" in str(e["summary"]))
    # Local times of Prato; the title in the process's first language (Italian).
    assert listening.decoded("dtstart") == dt.datetime(2026, 1, 17, 10, 0, tzinfo=ROME)
    assert listening.decoded("dtend") == dt.datetime(2026, 1, 17, 12, 30, tzinfo=ROME)
    assert str(listening["summary"]) == "Sessione di ascolto: vivere a Prato"
    assert str(listening["location"]) == "Biblioteca Lazzerini, Prato"
    assert "Sessione di ascolto" in listening["categories"].to_ical().decode()
    assert "VTIMEZONE" in body and "TZID=Europe/Rome" in body
    training = [e for e in events.values() if "Formazione dei mediatori" in str(e["summary"])]
    assert len(training) == 3
    assert all(e.decoded("dtend") - e.decoded("dtstart") == dt.timedelta(hours=4) for e in training)
    # Nobody's name, no attendee list.
    for name in (*DEMO_NAMES, "Demo trainer"):
        assert name not in body, name
    assert "ATTENDEE" not in body and "ORGANIZER" not in body
    # The same UIDs on every fetch: calendar apps update events instead of duplicating them.
    _, again = feed(client, workshop.public_key)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == set(events)


def test_an_activity_without_times_is_a_whole_day_event(client, trainer, make_workshop):
    workshop = make_workshop()
    activities.add_activity(trainer, workshop, "public_event", "Festa", dt.date(2026, 5, 1))
    db.session.commit()
    _, calendar = feed(client, workshop.public_key)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == dt.date(2026, 5, 1)
    assert event.decoded("dtend") == dt.date(2026, 5, 2)


def test_an_unknown_key_opens_no_calendar(client, demo):
    assert client.get("/next/not-a-real-key-not-a-real-key/calendar.ics").status_code == 404
    assert client.get("/next/short/calendar.ics").status_code == 404
