"""The canvas over Socket.IO: two tablets on one field, permissions, the API and pages."""

import pytest

from ponte.extensions import db
from sessions import facilitation
from sessions.access import viewer_for_account
from tests.conftest import new_client_id


@pytest.fixture
def canvas(make_session, trainer, join, socket_for, client, auth):
    """Two tablets of one group, a decision maker and the console, around one prototype."""
    ws = make_session(kind="co_projecting")
    ws.trainer_id = trainer.id
    db.session.commit()
    ada = socket_for(token=join(ws, "Ada", "migrant", "it")["token"])
    li = socket_for(token=join(ws, "Li", "migrant", "zh")["token"])
    rossi_token = join(ws, "Rossi", "decision_maker", "it")["token"]
    rossi = socket_for(token=rossi_token)
    auth.login()
    console = socket_for(flask_client=client, session_id=ws.id)
    chair = viewer_for_account(trainer, ws.id)
    facilitation.advance_phase(chair, "ideas")
    db.session.commit()
    note = ada.emit(
        "create_post", {"client_id": new_client_id(), "text": "No mediators"}, callback=True
    )
    console.emit("advance_phase", {"phase": "prototype"}, callback=True)
    created = ada.emit("create_prototype", {"title": "Mediators at school"}, callback=True)
    assert created["ok"], created
    for screen in (ada, li, rossi, console):
        screen.get_received()
    return ws, ada, li, rossi, console, created["prototype"], note["post"], rossi_token


def test_two_tablets_typing_in_one_field_never_lose_words(canvas):
    _, ada, li, _, console, prototype, _, _ = canvas
    base = prototype["versions"]["idea"]
    first = ada.emit(
        "edit_prototype_field",
        {
            "prototype_id": prototype["id"],
            "field": "idea",
            "text": "Mediators",
            "base_version": base,
        },
        callback=True,
    )
    assert first == {
        "ok": True,
        "prototype_id": prototype["id"],
        "field": "idea",
        "version": base + 1,
        "seq": first["seq"],
        "text": "Mediators",
    }
    # Li typed on the same version and saves second: refused, with Ada's words to merge.
    second = li.emit(
        "edit_prototype_field",
        {
            "prototype_id": prototype["id"],
            "field": "idea",
            "text": "Interpreters",
            "base_version": base,
        },
        callback=True,
    )
    assert second["ok"] is False and second["error"]["code"] == "conflict"
    assert second["error"]["current"] == {"field": "idea", "text": "Mediators", "version": base + 1}
    merged = li.emit(
        "edit_prototype_field",
        {
            "prototype_id": prototype["id"],
            "field": "idea",
            "text": "Mediators and interpreters",
            "base_version": base + 1,
        },
        callback=True,
    )
    assert merged["ok"]
    updates = [
        p["args"][0] for p in console.get_received() if p["name"] == "prototype_field_updated"
    ]
    assert [(u["text"], u["version"]) for u in updates] == [
        ("Mediators", base + 1),
        ("Mediators and interpreters", base + 2),
    ]
    # Different fields at the same time never conflict.
    other = ada.emit(
        "edit_prototype_field",
        {"prototype_id": prototype["id"], "field": "risks", "text": "Cost", "base_version": 0},
        callback=True,
    )
    assert other["ok"]


def test_roles_on_the_canvas(canvas):
    _, ada, _, rossi, console, prototype, note, _ = canvas
    status = ada.emit(
        "set_prototype_status",
        {"prototype_id": prototype["id"], "status": "presented"},
        callback=True,
    )
    assert status["error"]["code"] == "forbidden"  # a migrant cannot change the status
    linked = ada.emit(
        "link_evidence", {"prototype_id": prototype["id"], "post_id": note["id"]}, callback=True
    )
    assert linked["ok"] and linked["prototype"]["linked_post_ids"] == [note["id"]]
    console.emit("advance_phase", {"phase": "feedback"}, callback=True)
    feedback = rossi.emit(
        "give_feedback",
        {
            "prototype_id": prototype["id"],
            "kind": "support",
            "text": "Yes",
            "commitment": {
                "what": "Fund two mediators",
                "who": "Assessorato",
                "by_when": "2026-12-01",
            },
        },
        callback=True,
    )
    assert feedback["ok"] and feedback["feedback"]["commitment_id"]
    restore = console.emit(
        "restore_prototype", {"prototype_id": prototype["id"], "number": 1}, callback=True
    )
    assert restore["ok"]  # staff can restore
    assert (
        ada.emit(
            "restore_prototype", {"prototype_id": prototype["id"], "number": 1}, callback=True
        )["error"]["code"]
        == "forbidden"
    )
    moved = console.emit(
        "set_prototype_status",
        {"prototype_id": prototype["id"], "status": "presented"},
        callback=True,
    )
    assert moved["ok"] and moved["prototype"]["status"] == "presented"


