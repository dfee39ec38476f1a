"""Every Socket.IO action against every role: the permission matrix of docs/protocol.md."""

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from ponte.extensions import db
from prototypes import services as prototype_services
from prototypes.models import PrototypeLink
from sessions import commitments, facilitation, services
from sessions.access import viewer_for_account, viewer_for_token
from sessions.models import Group, WorkshopSession
from tests.conftest import new_client_id
from workshops import services as workshop_services
from workshops.access import add_to_team
from workshops.models import Workshop

ROLES = ("trainer", "staff", "observer", "migrant", "decision_maker", "mediator", "projector")
BUILDERS = {"trainer", "staff", "migrant", "mediator"}  # decision makers give feedback instead
FACILITATORS = {"trainer", "staff"}
PARTICIPANTS = {"migrant", "decision_maker", "mediator"}
POSTERS = FACILITATORS | PARTICIPANTS
TRANSLATORS = FACILITATORS | {"mediator"}


@dataclass
class Room:
    ws: WorkshopSession
    post_id: int
    own_post_ids: dict
    group_id: int
    prompt_id: int
    cluster_id: int
    item_id: int
    commitment_id: int
    participant_id: int
    prototype_id: int
    link_id: int


# action -> (roles allowed, payload builder)
ACTIONS = {
    "sync": (set(ROLES), lambda r, role: {"since": 0}),
    "create_post": (POSTERS, lambda r, role: {"client_id": new_client_id(), "text": "hello"}),
    "edit_post": (
        POSTERS,
        lambda r, role: {"post_id": r.own_post_ids.get(role, r.post_id), "text": "edited"},
    ),
    "translate_post": (
        TRANSLATORS,
        lambda r, role: {"post_id": r.post_id, "language": "zh", "text": "你好"},
    ),
    "machine_translate": (TRANSLATORS, lambda r, role: {"post_id": r.post_id, "language": "zh"}),
    "confirm_translation": (
        TRANSLATORS,
        lambda r, role: {"post_id": r.post_id, "language": "zh"},
    ),
    "transcribe_post": (TRANSLATORS, lambda r, role: {"post_id": r.post_id, "text": "said"}),
    "react": (PARTICIPANTS, lambda r, role: {"post_id": r.post_id, "kind": "agree", "on": True}),
    "set_language": (PARTICIPANTS, lambda r, role: {"language": "zh"}),
    "set_consent": (PARTICIPANTS, lambda r, role: {"quote": "anonymous", "photos": False}),
    "add_person": (TRANSLATORS, lambda r, role: {"name": "Hua", "language": "zh"}),
    "translate_content": (
        TRANSLATORS,
        lambda r, role: {
            "subject": "group",
            "subject_id": r.group_id,
            "field": "name",
            "language": "zh",
            "text": "学校",
        },
    ),
    "remove_participant": (FACILITATORS, lambda r, role: {"participant_id": r.participant_id}),
    "admit_participant": (FACILITATORS, lambda r, role: {"participant_id": r.participant_id}),
    "set_admission": (FACILITATORS, lambda r, role: {"mode": "approval"}),
    "regenerate_code": (FACILITATORS, lambda r, role: {}),
    "cast_vote": (PARTICIPANTS, lambda r, role: {"post_id": r.post_id}),
    "retract_vote": (PARTICIPANTS, lambda r, role: {"post_id": r.post_id}),
    "choose_group": (PARTICIPANTS, lambda r, role: {"group_id": r.group_id}),
    "record_commitment": (
        FACILITATORS | {"decision_maker"},
        lambda r, role: {"what": "w", "who": "x"},
    ),
    "hide_post": (FACILITATORS, lambda r, role: {"post_id": r.post_id}),
    "unhide_post": (FACILITATORS, lambda r, role: {"post_id": r.post_id}),
    "advance_phase": (FACILITATORS, lambda r, role: {}),
    "start_timer": (FACILITATORS, lambda r, role: {"seconds": 60}),
    "stop_timer": (FACILITATORS, lambda r, role: {}),
    "lock_board": (FACILITATORS, lambda r, role: {"locked": True}),
    "set_anonymous": (FACILITATORS, lambda r, role: {"anonymous": False}),
    "spotlight_post": (FACILITATORS, lambda r, role: {"post_id": r.post_id}),
    "add_prompt": (FACILITATORS, lambda r, role: {"text": "Who helps you?"}),
    "edit_prompt": (FACILITATORS, lambda r, role: {"prompt_id": r.prompt_id, "text": "Reworded"}),
    "remove_prompt": (FACILITATORS, lambda r, role: {"prompt_id": r.prompt_id}),
    "show_prompt": (FACILITATORS, lambda r, role: {"prompt_id": r.prompt_id}),
    "create_cluster": (FACILITATORS, lambda r, role: {"name": "Housing"}),
    "update_cluster": (
        FACILITATORS,
        lambda r, role: {"cluster_id": r.cluster_id, "carried_forward": True},
    ),
    "remove_cluster": (FACILITATORS, lambda r, role: {"cluster_id": r.cluster_id}),
    "move_post": (FACILITATORS, lambda r, role: {"post_id": r.post_id, "cluster_id": r.cluster_id}),
    "add_agenda_item": (FACILITATORS, lambda r, role: {"title": "Housing"}),
    "edit_agenda_item": (FACILITATORS, lambda r, role: {"item_id": r.item_id, "title": "Renamed"}),
    "remove_agenda_item": (FACILITATORS, lambda r, role: {"item_id": r.item_id}),
    "set_current_item": (FACILITATORS, lambda r, role: {"item_id": r.item_id}),
    "add_group": (FACILITATORS, lambda r, role: {"name": "Housing"}),
    "rename_group": (FACILITATORS, lambda r, role: {"group_id": r.group_id, "name": "Scuola"}),
    "set_group_choice": (FACILITATORS, lambda r, role: {"mode": "self"}),
    "assign_group": (
        FACILITATORS,
        lambda r, role: {"participant_id": r.participant_id, "group_id": r.group_id},
    ),
    "set_vote_allowance": (FACILITATORS, lambda r, role: {"votes": 5}),
    "reveal_votes": (FACILITATORS, lambda r, role: {"revealed": True}),
    "create_prototype": (BUILDERS, lambda r, role: {"title": "Mediators at school"}),
    "edit_prototype_field": (
        BUILDERS,
        lambda r, role: {
            "prototype_id": r.prototype_id,
            "field": "idea",
            "text": "x",
            "base_version": 0,
        },
    ),
    "link_evidence": (
        BUILDERS,
        lambda r, role: {"prototype_id": r.prototype_id, "post_id": r.post_id},
    ),
    "unlink_evidence": (
        BUILDERS,
        lambda r, role: {"prototype_id": r.prototype_id, "link_id": r.link_id},
    ),
    "give_feedback": (
        FACILITATORS | {"decision_maker"},
        lambda r, role: {"prototype_id": r.prototype_id, "kind": "support", "text": "Yes"},
    ),
    "set_prototype_status": (
        FACILITATORS,
        lambda r, role: {"prototype_id": r.prototype_id, "status": "presented"},
    ),
    "restore_prototype": (
        FACILITATORS,
        lambda r, role: {"prototype_id": r.prototype_id, "number": 1},
    ),
    "update_commitment": (
        FACILITATORS,
        lambda r, role: {"commitment_id": r.commitment_id, "status": "done"},
    ),
}


