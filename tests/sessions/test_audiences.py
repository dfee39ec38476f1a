"""What reaches which screen: names in anonymous mode, votes before the reveal, the projector."""

import json

import pytest

from ponte.extensions import db, socketio
from tests.conftest import new_client_id


def received(sio, name):
    return [p["args"][0] for p in sio.get_received() if p["name"] == name]


@pytest.fixture
def screens(make_session, trainer, join, client, auth, socket_for, app):
    """A co-projecting workshop: the trainer's console, two tablets and the projector."""
    ws = make_session(kind="co_projecting")
    ws.trainer_id = trainer.id
    db.session.commit()
    ada = socket_for(token=join(ws, "Ada", "migrant", "it")["token"])
    bo = socket_for(token=join(ws, "Bo", "migrant", "zh")["token"])
    auth.login()
    console = socket_for(flask_client=client, session_id=ws.id)
    projector = socketio.test_client(
        app, auth={"session_id": ws.id, "projector_key": ws.projector_key}
    )
    for screen in (ada, bo, console, projector):
        assert screen.is_connected()
        screen.get_received()
    yield ws, console, ada, bo, projector
    projector.disconnect()


def test_anonymous_mode_hides_names_from_tablets_and_projector(screens):
    _, console, ada, bo, projector = screens
    assert console.emit("set_anonymous", {"anonymous": True}, callback=True)["ok"]
    ada.emit("create_post", {"client_id": new_client_id(), "text": "no names"}, callback=True)
    assert received(bo, "post_created")[0]["post"]["author"]["name"] is None
    assert received(projector, "post_created")[0]["post"]["author"]["name"] is None
    assert received(console, "post_created")[0]["post"]["author"]["name"] == "Ada"
    replay = bo.emit("sync", {"since": 0}, callback=True)["events"]
    assert all(
        e["data"]["post"]["author"]["name"] is None for e in replay if e["type"] == "post_created"
    )
    joined = [e["data"] for e in replay if e["type"] == "participant_joined"]
    assert joined and all(j["participant"]["name"] is None for j in joined)


def test_votes_stay_private_until_the_trainer_reveals_them(screens):
    _, console, ada, bo, projector = screens
    idea = ada.emit("create_post", {"client_id": new_client_id(), "text": "desk"}, callback=True)
    console.emit("advance_phase", {"phase": "vote"}, callback=True)
    for screen in (ada, bo, console, projector):
        screen.get_received()

    ack = bo.emit("cast_vote", {"post_id": idea["post"]["id"]}, callback=True)
    assert ack == {
        "ok": True,
        "post_id": idea["post"]["id"],
        "mine": 1,
        "left": 2,
        "seq": ack["seq"],
    }
    assert received(console, "vote_cast")[0]["seq"] == ack["seq"]
    for screen in (ada, projector):
        packets = screen.get_received()
        assert [p["name"] for p in packets] == ["seq_advanced"]  # the seq moves, nothing shows
        assert "tally" not in packets[0]["args"][0]

    console.emit("reveal_votes", {"revealed": True}, callback=True)
    [revealed] = received(projector, "votes_revealed")
    assert revealed["tallies"] == {str(idea["post"]["id"]): 1}
    ada.emit("cast_vote", {"post_id": idea["post"]["id"]}, callback=True)
    [seen] = received(projector, "vote_cast")
    assert seen["tally"] == 2 and "participant_id" not in seen


def test_the_projector_reads_but_never_writes(screens):
    ws, _, _, _, projector = screens
    assert projector.emit("sync", {"since": 0}, callback=True)["ok"]
    refusal = projector.emit(
        "create_post", {"client_id": new_client_id(), "text": "x"}, callback=True
    )
    assert refusal["error"]["code"] == "forbidden"


def test_a_wrong_projector_key_is_refused(app, make_session):
    ws = make_session()
    wrong = socketio.test_client(app, auth={"session_id": ws.id, "projector_key": "x" * 43})
    assert not wrong.is_connected()
    other = make_session(title="Other")
    crossed = socketio.test_client(
        app, auth={"session_id": other.id, "projector_key": ws.projector_key}
    )
    assert not crossed.is_connected()


