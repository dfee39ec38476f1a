"""flask seed-demo: the Prato demo process, once."""

import json

import sqlalchemy as sa

from ponte.extensions import db
from sessions.models import Group, Post, WorkshopSession
from workshops.models import Workshop


def seed(runner):
    result = runner.invoke(args=["seed-demo", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def test_seed_demo_creates_the_prato_process(runner, client):
    demo = seed(runner)
    assert set(demo) == {"workshop_id", "facilitator", "admin", "sessions"}
    assert {s["kind"] for s in demo["sessions"]} == {"listening", "face_to_face", "co_projecting"}
    workshop = db.session.get(Workshop, demo["workshop_id"])
    assert workshop.city == "Prato"
    co = next(s for s in demo["sessions"] if s["kind"] == "co_projecting")
    groups = db.session.scalars(sa.select(Group.name).where(Group.session_id == co["id"])).all()
    assert sorted(groups) == ["Partecipazione", "Scuola", "Servizi"]  # an Italian process
    languages = set(db.session.scalars(sa.select(Post.language)))
    assert {"it", "en", "zh", "ar"} <= languages
    for item in demo["sessions"]:
        joined = client.post(
            "/api/join",
            json={
                "code": item["join_code"],
                "name": "Visitor",
                "role": "migrant",
                "language": "en",
            },
        )
        assert joined.status_code == 200
    login = client.post("/login", data=demo["facilitator"])
    assert login.status_code == 302


def test_seed_demo_twice_adds_nothing(runner):
    first = seed(runner)
    posts = db.session.scalar(sa.select(sa.func.count(Post.id)))
    second = seed(runner)
    assert first == second
    assert db.session.scalar(sa.select(sa.func.count(Post.id))) == posts
    assert db.session.scalar(sa.select(sa.func.count(WorkshopSession.id))) == 3


def test_the_demo_has_real_content_for_each_kind(runner):
    from sessions.models import AgendaItem, Attendance, Cluster, Commitment

    demo = seed(runner)
    ids = {s["kind"]: s["id"] for s in demo["sessions"]}
    carried = db.session.scalars(
        sa.select(Cluster.name).where(
            Cluster.session_id == ids["listening"], Cluster.carried_forward.is_(True)
        )
    ).all()
    assert carried == ["La lingua a scuola", "L'accesso ai servizi"]  # the trainer's Italian
    agenda = db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.session_id == ids["face_to_face"])
    ).all()
    assert [a.title for a in agenda][:2] == carried and all(a.cluster_id for a in agenda[:2])
    statuses = db.session.scalars(sa.select(Commitment.status).order_by(Commitment.id)).all()
    assert statuses == ["in_progress", "open", "open"]  # the last one answers a prototype
    workshop = db.session.get(WorkshopSession, ids["co_projecting"])
    assert workshop.phase == "prototype" and workshop.trainer_id is not None
    grouped = db.session.scalars(
        sa.select(Attendance.group_id).where(
            Attendance.session_id == workshop.id, Attendance.group_id.is_not(None)
        )
    ).all()
    # Hua (no device, added by the mediator) is in a group too; the decision maker is in none.
    assert len(grouped) == 7 and len(set(grouped)) == 3


def test_the_demo_people_come_back_to_every_session_as_one_person_each(runner):
    from sessions.roster import process_figures
    from workshops.models import Participant, Person

    demo = seed(runner)
    figures = process_figures(demo["workshop_id"])
    # Eight people came back across three sessions, and Hua was added without a device.
    assert figures["people_by_role"] == {"migrant": 6, "decision_maker": 1, "mediator": 2}
    assert figures["people"] == 9 and figures["presences"] == 19  # 7 + 4 + 8
    assert (figures["trainers"], figures["sessions_run"]) == (1, 3)
    people = db.session.scalars(sa.select(Person)).all()
    assert len(people) == 9 and all(p.merged_into_id is None for p in people)
    asked = {p.display_name for p in people if p.consent_asked_at is not None}
    assert asked == {p.display_name for p in people} - {"Hua"}  # asked once, on the tablet
    joinings = db.session.scalars(sa.select(Participant)).all()
    assert len(joinings) == 19
    hua = next(p for p in people if p.display_name == "Hua")
    assert hua.without_device and hua.language == "zh"


def test_the_demo_has_a_prototype_per_group_with_its_voices(runner):
    from prototypes.models import Feedback, Prototype, PrototypeLink

    demo = seed(runner)
    prototypes = db.session.scalars(
        sa.select(Prototype)
        .where(Prototype.workshop_id == demo["workshop_id"])
        .order_by(Prototype.id)
    ).all()
    assert len(prototypes) == 3 and len({p.group_id for p in prototypes}) == 3
    assert [p.status for p in prototypes] == ["under_consideration", "presented", "draft"]
    for prototype in prototypes:
        links = db.session.scalars(
            sa.select(PrototypeLink).where(PrototypeLink.prototype_id == prototype.id)
        ).all()
        assert any(link.post_id for link in links)
    feedback = db.session.scalars(sa.select(Feedback).order_by(Feedback.id)).all()
    assert [f.kind for f in feedback] == ["support", "question"] and feedback[0].commitment_id
