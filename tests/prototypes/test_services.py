"""Prototype rules: revisions, restore, evidence links, status transitions, reuse."""

import pytest

from ponte.errors import PonteError
from ponte.extensions import db
from prototypes import services
from prototypes.services import ConflictError
from sessions import facilitation
from sessions import services as session_services
from sessions.access import viewer_for_account, viewer_for_token
from tests.conftest import new_client_id


@pytest.fixture
def workshop_room(make_session, trainer):
    """A co-projecting workshop in the prototype phase: its trainer, a builder, a decision maker."""
    ws = make_session(kind="co_projecting")
    ws.trainer_id = trainer.id
    tokens = {
        role: session_services.join(ws.join_code, name, role, "it")[2]
        for name, role in (("Ada", "migrant"), ("Rossi", "decision_maker"))
    }
    db.session.commit()
    chair = viewer_for_account(trainer, ws.id)
    ada, rossi = viewer_for_token(tokens["migrant"]), viewer_for_token(tokens["decision_maker"])
    facilitation.advance_phase(chair, "ideas")
    notes = [
        session_services.create_post(ada, new_client_id(), t)[0]
        for t in ("No mediators", "Letters")
    ]
    facilitation.advance_phase(chair, "prototype")
    return ws, chair, ada, rossi, notes


def code_of(call, *args, **kwargs):
    with pytest.raises(PonteError) as error:
        call(*args, **kwargs)
    return error.value


def test_every_save_is_a_revision_with_who_and_what(workshop_room):
    _, _, ada, _, _ = workshop_room
    prototype, event = services.create_prototype(ada, "Mediators at school")
    assert event.type == "prototype_created" and prototype.versions == {"title": 1}
    services.edit_field(ada, prototype.id, "idea", "Mediators at every parents' meeting", 0)
    services.edit_field(ada, prototype.id, "idea", "Trained mediators at every meeting", 1)
    history = services.revisions(prototype)
    assert [(r.number, r.change, r.author_name) for r in history] == [
        (3, "idea", "Ada"),
        (2, "idea", "Ada"),
        (1, "created", "Ada"),
    ]
    assert history[1].fields["idea"] == "Mediators at every parents' meeting"


def test_a_stale_edit_is_a_conflict_and_nothing_is_lost(workshop_room):
    _, _, ada, _, _ = workshop_room
    prototype, _ = services.create_prototype(ada, "Desk")
    services.edit_field(ada, prototype.id, "risks", "Not enough staff", 0)
    conflict = code_of(services.edit_field, ada, prototype.id, "risks", "Opening hours", 0)
    assert isinstance(conflict, ConflictError) and conflict.status == 409
    assert conflict.to_dict()["current"] == {
        "field": "risks",
        "text": "Not enough staff",
        "version": 1,
    }
    assert prototype.fields["risks"] == "Not enough staff"
    services.edit_field(ada, prototype.id, "risks", "Not enough staff; opening hours", 1)
    assert prototype.versions["risks"] == 2


def test_staff_restore_an_older_revision(workshop_room):
    _, chair, ada, _, _ = workshop_room
    prototype, _ = services.create_prototype(ada, "Desk")
    services.edit_field(ada, prototype.id, "idea", "first idea", 0)
    services.edit_field(ada, prototype.id, "idea", "vandalised", 1)
    assert code_of(services.restore, ada, prototype, 2).code == "forbidden"
    event = services.restore(chair, prototype, 2)
    assert prototype.fields["idea"] == "first idea" and prototype.versions["idea"] == 3
    assert event.type == "prototype_restored"
    assert services.revisions(prototype)[0].change == "restored 2"
    assert code_of(services.restore, chair, prototype, 99).code == "unknown_revision"


def test_evidence_links_work_both_ways(workshop_room, make_session):
    ws, chair, ada, _, notes = workshop_room
    prototype, _ = services.create_prototype(ada, "Mediators")
    services.link(ada, prototype.id, post_id=notes[0].id)
    services.link(ada, prototype.id, post_id=notes[1].id)
    assert services.link(ada, prototype.id, post_id=notes[1].id)[1] is None  # once is enough
    assert services.describe(prototype)["linked_post_ids"] == [notes[0].id, notes[1].id]
    assert [p.id for p in services.prototypes_using_post(notes[0].id)] == [prototype.id]
    theme = facilitation.create_cluster(chair, "Language").data["cluster"]
    services.link(ada, prototype.id, cluster_id=theme["id"])
    assert services.describe(prototype)["linked_cluster_ids"] == [theme["id"]]
    other = make_session(kind="co_projecting")
    foreign_theme = facilitation.create_cluster(
        viewer_for_account_of(other, chair), "Elsewhere"
    ).data["cluster"]
    assert (
        code_of(services.link, ada, prototype.id, cluster_id=foreign_theme["id"]).code
        == "unknown_cluster"
    )
    assert code_of(services.link, ada, prototype.id).code == "invalid_link"


