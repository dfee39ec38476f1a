"""One person across a process: person_key and badges, consent asked once, people without a
device, merges and splits, counts of people, and privacy that follows the person."""

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from flask import g

from ponte.extensions import db
from privacy import retention
from privacy import services as privacy
from publications import context
from sessions import services as session_services
from sessions.models import Post, SessionEvent
from sessions.roster import process_figures
from tests.conftest import new_client_id
from workshops.audit import AuditEntry
from workshops.models import Participant, Person
from workshops.people import badge_label, merge_people, person_key


def in_english(client):
    """Read the next pages in English. Flask-Babel caches the locale in ``g``, which the test's
    open app context shares with every request: forget what an earlier call chose."""
    g.pop("_flask_babel", None)
    client.set_cookie("ponte_lang", "en")


def join_with(client, ws, name="Amina", role="migrant", language="ar", **extra):
    body = {"code": ws.join_code, "name": name, "role": role, "language": language, **extra}
    return client.post("/api/join", json=body)


@pytest.fixture
def process(make_workshop, make_session):
    """A process with three live sessions: listening, meeting, workshop."""
    workshop = make_workshop()
    sessions = [
        make_session(kind, title, workshop=workshop)
        for kind, title in (
            ("listening", "Listening"),
            ("face_to_face", "Meeting"),
            ("co_projecting", "Workshop"),
        )
    ]
    return workshop, sessions


def post(socket_for, token, text, **extra):
    sio = socket_for(token=token)
    ack = sio.emit(
        "create_post", {"client_id": new_client_id(), "text": text, **extra}, callback=True
    )
    assert ack["ok"], ack
    return ack["post"]


def test_two_joins_with_the_key_are_one_person_with_one_pseudonym(client, process, socket_for):
    workshop, (listening, meeting, _) = process
    first = join_with(client, listening).get_json()
    assert first["person_key"] and first["consent"] == {
        "quote": "internal",
        "photos": False,
        "asked": False,
    }
    post(socket_for, first["token"], "مرحبا")
    join_with(client, listening, "Marco", "migrant", "it")  # someone else, P2
    again = join_with(client, meeting, "Amina H.", person_key=first["person_key"]).get_json()
    assert again["person_id"] == first["person_id"]
    assert again["participant_id"] != first["participant_id"]  # a joining per session
    assert again["person_key"] == first["person_key"]
    post(socket_for, again["token"], "شكرا")
    # The person's name is the latest they gave; the Report names them once.
    assert db.session.get(Person, first["person_id"]).display_name == "Amina H."
    db.session.get(Person, first["person_id"]).quote_consent = "anonymous"
    db.session.commit()
    report = context.report_context(workshop.id)
    authors = {
        note["text"]: note["author"]
        for chapter in report["sessions"]
        for cluster in chapter["clusters"]
        for note in cluster["notes"]
    }
    assert authors == {"مرحبا": "P1", "شكرا": "P1"}
    figures = report["figures"]
    assert figures["people"] == 2 and figures["presences"] == 3
    assert figures["people_by_role"]["migrant"] == 2
    assert figures["presences_by_role"]["migrant"] == 3


def test_a_key_of_another_process_or_forged_makes_a_new_person(
    client, process, make_workshop, make_session
):
    workshop, (listening, meeting, _) = process
    other = make_session("listening", "Elsewhere", workshop=make_workshop(title="Another"))
    mine = join_with(client, listening).get_json()
    there = join_with(client, other, person_key=mine["person_key"])
    assert there.status_code == 200
    assert there.get_json()["person_id"] != mine["person_id"]
    forged = mine["person_key"].split(".")[0] + ".0000000000000000000000000000000000000000"
    for key in (forged, "garbage", "9" * 40 + ".x", 12, ["nope", None], "١٢.x"):
        answer = join_with(client, meeting, person_key=key)
        assert answer.status_code == 200, (key, answer.get_json())
        assert answer.get_json()["person_id"] not in (mine["person_id"],)
    # A tablet of two processes sends both keys: the one of this process counts.
    both = join_with(
        client, meeting, person_key=[there.get_json()["person_key"], mine["person_key"]]
    ).get_json()
    assert both["person_id"] == mine["person_id"]