@pytest.fixture
def room(make_session, trainer, join):
    """A co-projecting workshop in the vote phase with something of everything in it."""
    ws = make_session(kind="co_projecting")
    ws.trainer_id = trainer.id
    ws.group_choice = "self"
    db.session.commit()
    chair = viewer_for_account(trainer, ws.id)
    tokens = {role: join(ws, role.title(), role, "it")["token"] for role in PARTICIPANTS}
    viewers = {role: viewer_for_token(token) for role, token in tokens.items()}
    own = {
        role: services.create_post(v, new_client_id(), f"by {role}")[0].id
        for role, v in viewers.items()
    }
    own["trainer"] = services.create_post(chair, new_client_id(), "by the trainer")[0].id
    facilitation.advance_phase(chair, "vote")
    group_id = db.session.scalar(sa.select(Group.id).where(Group.session_id == ws.id))
    prompt = facilitation.add_prompt(chair, "What works?").data["prompt"]
    cluster = facilitation.create_cluster(chair, "Language").data["cluster"]
    item = facilitation.add_agenda_item(chair, "School").data["item"]
    commitment, _ = commitments.record_commitment(chair, "Mediators", "City")
    prototype, _ = prototype_services.create_prototype(chair, "Mediators at school")
    prototype_services.link(chair, prototype.id, own["mediator"])
    link_id = prototype_services.describe(prototype)["linked_post_ids"] and db.session.scalar(
        sa.select(PrototypeLink.id).where(PrototypeLink.prototype_id == prototype.id)
    )
    db.session.commit()
    return Room(
        ws=ws,
        post_id=own["migrant"],
        own_post_ids=own,
        group_id=group_id,
        prompt_id=prompt["id"],
        cluster_id=cluster["id"],
        item_id=item["id"],
        commitment_id=commitment.id,
        participant_id=viewers["migrant"].participant_id,
        prototype_id=prototype.id,
        link_id=link_id,
    ), tokens