def test_the_projector_page_and_board_need_the_key(client, make_session):
    ws = make_session()
    assert client.get(f"/sessions/{ws.id}/projector?key=guess").status_code == 404
    board = client.get(
        f"/api/sessions/{ws.id}/board", headers={"X-Projector-Key": ws.projector_key}
    )
    assert board.status_code == 200 and board.get_json()["projector_key"] is None
    bad = client.get(f"/api/sessions/{ws.id}/board", headers={"X-Projector-Key": "guess"})
    assert bad.status_code == 401


def test_editing_a_hidden_note_does_not_show_it_again(screens):
    _, console, ada, bo, projector = screens
    post = ada.emit("create_post", {"client_id": new_client_id(), "text": "secret"}, callback=True)
    console.emit("hide_post", {"post_id": post["post"]["id"]}, callback=True)
    bo.get_received()
    ack = ada.emit(
        "edit_post", {"post_id": post["post"]["id"], "text": "still secret"}, callback=True
    )
    assert ack["ok"]
    assert [p["name"] for p in bo.get_received()] == ["seq_advanced"]
    assert received(console, "post_edited")[0]["post"]["text"] == "still secret"


def test_the_wall_shows_the_join_code_and_qr(client, make_session):
    ws = make_session()
    board = client.get(
        f"/api/sessions/{ws.id}/board", headers={"X-Projector-Key": ws.projector_key}
    )
    assert board.get_json()["join_code"] == ws.join_code
    qr = client.get(f"/sessions/{ws.id}/projector/qr.svg?key={ws.projector_key}")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert client.get(f"/sessions/{ws.id}/projector/qr.svg?key=guess").status_code == 404


def test_tablets_do_not_get_the_code_back(client, make_session, join):
    ws = make_session()
    token = join(ws)["token"]
    board = client.get(f"/api/sessions/{ws.id}/board", headers={"Authorization": f"Bearer {token}"})
    assert board.get_json()["join_code"] is None


def test_resending_someone_elses_client_id_reveals_nothing(screens):
    _, console, ada, bo, _ = screens
    console.emit("set_anonymous", {"anonymous": True}, callback=True)
    ada.emit("create_post", {"client_id": (cid := new_client_id()), "text": "mine"}, callback=True)
    stolen = bo.emit("create_post", {"client_id": cid, "text": "give it to me"}, callback=True)
    assert stolen["ok"] is False and stolen["error"]["code"] == "invalid_client_id"
    again = ada.emit("create_post", {"client_id": cid, "text": "mine"}, callback=True)
    assert again["ok"]  # the author's own resend is still acknowledged


def test_anonymous_mode_covers_commitments_feedback_and_canvas_edits(screens):
    _, console, ada, bo, projector = screens
    for screen in (console,):
        screen.emit("set_anonymous", {"anonymous": True}, callback=True)
    console.emit("advance_phase", {"phase": "prototype"}, callback=True)
    created = ada.emit("create_prototype", {"title": "Desk"}, callback=True)
    pid = created["prototype"]["id"]
    ada.emit(
        "edit_prototype_field",
        {"prototype_id": pid, "field": "idea", "text": "One desk", "base_version": 0},
        callback=True,
    )
    console.emit("record_commitment", {"what": "Open a desk", "who": "URP"}, callback=True)
    console.emit("advance_phase", {"phase": "feedback"}, callback=True)
    console.emit(
        "give_feedback", {"prototype_id": pid, "kind": "support", "text": "Yes"}, callback=True
    )
    seen = json.dumps([p["args"] for p in bo.get_received() + projector.get_received()])
    assert "Ada" not in seen and "Tina Trainer" not in seen
    replay = json.dumps(bo.emit("sync", {"since": 0}, callback=True))
    assert "Ada" not in replay and "Tina Trainer" not in replay