def test_a_badge_joins_a_shared_tablet_as_the_person(client, process, auth):
    workshop, (listening, meeting, _) = process
    first = join_with(client, listening, "Li Wei", "migrant", "zh").get_json()
    badge = badge_label(db.session.get(Person, first["person_id"]).badge_code)
    joined = client.post(
        "/api/join", json={"code": meeting.join_code, "badge": badge.lower().replace("-", " ")}
    )
    assert joined.status_code == 200, joined.get_json()
    body = joined.get_json()
    assert body["person_id"] == first["person_id"]
    assert (body["name"], body["role"], body["language"]) == ("Li Wei", "migrant", "zh")
    wrong = client.post("/api/join", json={"code": meeting.join_code, "badge": "AAAA-AAAA"})
    assert wrong.status_code == 404 and wrong.get_json()["error"]["code"] == "unknown_badge"
    no_name = client.post("/api/join", json={"code": meeting.join_code})
    assert no_name.status_code == 400
    assert no_name.get_json()["error"]["code"] == "missing_name"
    # The badges page prints the person's QR code and short code.
    auth.login()
    page = client.get(f"/workshops/{workshop.id}/people/badges").get_data(as_text=True)
    assert badge in page and "Li Wei" in page
    qr = client.get(f"/workshops/{workshop.id}/people/{first['person_id']}/badge.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    assert f"/join?badge={badge}" in page
    join_page = client.get(f"/join?badge={badge}").get_data(as_text=True)
    assert f'value="{badge}"' in join_page


def test_consent_is_asked_once_and_belongs_to_the_person(client, process, socket_for, auth, app):
    workshop, (listening, meeting, _) = process
    first = join_with(client, listening).get_json()
    sio = socket_for(token=first["token"])
    bad = sio.emit("set_consent", {"quote": "always", "photos": True}, callback=True)
    assert bad["error"]["code"] == "invalid_consent"
    bad = sio.emit("set_consent", {"quote": "named", "photos": "yes"}, callback=True)
    assert bad["error"]["code"] == "invalid_photos"
    ack = sio.emit("set_consent", {"quote": "anonymous", "photos": True}, callback=True)
    assert ack == {"ok": True, "consent": {"quote": "anonymous", "photos": True, "asked": True}}
    again = join_with(client, meeting, person_key=first["person_key"]).get_json()
    assert again["consent"] == ack["consent"]  # not asked again in the next session
    board = client.get(
        f"/api/sessions/{meeting.id}/board", headers={"Authorization": f"Bearer {again['token']}"}
    ).get_json()
    assert board["me"]["consent"]["asked"] and board["me"]["person_id"] == first["person_id"]
    # A note of the meeting is quoted as the person agreed, in the listening session's terms.
    post(socket_for, again["token"], "نحتاج إلى مترجم")
    quotes = context.booklet_context(workshop.id, ["it"])["quotes"]
    assert [q["who"] for q in quotes] == ["Participant"]
    # Staff see the answer and may change it; the change is audited.
    auth.login()
    in_english(client)
    people = client.get(f"/workshops/{workshop.id}/people").get_data(as_text=True)
    assert "answered by them" in people
    client.post(
        f"/workshops/{workshop.id}/people/{first['person_id']}/consent",
        data={"consent": "never", "photos": "no"},
    )
    person = db.session.get(Person, first["person_id"])
    assert (person.quote_consent, person.photo_consent) == ("never", False)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "consent_changed"))
    assert entry.person_id == person.id
    assert entry.details == {
        "before": "anonymous",
        "after": "never",
        "photos_before": True,
        "photos_after": False,
    }
    assert context.booklet_context(workshop.id, ["it"])["quotes"] == []