def connect_as(role, room, tokens, app, client, trainer, socket_for):
    ws = room.ws
    if role in PARTICIPANTS:
        return socket_for(token=tokens[role])
    if role == "projector":
        return socket_for_projector(app, ws)
    email = {
        "trainer": trainer.email,
        "staff": "staff@test.example",
        "observer": "other@test.example",
    }[role]
    if role != "trainer":
        account = workshop_services.create_account(
            email, role.title(), "a long password", role="staff" if role == "staff" else "trainer"
        )
        if role == "observer":  # another trainer of the process's team
            add_to_team(db.session.get(Workshop, ws.workshop_id), account)
        db.session.commit()
    password = "correct horse battery" if role == "trainer" else "a long password"
    client.post("/login", data={"email": email, "password": password})
    return socket_for(flask_client=client, session_id=ws.id)


def socket_for_projector(app, ws):
    from ponte.extensions import socketio

    return socketio.test_client(app, auth={"session_id": ws.id, "projector_key": ws.projector_key})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_role_may_do_exactly_what_the_policy_says(
    role, action, room, app, client, trainer, socket_for
):
    the_room, tokens = room
    sio = connect_as(role, the_room, tokens, app, client, trainer, socket_for)
    assert sio.is_connected(), role
    allowed, payload = ACTIONS[action]
    ack = sio.emit(action, payload(the_room, role), callback=True)
    if role in allowed:
        assert ack["ok"] or ack["error"]["code"] != "forbidden", (role, action, ack)
        assert ack["ok"] or ack["error"]["code"] not in ("internal", "unauthorized"), (
            role,
            action,
            ack,
        )
    else:
        assert ack == {
            "ok": False,
            "error": {"code": "forbidden", "message": ack["error"]["message"]},
        }, ack
    if sio.is_connected():
        sio.disconnect()


def test_the_policy_covers_every_socket_event(app):
    from ponte.extensions import socketio

    handled = {name for name, _, _ in socketio.handlers} - {"connect", "disconnect"}
    assert handled == set(ACTIONS)


def test_a_participant_token_sending_advance_phase_gets_an_error_ack(room, socket_for):
    the_room, tokens = room
    ack = socket_for(token=tokens["migrant"]).emit("advance_phase", {}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    assert db.session.get(WorkshopSession, the_room.ws.id).phase == "vote"


def test_the_observer_is_another_trainer(room, client, socket_for, trainer):
    the_room, _ = room
    other = workshop_services.create_account("other@test.example", "Other", "a long password")
    add_to_team(db.session.get(Workshop, the_room.ws.workshop_id), other)
    db.session.commit()
    client.post("/login", data={"email": "other@test.example", "password": "a long password"})
    observer = socket_for(flask_client=client, session_id=the_room.ws.id)
    answer = observer.emit("sync", {"since": 0}, callback=True)
    assert answer["ok"]
    names = {
        e["data"]["post"]["author"]["name"] for e in answer["events"] if e["type"] == "post_created"
    }
    assert "Migrant" in names  # observers are staff-side: they see names
