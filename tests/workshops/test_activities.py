"""Activities that are not live sessions: adding them, who took part and for how many hours,
training courses, and their pages (reads for any login, writes for who runs the process)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from ponte.errors import PonteError
from ponte.extensions import db
from tests.conftest import TRAINER_PASSWORD
from workshops import activities, people
from workshops import services as workshop_services
from workshops.activity_models import Activity, ActivityAttendance
from workshops.audit import AuditEntry
from workshops.models import Person

DAY = dt.date(2026, 1, 24)


@pytest.fixture
def workshop(make_workshop):
    return make_workshop()


@pytest.fixture
def training(trainer, workshop):
    activity = activities.add_activity(
        trainer, workshop, "training", "Formazione mediatori 1", DAY, dt.time(14), dt.time(18),
        "Centro Interculturale", "Formazione mediatori",
    )  # fmt: skip
    db.session.commit()
    return activity


def person(workshop, name="Sara", role="mediator", language="it") -> Person:
    someone = people.new_person(workshop.id, name, role, language, without_device=True)
    db.session.commit()
    return someone


def error_code(call, *args, **kwargs) -> str:
    with pytest.raises(PonteError) as raised:
        call(*args, **kwargs)
    db.session.rollback()
    return raised.value.code


# --- services ---------------------------------------------------------------------------


def test_an_activity_is_added_with_its_hours_and_audited(trainer, workshop, training):
    assert (training.kind, training.place, training.duration) == (
        "training",
        "Centro Interculturale",
        4.0,
    )
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.workshop_id == workshop.id)
    ).all()
    assert actions == ["activity_added"]


def test_attendance_counts_the_whole_activity_unless_someone_left_early(
    trainer, workshop, training
):
    sara, karim = person(workshop), person(workshop, "Karim", "mediator", "ar")
    whole = activities.add_attendee(trainer, training, person_id=sara.id)
    early = activities.add_attendee(trainer, training, person_id=karim.id, hours=2.5)
    staff = activities.add_attendee(trainer, training, account_id=trainer.id)
    db.session.commit()
    assert [r.hours_for(training) for r in (whole, early, staff)] == [4.0, 2.5, 4.0]
    assert activities.listing(workshop.id)[0]["person_hours"] == 10.5
    # The times change: who stayed to the end counts the new length.
    activities.update_activity(
        trainer, training, kind="training", title=training.title, date=DAY,
        start_time=dt.time(14), end_time=dt.time(17), place="", course=training.course,
    )  # fmt: skip
    assert whole.hours_for(training) == 3.0 and early.hours_for(training) == 2.5


@pytest.mark.parametrize(
    ("kind", "title", "date", "start", "end", "code"),
    [
        ("party", "Festa", DAY, None, None, "invalid_kind"),
        ("training", "  ", DAY, None, None, "invalid_title"),
        ("training", "Corso", None, None, None, "invalid_date"),
        ("training", "Corso", DAY, dt.time(18), dt.time(14), "invalid_times"),
        ("training", "Corso", DAY, dt.time(14), dt.time(14), "invalid_times"),
        ("training", "Corso", DAY, None, dt.time(14), "invalid_times"),
    ],
)
def test_a_bad_activity_is_refused_with_a_reason(
    trainer, workshop, kind, title, date, start, end, code
):
    assert error_code(
        activities.add_activity, trainer, workshop, kind, title, date, start, end
    ) == (code)
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 0


def test_bad_hours_and_doubles_are_refused(trainer, workshop, training):
    sara = person(workshop)
    for hours in (0, -1, 4.5):
        assert (
            error_code(activities.add_attendee, trainer, training, person_id=sara.id, hours=hours)
            == "invalid_hours"
        )
    activities.add_attendee(trainer, training, person_id=sara.id)
    db.session.commit()
    assert error_code(activities.add_attendee, trainer, training, person_id=sara.id) == (
        "already_there"
    )
    untimed = activities.add_activity(trainer, workshop, "public_event", "Festa", DAY)
    db.session.commit()
    # Without times there is no length to default to: the hours must be given.
    assert error_code(activities.add_attendee, trainer, untimed, person_id=sara.id) == (
        "invalid_hours"
    )


def test_a_person_of_another_process_cannot_be_added(trainer, make_workshop, training):
    other = make_workshop("Elsewhere", "Pistoia")
    stranger = person(other, "Ardit", "migrant", "it")
    assert error_code(activities.add_attendee, trainer, training, person_id=stranger.id) == (
        "unknown_person"
    )


def test_someone_new_becomes_a_person_of_the_process(trainer, workshop, training):
    row = activities.add_new_person(trainer, training, " Yusuf ", "migrant", "ar", 3)
    db.session.commit()
    yusuf = db.session.get(Person, row.person_id)
    assert (yusuf.workshop_id, yusuf.display_name, yusuf.role, yusuf.without_device) == (
        workshop.id,
        "Yusuf",
        "migrant",
        True,
    )
    assert row.hours == 3
    assert error_code(activities.add_new_person, trainer, training, "", "migrant", "ar") == (
        "invalid_name"
    )
    assert error_code(activities.add_new_person, trainer, training, "Ali", "boss", "ar") == (
        "invalid_role"
    )


def test_the_meetings_of_a_course_are_summed_up_together(trainer, workshop, training):
    sara = person(workshop)
    activities.add_attendee(trainer, training, person_id=sara.id)
    for day in (DAY + dt.timedelta(days=7), DAY + dt.timedelta(days=14)):
        meeting = activities.add_activity(
            trainer, workshop, "training", "Formazione", day, dt.time(14), dt.time(18),
            course="Formazione mediatori",
        )  # fmt: skip
        activities.add_attendee(trainer, meeting, person_id=sara.id)
        activities.add_attendee(trainer, meeting, account_id=trainer.id, hours=2)
    activities.add_activity(trainer, workshop, "study_visit", "Firenze", DAY, course="x")
    db.session.commit()
    (course,) = activities.courses(workshop.id)
    assert course == {
        "course": "Formazione mediatori",
        "meetings": 3,
        "hours": 12.0,
        "people": 2,
        "person_hours": 16.0,
        "first": DAY,
        "last": DAY + dt.timedelta(days=14),
    }
    figures = activities.figures(workshop.id)
    assert figures["activities_by_kind"] == {
        "training": 3,
        "study_visit": 1,
        "partnership_meeting": 0,
        "public_event": 0,
    }
    assert (figures["training_hours"], figures["training_person_hours"]) == (12.0, 16.0)


def test_deleting_an_activity_deletes_its_list(trainer, workshop, training):
    activities.add_attendee(trainer, training, person_id=person(workshop).id)
    activities.delete_activity(trainer, training)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(ActivityAttendance.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 0


# --- pages ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English (the interface's default is Italian)."""
    client.set_cookie("ponte_lang", "en")


