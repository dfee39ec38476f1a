"""Join codes: the trainer replaces a code, or admits each person who joins."""

import sqlalchemy as sa

from ponte.extensions import db
from sessions.models import WorkshopSession


def received(sio, name):
    return [packet["args"][0] for packet in sio.get_received() if packet["name"] == name]


def test_with_approval_a_joiner_waits_until_the_trainer_admits_them(
    make_session, client, auth, socket_for, join
):
    ws = make_session()
    inside = socket_for(token=join(ws, "Marco", "migrant", "it")["token"])
    auth.login()
    trainer = socket_for(flask_client=client, session_id=ws.id)
    ack = trainer.emit("set_admission", {"mode": "approval"}, callback=True)
    assert ack["ok"] and "seq" in ack
    trainer.get_received(), inside.get_received()
    response = client.post(
        "/api/join", json={"code": ws.join_code, "name": "Wei", "role": "migrant", "language": "zh"}
    )
    waiting = response.get_json()
    assert response.status_code == 200 and waiting["waiting"] is True
    headers = {"Authorization": f"Bearer {waiting['token']}"}
    # The token opens nothing yet, and the room is not told who waits at the door.
    assert client.get(f"/api/sessions/{ws.id}/board", headers=headers).status_code == 401
    assert not socket_for(token=waiting["token"]).is_connected()
    admission = client.get(f"/api/sessions/{ws.id}/admission", headers=headers).get_json()
    assert admission == {"state": "waiting"}
    (at_door,) = received(trainer, "participant_waiting")
    assert at_door["participant"]["name"] == "Wei"
    assert received(inside, "participant_waiting") == []
    board = client.get(f"/api/sessions/{ws.id}/board").get_json()
    assert [p["name"] for p in board["waiting"]] == ["Wei"]
    assert board["people"] == 1
    ack = trainer.emit(
        "admit_participant", {"participant_id": waiting["participant_id"]}, callback=True
    )
    assert ack["ok"], ack
    assert received(inside, "participant_joined")[0]["participant"]["name"] == "Wei"
    assert client.get(f"/api/sessions/{ws.id}/admission", headers=headers).get_json() == {
        "state": "admitted"
    }
    assert client.get(f"/api/sessions/{ws.id}/board", headers=headers).status_code == 200
    assert socket_for(token=waiting["token"]).is_connected()


def test_refusing_someone_waiting_tells_their_tablet(make_session, client, auth, socket_for):
    ws = make_session()
    ws.admission = "approval"
    db.session.commit()
    waiting = client.post(
        "/api/join", json={"code": ws.join_code, "name": "X", "role": "migrant", "language": "it"}
    ).get_json()
    auth.login()
    trainer = socket_for(flask_client=client, session_id=ws.id)
    ack = trainer.emit(
        "remove_participant", {"participant_id": waiting["participant_id"]}, callback=True
    )
    assert ack["ok"], ack
    headers = {"Authorization": f"Bearer {waiting['token']}"}
    assert client.get(f"/api/sessions/{ws.id}/admission", headers=headers).get_json() == {
        "state": "refused"
    }


def test_admission_asks_need_a_token_of_that_session(make_session, join, client):
    ws = make_session()
    other = make_session(title="Other")
    token = join(ws)["token"]
    assert client.get(f"/api/sessions/{ws.id}/admission").status_code == 401
    wrong = client.get(
        f"/api/sessions/{other.id}/admission", headers={"Authorization": f"Bearer {token}"}
    )
    assert wrong.status_code == 401


def test_a_regenerated_code_replaces_the_old_one_and_keeps_people_in(
    make_session, client, auth, socket_for, join
):
    ws = make_session()
    old = ws.join_code
    person = join(ws, "Marco", "migrant", "it")
    tablet = socket_for(token=person["token"])
    auth.login()
    trainer = socket_for(flask_client=client, session_id=ws.id)
    ack = trainer.emit("regenerate_code", {}, callback=True)
    assert ack["ok"], ack
    new = db.session.scalar(sa.select(WorkshopSession.join_code).where(WorkshopSession.id == ws.id))
    assert new != old and len(new) == 6
    assert received(trainer, "join_code_changed")[-1]["join_code"] == new
    fresh = client.post(
        "/api/join", json={"code": old, "name": "Late", "role": "migrant", "language": "it"}
    )
    assert fresh.status_code == 404
    assert (
        client.post(
            "/api/join", json={"code": new, "name": "Late", "role": "migrant", "language": "it"}
        ).status_code
        == 200
    )
    assert tablet.is_connected()
    assert tablet.emit("sync", {"since": 0}, callback=True)["ok"]


def test_mode_must_be_known(make_session, client, auth, socket_for):
    ws = make_session()
    auth.login()
    trainer = socket_for(flask_client=client, session_id=ws.id)
    ack = trainer.emit("set_admission", {"mode": "maybe"}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid_mode"


def test_a_new_code_reaches_the_wall_and_the_trainer_not_the_tablets(
    app, make_session, client, auth, socket_for, join
):
    from ponte.extensions import socketio

    ws = make_session()
    tablet = socket_for(token=join(ws, "Marco", "migrant", "it")["token"])
    wall = socketio.test_client(app, auth={"session_id": ws.id, "projector_key": ws.projector_key})
    auth.login()
    trainer = socket_for(flask_client=client, session_id=ws.id)
    tablet.get_received(), wall.get_received()
    ack = trainer.emit("regenerate_code", {}, callback=True)
    new = received(wall, "join_code_changed")
    assert [e["join_code"] for e in new] == [ack and new[0]["join_code"]] and len(
        new[0]["join_code"]
    ) == 6
    seen = tablet.get_received()
    assert [p["name"] for p in seen] == ["seq_advanced"]
    assert new[0]["join_code"] not in str(seen)
    wall.disconnect()
