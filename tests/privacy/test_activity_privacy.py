"""A person's activities in their data copy; erasing them keeps the hours, not the name."""

import datetime as dt

import sqlalchemy as sa

from ponte.extensions import db
from privacy.services import ERASED_NAME
from publications import exports
from workshops import activities, people
from workshops.activity_models import ActivityAttendance
from workshops.models import Person


def test_the_data_copy_lists_their_activities_and_erasure_keeps_only_the_hours(
    client, auth, trainer, make_workshop
):
    workshop = make_workshop()
    nadia = people.new_person(workshop.id, "Nadia Benali", "mediator", "ar", without_device=True)
    course = activities.add_activity(
        trainer, workshop, "training", "Formazione 1", dt.date(2026, 1, 24),
        dt.time(14), dt.time(18), "Centro", "Formazione dei mediatori",
    )  # fmt: skip
    visit = activities.add_activity(
        trainer, workshop, "study_visit", "Firenze", dt.date(2026, 2, 28), dt.time(9), dt.time(13)
    )
    activities.add_attendee(trainer, course, person_id=nadia.id)
    activities.add_attendee(trainer, visit, person_id=nadia.id, hours=2)
    db.session.commit()
    auth.login()
    copy = client.get(f"/workshops/{workshop.id}/people/{nadia.id}/data.json").get_json()
    assert [(a["title"], a["kind"], a["hours"]) for a in copy["activities"]] == [
        ("Formazione 1", "training", 4.0),
        ("Firenze", "study_visit", 2.0),
    ]
    assert copy["activities"][0]["course"] == "Formazione dei mediatori"

    erased = client.post(
        f"/workshops/{workshop.id}/people/{nadia.id}/erase",
        data={"notes": "anonymize", "confirm": "erase"},
    )
    assert erased.status_code in (200, 302)
    assert db.session.get(Person, nadia.id).display_name == ERASED_NAME
    # The hours still count (the funder's figures), nothing says whose they were.
    rows = db.session.scalars(sa.select(ActivityAttendance)).all()
    assert [r.hours_for(course if r.activity_id == course.id else visit) for r in rows] == [4, 2]
    assert activities.figures(workshop.id)["training_person_hours"] == 4.0
    table = exports.tables(workshop, names=True)["activity_attendance"]
    assert "Nadia Benali" not in str(table) and table[1][4] == "P1"
    page = client.get(f"/workshops/{workshop.id}/activities/{course.id}").get_data(as_text=True)
    assert "Nadia" not in page


def test_a_later_activity_keeps_a_person_s_data_until_its_own_retention_ends(
    runner, trainer, make_workshop
):
    workshop = make_workshop()
    workshop.retention_months = 12
    nadia = people.new_person(workshop.id, "Nadia", "mediator", "ar", without_device=True)
    event = activities.add_activity(
        trainer, workshop, "public_event", "Festa", dt.date(2030, 6, 1), dt.time(17), dt.time(19)
    )
    activities.add_attendee(trainer, event, person_id=nadia.id)
    db.session.commit()
    kept = runner.invoke(args=["purge-expired", "--today", "2031-05-31"])
    assert "Nothing to purge" in kept.output
    done = runner.invoke(args=["purge-expired", "--today", "2031-06-01"])
    assert done.exit_code == 0 and "erased 1 people" in done.output