FORM = {
    "kind": "study_visit",
    "title": "Visita a Firenze",
    "date": "2026-02-28",
    "start_time": "09:00",
    "end_time": "13:00",
    "place": "Firenze",
    "course": "",
}


def test_the_process_page_lists_the_activities_and_adds_one(client, auth, workshop, training):
    auth.login()
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "Formazione mediatori 1" in page and "14:00–18:00" in page
    assert f"/next/{workshop.public_key}/calendar.ics" in page
    response = client.post(f"/workshops/{workshop.id}/activities", data=FORM)
    visit = db.session.scalar(sa.select(Activity).where(Activity.kind == "study_visit"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/activities/{visit.id}")
    assert (visit.date, visit.start_time, visit.end_time) == (
        dt.date(2026, 2, 28),
        dt.time(9),
        dt.time(13),
    )


def test_an_end_before_the_start_shows_an_error_and_keeps_what_was_typed(client, auth, workshop):
    auth.login()
    response = client.post(
        f"/workshops/{workshop.id}/activities", data={**FORM, "end_time": "08:00"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The end time must be after the start time." in page
    assert 'value="Visita a Firenze"' in page
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 0


def test_the_activity_page_adds_and_removes_people_with_their_hours(
    client, auth, workshop, training
):
    sara = person(workshop)
    auth.login()
    url = f"/workshops/{workshop.id}/activities/{training.id}"
    assert client.post(f"{url}/attendees", data={"who": f"person:{sara.id}"}).status_code == 302
    new = {"who": "new", "name": "Yusuf", "role": "migrant", "language": "ar", "hours": "2.5"}
    assert client.post(f"{url}/attendees", data=new).status_code == 302
    bad = client.post(f"{url}/attendees", data={**new, "name": "Ali", "hours": "9"})
    assert "Hours must be more than 0 and at most 4." in bad.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Sara" in page and "Yusuf" in page and "2.5" in page
    rows = db.session.scalars(sa.select(ActivityAttendance).order_by(ActivityAttendance.id)).all()
    assert [r.hours for r in rows] == [None, 2.5]
    assert client.post(f"{url}/attendees/{rows[0].id}/remove").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ActivityAttendance.id))) == 1
    assert client.post(f"{url}/delete").status_code == 302
    assert db.session.get(Activity, training.id) is None


def test_a_region_may_read_but_not_change_the_activities(client, workshop, training):
    region = workshop_services.create_organisation("Regione Toscana", "region")
    workshop_services.create_account(
        "other@test.example", "Otto", TRAINER_PASSWORD, "staff", region
    )
    workshop_services.set_shares(workshop, [region.id])
    db.session.commit()
    client.post("/login", data={"email": "other@test.example", "password": TRAINER_PASSWORD})
    url = f"/workshops/{workshop.id}/activities/{training.id}"
    assert client.get(url).status_code == 200
    assert client.post(f"/workshops/{workshop.id}/activities", data=FORM).status_code == 403
    assert client.post(url, data=FORM).status_code == 403
    assert client.post(f"{url}/delete").status_code == 403
    assert db.session.get(Activity, training.id) is not None


def test_a_trainer_not_on_the_team_does_not_see_them(client, workshop, training):
    workshop_services.create_account("other@test.example", "Otto", TRAINER_PASSWORD)
    db.session.commit()
    client.post("/login", data={"email": "other@test.example", "password": TRAINER_PASSWORD})
    url = f"/workshops/{workshop.id}/activities/{training.id}"
    assert client.get(url).status_code == 404
    assert client.post(url, data=FORM).status_code == 404
    assert db.session.get(Activity, training.id) is not None


def test_unknown_or_foreign_ids_are_not_found(client, auth, trainer, make_workshop, training):
    other = make_workshop("Elsewhere", "Pistoia")
    auth.login()
    assert client.get(f"/workshops/{other.id}/activities/{training.id}").status_code == 404
    assert client.get(f"/workshops/999999/activities/{training.id}").status_code == 404
    assert client.post(f"/workshops/{training.workshop_id}/activities/{training.id}"
                       "/attendees/999999/remove").status_code == 404  # fmt: skip
    assert client.post(f"/workshops/{other.id}/activities/{training.id}/delete").status_code == 404
    assert db.session.get(Activity, training.id) is not None


def test_the_activity_forms_need_their_csrf_token(make_app, trainer):
    from workshops.models import Workshop

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        account = workshop_services.create_account("t2@test.example", "T2", TRAINER_PASSWORD)
        workshop = workshop_services.create_workshop("W", "Prato", ["it"], account)
        db.session.commit()
        client = app.test_client()
        login = client.get("/login").get_data(as_text=True)
        token = login.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
        client.post(
            "/login",
            data={"email": "t2@test.example", "password": TRAINER_PASSWORD, "csrf_token": token},
        )
        refused = client.post(f"/workshops/{workshop.id}/activities", data=FORM)
        assert refused.status_code == 400  # CSRFProtect refuses it: nothing added
        assert db.session.scalar(
            sa.select(sa.func.count(Activity.id)).where(Activity.workshop_id == workshop.id)
        ) == 0  # fmt: skip
        page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
        form = page[page.index('action="/workshops/' + str(workshop.id) + '/activities"') :]
        token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        added = client.post(
            f"/workshops/{workshop.id}/activities", data={**FORM, "csrf_token": token}
        )
        assert added.status_code == 302
        assert db.session.get(Workshop, workshop.id) is not None


def test_a_person_merged_from_two_entries_counts_once_in_a_course(trainer, workshop, training):
    first, second = person(workshop, "Sara"), person(workshop, "Sara B.")
    activities.add_attendee(trainer, training, person_id=first.id)
    meeting = activities.add_activity(
        trainer, workshop, "training", "Formazione 2", DAY + dt.timedelta(days=7),
        dt.time(14), dt.time(18), course="Formazione mediatori",
    )  # fmt: skip
    activities.add_attendee(trainer, meeting, person_id=second.id)
    assert activities.courses(workshop.id)[0]["people"] == 2
    people.merge_people(trainer, workshop, first.id, second.id)
    (course,) = activities.courses(workshop.id)
    assert (course["people"], course["person_hours"]) == (1, 8.0)