def test_the_api_lists_the_process_prototypes_for_its_people(canvas, client, make_session, join):
    ws, ada, _, _, _, prototype, note, rossi_token = canvas
    ada.emit(
        "link_evidence", {"prototype_id": prototype["id"], "post_id": note["id"]}, callback=True
    )
    as_participant = client.get(
        f"/api/workshops/{ws.workshop_id}/prototypes",
        headers={"Authorization": f"Bearer {rossi_token}"},
    )
    assert as_participant.status_code == 200
    [listed] = as_participant.get_json()["prototypes"]
    assert listed["fields"]["title"] == "Mediators at school"
    assert listed["linked_post_ids"] == [note["id"]] and listed["status"] == "draft"
    assert set(listed) >= {"fields", "status", "linked_post_ids", "feedback", "versions"}
    elsewhere = make_session(title="Elsewhere")
    outsider = join(elsewhere)["token"]
    refused = client.get(
        f"/api/workshops/{ws.workshop_id}/prototypes",
        headers={"Authorization": f"Bearer {outsider}"},
    )
    assert refused.status_code == 403
    assert client.get(f"/api/workshops/{ws.workshop_id}/prototypes").status_code == 200  # staff
    client.post("/logout")
    assert client.get(f"/api/workshops/{ws.workshop_id}/prototypes").status_code == 401


def test_staff_pages_and_the_public_what_happened_next_page(canvas, client):
    from prototypes.models import Prototype
    from workshops.models import Workshop

    ws, _, _, _, _, prototype, _, _ = canvas
    page = client.get(f"/prototypes/{prototype['id']}").data.decode()
    assert "Mediators at school" in page and "Revisions" in page
    assert (
        client.post(
            f"/prototypes/{prototype['id']}/status", data={"status": "presented"}
        ).status_code
        == 302
    )
    assert db.session.get(Prototype, prototype["id"]).status == "presented"
    exported = client.get(f"/prototypes/{prototype['id']}.json")
    assert exported.get_json()["prototype"]["id"] == prototype["id"]
    workshop = db.session.get(Workshop, ws.workshop_id)
    client.post("/logout")
    public = client.get(f"/next/{workshop.public_key}")
    assert public.status_code == 200 and "Mediators at school" in public.data.decode()
    assert "presented" in public.data.decode()
    assert client.get("/next/not-a-real-key-not-a-real-key").status_code == 404


def test_the_old_join_link_leads_to_what_happened_next(canvas, client):
    client.set_cookie("ponte_lang", "en")  # the page is checked for its English words
    from sessions import services as session_services
    from workshops.models import Workshop

    ws = canvas[0]
    session_services.close_session(ws)
    db.session.commit()
    page = client.get(f"/join?code={ws.join_code}").data.decode()
    workshop = db.session.get(Workshop, ws.workshop_id)
    assert f"/next/{workshop.public_key}" in page and "This session has ended" in page


def test_another_trainer_may_watch_but_not_run(canvas, client, make_session):
    from prototypes.models import Prototype
    from sessions.models import Commitment, WorkshopSession
    from workshops import services as workshop_services
    from workshops.access import add_to_team
    from workshops.models import Workshop

    ws, _, _, rossi, console, prototype, _, _ = canvas
    console.emit("record_commitment", {"what": "w", "who": "x"}, callback=True)
    commitment = db.session.scalar(db.select(Commitment))
    other = workshop_services.create_account("other@test.example", "Other", "a long password")
    add_to_team(db.session.get(Workshop, ws.workshop_id), other)  # a colleague of the team
    db.session.commit()
    client.post("/logout")
    client.post("/login", data={"email": "other@test.example", "password": "a long password"})
    assert client.get(f"/sessions/{ws.id}").status_code == 200  # watching is fine
    assert client.post(f"/sessions/{ws.id}/close").status_code == 403
    assert db.session.get(WorkshopSession, ws.id).status == "live"
    assert (
        client.post(
            f"/prototypes/{prototype['id']}/status", data={"status": "presented"}
        ).status_code
        == 403
    )
    assert db.session.get(Prototype, prototype["id"]).status == "draft"
    update = client.post(
        f"/workshops/{ws.workshop_id}/commitments",
        data={"commitment_id": commitment.id, "status": "done"},
    )
    assert update.status_code == 403
    huge = client.post(
        f"/workshops/{ws.workshop_id}/commitments", data={"commitment_id": 2**70, "status": "done"}
    )
    assert huge.status_code in (400, 404)


def test_staff_restore_a_duplicated_prototype(canvas, client, make_workshop):
    from prototypes.models import Prototype

    _, ada, _, _, _, prototype, _, _ = canvas
    ada.emit(
        "edit_prototype_field",
        {"prototype_id": prototype["id"], "field": "idea", "text": "v1", "base_version": 0},
        callback=True,
    )
    other = make_workshop(title="Pistoia", city="Pistoia")
    copied = client.post(f"/prototypes/{prototype['id']}/duplicate", data={"workshop_id": other.id})
    copy_id = int(copied.headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/prototypes/{prototype['id']}/duplicate", data={}).status_code == 400
    assert db.session.get(Prototype, copy_id).duplicated_from_id == prototype["id"]
    assert client.post(f"/prototypes/{copy_id}/restore", data={"number": 1}).status_code == 302