def test_someone_without_a_device_is_added_and_written_for(client, process, socket_for, auth):
    workshop, (_, _, workshop_session) = process
    chen = join_with(client, workshop_session, "Chen", "mediator", "zh").get_json()
    marco = join_with(client, workshop_session, "Marco", "migrant", "it").get_json()
    mediator = socket_for(token=chen["token"])
    room = socket_for(token=marco["token"])
    refused = room.emit("add_person", {"name": "Hua", "language": "zh"}, callback=True)
    assert refused["error"]["code"] == "forbidden"
    bad = mediator.emit("add_person", {"name": " ", "language": "zh"}, callback=True)
    assert bad["error"]["code"] == "invalid_name"
    bad = mediator.emit("add_person", {"name": "Hua", "language": "zh!"}, callback=True)
    assert bad["error"]["code"] == "invalid_language"
    room.get_received()
    ack = mediator.emit("add_person", {"name": "Hua", "language": "zh"}, callback=True)
    assert ack["ok"], ack
    assert ack["participant"]["name"] == "Hua" and len(ack["badge"]) == 9
    joined = [p["args"][0] for p in room.get_received() if p["name"] == "participant_joined"]
    assert [j["participant"]["name"] for j in joined] == ["Hua"]
    note = post(socket_for, chen["token"], "晚上也需要帮助", said_by=ack["participant"]["id"])
    assert note["author"]["name"] == "Hua" and note["scribe"]["name"] == "Chen"
    figures = process_figures(workshop.id)
    assert figures["people_by_role"] == {"migrant": 2, "decision_maker": 0, "mediator": 1}
    person = db.session.get(Person, ack["person_id"])
    assert person.without_device and person.consent_asked_at is None
    # Later, on a shared tablet, her badge makes her herself again.
    again = client.post(
        "/api/join", json={"code": workshop_session.join_code, "badge": ack["badge"]}
    )
    assert again.get_json()["person_id"] == person.id


def test_merge_counts_once_with_the_stricter_consent_and_split_undoes_it(client, process, auth):
    workshop, (listening, meeting, _) = process
    a = join_with(client, listening, "Fatou", "migrant", "en").get_json()
    b = join_with(client, meeting, "Fatou D.", "migrant", "en").get_json()  # no key: new
    first, second = db.session.get(Person, a["person_id"]), db.session.get(Person, b["person_id"])
    first.quote_consent, first.photo_consent = "named", True
    second.quote_consent, second.photo_consent = "anonymous", False
    db.session.commit()
    assert process_figures(workshop.id)["people"] == 2
    auth.login()
    merged = client.post(
        f"/workshops/{workshop.id}/people/merge",
        data={"keep": a["person_id"], "other": b["person_id"]},
    )
    assert merged.status_code == 302
    assert process_figures(workshop.id)["people"] == 1
    assert process_figures(workshop.id)["presences"] == 2
    keep = db.session.get(Person, a["person_id"])
    assert (keep.quote_consent, keep.photo_consent) == ("anonymous", False)
    people = privacy.roster(workshop)
    assert [p["merged"] for p in people] == [[{"id": b["person_id"], "name": "Fatou D."}]]
    assert people[0]["sessions"] == 2
    # Fatou D.'s tablet key now joins as the merged person.
    third = join_with(client, listening, "Fatou", person_key=b["person_key"]).get_json()
    assert third["person_id"] == a["person_id"]
    same = client.post(
        f"/workshops/{workshop.id}/people/merge",
        data={"keep": a["person_id"], "other": a["person_id"]},
    )
    assert same.status_code == 400
    split = client.post(f"/workshops/{workshop.id}/people/{b['person_id']}/split")
    assert split.status_code == 302
    assert process_figures(workshop.id)["people"] == 2
    back = db.session.get(Participant, b["participant_id"])
    assert back.person_id == b["person_id"]
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["people_merged", "person_split"]
    assert client.post(f"/workshops/{workshop.id}/people/{b['person_id']}/split").status_code == 409