def viewer_for_account_of(ws, chair):
    from sessions.access import Viewer

    return Viewer(
        session_id=ws.id, role="staff", name="Staff", language="it", account_id=chair.account_id
    )


def test_building_follows_the_phase_and_the_roles(workshop_room):
    _, chair, ada, rossi, _ = workshop_room
    assert code_of(services.create_prototype, rossi, "mine").code == "forbidden"
    facilitation.advance_phase(chair, "vote")
    assert code_of(services.create_prototype, ada, "late").code == "phase_forbids"
    assert (
        services.create_prototype(chair, "The trainer may")[0].fields["title"] == "The trainer may"
    )


def test_status_moves_along_its_rules(workshop_room):
    _, chair, ada, _, _ = workshop_room
    prototype, _ = services.create_prototype(ada, "Desk")
    assert code_of(services.change_status, ada, prototype, "presented").code == "forbidden"
    assert code_of(services.change_status, chair, prototype, "adopted").code == "invalid_transition"
    services.change_status(chair, prototype, "presented")
    services.change_status(chair, prototype, "under_consideration")
    assert (
        code_of(services.change_status, chair, prototype, "not_pursued").code == "reason_required"
    )
    event = services.change_status(chair, prototype, "not_pursued", "No budget this year.")
    assert event.data == {
        "prototype_id": prototype.id,
        "status": "not_pursued",
        "reason": "No budget this year.",
    }
    assert code_of(services.change_status, chair, prototype, "flying").code == "invalid_status"


def test_decision_makers_give_feedback_and_commit_in_the_feedback_phase(workshop_room):
    _, chair, ada, rossi, _ = workshop_room
    prototype, _ = services.create_prototype(ada, "Desk")
    assert (
        code_of(services.give_feedback, rossi, prototype.id, "support", "Yes").code
        == "phase_forbids"
    )
    facilitation.advance_phase(chair, "feedback")
    assert (
        code_of(services.give_feedback, ada, prototype.id, "support", "Me too").code == "forbidden"
    )
    feedback, events = services.give_feedback(
        rossi,
        prototype.id,
        "support",
        "We can pilot it in one district.",
        {"what": "Pilot the desk in San Paolo", "who": "URP", "by_when": "2026-10-01"},
    )
    assert [e.type for e in events] == ["commitment_recorded", "feedback_given"]
    assert feedback.commitment_id is not None
    assert services.describe(prototype)["feedback"][0]["kind"] == "support"
    assert code_of(services.give_feedback, rossi, prototype.id, "rant", "x").code == "invalid_kind"


def test_a_prototype_is_duplicated_into_another_process_and_exported(
    workshop_room, make_workshop, trainer
):
    _, _, ada, _, notes = workshop_room
    prototype, _ = services.create_prototype(ada, "Desk")
    services.edit_field(ada, prototype.id, "idea", "One desk", 0)
    services.link(ada, prototype.id, post_id=notes[0].id)
    other = make_workshop(title="Pistoia listens", city="Pistoia")
    copy = services.duplicate(prototype, other, trainer)
    assert (copy.workshop_id, copy.fields["idea"], copy.duplicated_from_id) == (
        other.id,
        "One desk",
        prototype.id,
    )
    assert services.describe(copy)["linked_post_ids"] == []  # the voices stay in their process
    exported = services.export(prototype)
    assert exported["format"] == "ponte.prototype/1"
    assert exported["evidence"][0]["text"] == "No mediators"
    assert [r["change"] for r in exported["revisions"]] == ["idea", "created"]


def test_only_the_group_writes_on_its_canvas(workshop_room):
    ws, chair, ada, _, _ = workshop_room
    school, participation = [g["id"] for g in board_of(chair)["groups"][:2]]
    _, _, li_token, _ = session_services.join(ws.join_code, "Li", "migrant", "zh")
    li = viewer_for_token(li_token)
    facilitation.assign_group(chair, ada.participant_id, school)
    facilitation.assign_group(chair, li.participant_id, participation)
    prototype, _ = services.create_prototype(ada, "School desk")
    assert prototype.group_id == school
    assert code_of(services.edit_field, li, prototype.id, "idea", "x", 0).code == "not_your_group"
    assert code_of(services.create_prototype, li, "for School", school).code == "not_your_group"
    assert services.edit_field(chair, prototype.id, "idea", "trainer helps", 0)[1] is not None


def test_removing_a_linked_theme_unlinks_it(workshop_room):
    _, chair, ada, _, _ = workshop_room
    prototype, _ = services.create_prototype(ada, "Desk")
    theme = facilitation.create_cluster(chair, "Language").data["cluster"]
    services.link(ada, prototype.id, cluster_id=theme["id"])
    facilitation.remove_cluster(chair, theme["id"])
    db.session.expire_all()
    assert services.describe(prototype)["linked_cluster_ids"] == []


def board_of(viewer):
    from sessions.board import board

    return board(viewer)