def test_erasing_a_merged_person_removes_every_joinings_name(client, process, socket_for, auth):
    workshop, (listening, meeting, workshop_session) = process
    a = join_with(client, listening, "Amina Haddad").get_json()
    post(socket_for, a["token"], "أريد عملا")
    b = join_with(client, meeting, "Amina Haddad", person_key=a["person_key"]).get_json()
    post(socket_for, b["token"], "شكرا")
    c = join_with(client, workshop_session, "Amina H").get_json()  # a new entry: merged below
    post(socket_for, c["token"], "مجلس")
    auth.login()
    merge_people(_account(), workshop, a["person_id"], c["person_id"])
    db.session.commit()
    response = client.post(
        f"/workshops/{workshop.id}/people/{c['person_id']}/erase",  # the merged entry's id
        data={"notes": "anonymize", "confirm": "erase"},
    )
    assert response.status_code == 302
    stored = json.dumps(
        [
            *[e.data for e in db.session.scalars(sa.select(SessionEvent))],
            *[p.display_name for p in db.session.scalars(sa.select(Participant))],
            *[p.display_name for p in db.session.scalars(sa.select(Person))],
            *[p.author_name for p in db.session.scalars(sa.select(Post))],
        ],
        ensure_ascii=False,
    )
    assert "Amina Haddad" not in stored and "Amina H" not in stored
    assert "أريد عملا" in stored and "مجلس" in stored  # the words stay, nobody's
    for token, ws in (
        (a["token"], listening),
        (b["token"], meeting),
        (c["token"], workshop_session),
    ):
        board = client.get(
            f"/api/sessions/{ws.id}/board", headers={"Authorization": f"Bearer {token}"}
        )
        assert board.status_code == 401
    # The erased person's key opens nobody: the tablet joins as someone new.
    fresh = join_with(client, listening, "Someone", person_key=a["person_key"]).get_json()
    assert fresh["person_id"] not in (a["person_id"], c["person_id"])
    (entry,) = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "participant_erased")
    ).all()
    assert entry.person_id == a["person_id"] and entry.details["notes_kept"] == 3


def _account():
    from workshops.models import Account

    return db.session.scalar(sa.select(Account))


def test_a_data_copy_covers_every_session_of_the_person(client, process, socket_for, auth):
    workshop, (listening, meeting, _) = process
    a = join_with(client, listening).get_json()
    post(socket_for, a["token"], "أولا")
    b = join_with(client, meeting, person_key=a["person_key"]).get_json()
    post(socket_for, b["token"], "ثانيا")
    auth.login()
    copy = client.get(f"/workshops/{workshop.id}/people/{a['person_id']}/data.json").get_json()
    assert [s["title"] for s in copy["sessions"]] == ["Listening", "Meeting"]
    assert {n["text"] for n in copy["notes"]} == {"أولا", "ثانيا"}
    assert copy["person"]["id"] == a["person_id"]


def test_retention_counts_from_each_persons_last_session(client, process):
    workshop, (listening, meeting, workshop_session) = process
    early = join_with(client, listening, "Early").get_json()
    late = join_with(client, listening, "Late").get_json()
    join_with(client, meeting, "Late", person_key=late["person_key"])
    for ws, day in ((listening, dt.date(2024, 1, 10)), (meeting, dt.date(2025, 6, 1))):
        ws.date = day
        session_services.close_session(ws)
        ws.closed_at = dt.datetime.combine(day, dt.time(18))
    session_services.close_session(workshop_session)
    workshop_session.date = dt.date(2024, 2, 1)
    workshop_session.closed_at = dt.datetime(2024, 2, 1, 18)
    workshop.retention_months = 12
    db.session.commit()
    found = retention.expired(dt.date(2025, 3, 1))
    assert [item.person_ids for item in found] == [[early["person_id"]]]
    retention.purge_expired(dt.date(2025, 3, 1))
    db.session.commit()
    assert db.session.get(Person, early["person_id"]).erased_at is not None
    assert db.session.get(Person, late["person_id"]).erased_at is None
    assert retention.expired(dt.date(2026, 7, 1))[0].person_ids == [late["person_id"]]


def test_trainers_are_counted_by_the_sessions_they_ran(process, trainer, client, auth):
    workshop, sessions = process
    for ws in sessions:
        ws.trainer_id = trainer.id
    db.session.commit()
    auth.login()
    client.get(f"/sessions/{sessions[0].id}")  # opening a console twice counts nothing more
    client.get(f"/sessions/{sessions[0].id}")
    figures = process_figures(workshop.id)
    assert (figures["trainers"], figures["sessions_run"]) == (1, 3)
    in_english(client)
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "0 people (0 presences)" in page


def test_a_person_key_is_not_the_database(client, process, app):
    """The key is an HMAC of the app's secret: what the database holds cannot make one."""
    _, (listening, _, _) = process
    first = join_with(client, listening).get_json()
    person = db.session.get(Person, first["person_id"])
    assert person.key_nonce not in first["person_key"]
    assert person_key(person) == first["person_key"]
    app.config["SECRET_KEY"] = "another secret"
    assert person_key(person) != first["person_key"]
