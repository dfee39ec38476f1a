"""The Socket.IO protocol, with Flask-SocketIO's test client against a real database."""

import pytest
import sqlalchemy as sa

from ponte.extensions import db
from sessions.broadcast import publish
from sessions.models import Attendance, Group, Post, SessionEvent
from tests.conftest import new_client_id


def received(sio, name):
    return [packet["args"][0] for packet in sio.get_received() if packet["name"] == name]


@pytest.fixture
def board_of_two(make_session, join, socket_for):
    """A live session with two tablets connected."""
    ws = make_session()
    amina = join(ws, "Amina", "migrant", "ar")
    li = join(ws, "Li", "migrant", "zh")
    a = socket_for(token=amina["token"])
    b = socket_for(token=li["token"])
    a.get_received(), b.get_received()
    return ws, a, b


def test_connecting_needs_a_valid_token(socket_for):
    assert not socket_for(token=None).is_connected()
    assert not socket_for(token="forged-token-forged-token-forged").is_connected()
    assert not socket_for(token=12345).is_connected()


def test_each_tablet_sees_the_others_posts(board_of_two):
    ws, a, b = board_of_two
    ack = a.emit(
        "create_post",
        {"client_id": new_client_id(), "text": "Dove iscrivo mio figlio?"},
        callback=True,
    )
    assert ack["ok"] is True
    assert ack["post"]["text"] == "Dove iscrivo mio figlio?" and ack["post"]["seq"] >= 1
    [event] = received(b, "post_created")
    assert event["post"]["id"] == ack["post"]["id"]
    assert event["post"]["author"] == {
        "name": "Amina",
        "role": "migrant",
        "participant_id": ack["post"]["author"]["participant_id"],
    }


def test_the_same_client_id_twice_makes_one_post_and_acks_twice(board_of_two):
    _, a, b = board_of_two
    payload = {"client_id": new_client_id(), "text": "only once"}
    first = a.emit("create_post", payload, callback=True)
    second = a.emit("create_post", payload, callback=True)
    assert first["ok"] and second["ok"]
    assert first["post"]["id"] == second["post"]["id"]
    assert len(received(b, "post_created")) == 1
    assert db.session.scalar(sa.select(sa.func.count(Post.id))) == 1


def test_sync_replays_everything_after_since(board_of_two):
    _, a, b = board_of_two
    acks = [
        a.emit("create_post", {"client_id": new_client_id(), "text": f"n{n}"}, callback=True)
        for n in range(3)
    ]
    answer = b.emit("sync", {"since": 0}, callback=True)
    assert answer["ok"] is True
    assert answer["seq"] == acks[-1]["post"]["seq"]
    posts = [e["data"]["post"]["id"] for e in answer["events"] if e["type"] == "post_created"]
    assert posts == [ack["post"]["id"] for ack in acks]
    later = b.emit("sync", {"since": acks[0]["post"]["seq"]}, callback=True)
    assert [e["seq"] for e in later["events"]] == [acks[1]["post"]["seq"], acks[2]["post"]["seq"]]
    assert b.emit("sync", {}, callback=True)["seq"] == answer["seq"]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("just a string", "invalid_payload"),
        ([1, 2, 3], "invalid_payload"),
        ({"text": "no id"}, "missing_client_id"),
        ({"client_id": "not-a-uuid", "text": "x"}, "invalid_client_id"),
        ({"client_id": 42, "text": "x"}, "invalid_client_id"),
        ({"client_id": "CID"}, "missing_text"),
        ({"client_id": "CID", "text": 7}, "invalid_text"),
        ({"client_id": "CID", "text": "   "}, "text_required"),
        ({"client_id": "CID", "text": "x" * 2001}, "text_too_long"),
        ({"client_id": "CID", "text": "x", "group_id": "1"}, "invalid_group_id"),
        ({"client_id": "CID", "text": "x", "group_id": True}, "invalid_group_id"),
        ({"client_id": "CID", "text": "x", "group_id": 999999}, "unknown_group"),
        ({"client_id": "CID", "text": "x", "group_id": 2**70}, "invalid_group_id"),
        ({"client_id": "CID", "text": "x", "prompt_id": -3}, "invalid_prompt_id"),
        ({"client_id": "CID", "text": "x", "prompt_id": 999999}, "unknown_prompt"),
    ],
)
def test_bad_input_gets_an_error_ack_and_changes_nothing(board_of_two, payload, code):
    _, a, b = board_of_two
    if isinstance(payload, dict) and payload.get("client_id") == "CID":
        payload = {**payload, "client_id": new_client_id()}
    ack = a.emit("create_post", payload, callback=True)
    assert ack["ok"] is False
    assert ack["error"]["code"] == code and ack["error"]["message"]
    assert received(b, "post_created") == []
    assert db.session.scalar(sa.select(sa.func.count(Post.id))) == 0
    # The connection survives and the next good post goes through.
    assert a.emit("create_post", {"client_id": new_client_id(), "text": "ok"}, callback=True)["ok"]


def test_bad_sync_payloads_are_refused(board_of_two):
    _, a, _ = board_of_two
    assert a.emit("sync", {"since": "zero"}, callback=True)["error"]["code"] == "invalid_since"
    assert a.emit("sync", "since", callback=True)["error"]["code"] == "invalid_payload"
    assert a.emit("sync", {"since": -1}, callback=True)["error"]["code"] == "invalid_since"
    assert a.emit("sync", {"since": 2**70}, callback=True)["error"]["code"] == "invalid_since"


def test_posting_to_a_group_of_the_session(make_session, join, socket_for):
    ws = make_session(kind="co_projecting")
    school = db.session.scalar(
        sa.select(Group).where(Group.session_id == ws.id, Group.name == "Scuola")
    )
    tablet = socket_for(token=join(ws)["token"])
    ack = tablet.emit(
        "create_post",
        {"client_id": new_client_id(), "text": "mediators", "group_id": school.id},
        callback=True,
    )
    assert ack["post"]["group_id"] == school.id


def test_a_closed_session_refuses_posts_but_still_syncs(board_of_two):
    ws, a, _ = board_of_two
    from sessions import services

    services.close_session(ws)
    db.session.commit()
    ack = a.emit("create_post", {"client_id": new_client_id(), "text": "late"}, callback=True)
    assert ack == {
        "ok": False,
        "error": {"code": "session_closed", "message": ack["error"]["message"]},
    }
    assert a.emit("sync", {"since": 0}, callback=True)["ok"]


def test_the_trainer_hides_a_post_and_it_goes_from_every_tablet(
    board_of_two, client, auth, socket_for
):
    ws, a, b = board_of_two
    auth.login()
    console = socket_for(flask_client=client, session_id=ws.id)
    assert console.is_connected()
    post = a.emit(
        "create_post",
        {"client_id": new_client_id(), "text": "my phone number is..."},
        callback=True,
    )["post"]
    console.get_received(), b.get_received()

    ack = console.emit("hide_post", {"post_id": post["id"]}, callback=True)
    assert ack["ok"] and ack["post"]["hidden"] is True
    assert received(b, "post_hidden")[0]["post_id"] == post["id"]
    assert received(a, "post_hidden")[0]["post_id"] == post["id"]
    synced = b.emit("sync", {"since": 0}, callback=True)["events"]
    assert post["id"] not in [e["data"].get("post", {}).get("id") for e in synced]

    assert console.emit("unhide_post", {"post_id": post["id"]}, callback=True)["ok"]
    assert received(b, "post_unhidden")[0]["post"]["id"] == post["id"]


def test_participants_cannot_moderate(board_of_two):
    _, a, b = board_of_two
    post = a.emit("create_post", {"client_id": new_client_id(), "text": "mine"}, callback=True)[
        "post"
    ]
    ack = b.emit("hide_post", {"post_id": post["id"]}, callback=True)
    assert ack["error"]["code"] == "forbidden"
    assert b.emit("hide_post", {"post_id": "x"}, callback=True)["error"]["code"] == "forbidden"


def test_staff_need_a_login_and_an_existing_session(client, auth, socket_for, make_session):
    ws = make_session()
    assert not socket_for(flask_client=client, session_id=ws.id).is_connected()
    auth.login()
    assert not socket_for(flask_client=client, session_id=999999).is_connected()
    assert not socket_for(flask_client=client, session_id=str(ws.id)).is_connected()
    assert socket_for(flask_client=client, session_id=ws.id).is_connected()


def test_unknown_posts_are_refused_to_the_trainer(client, auth, socket_for, make_session):
    ws = make_session()
    auth.login()
    console = socket_for(flask_client=client, session_id=ws.id)
    assert (
        console.emit("hide_post", {"post_id": 424242}, callback=True)["error"]["code"]
        == "unknown_post"
    )
    assert console.emit("hide_post", {}, callback=True)["error"]["code"] == "invalid_post_id"
    huge = console.emit("unhide_post", {"post_id": 2**70}, callback=True)
    assert huge["error"]["code"] == "invalid_post_id"


def test_a_token_only_ever_reaches_its_own_session(make_session, join, socket_for):
    first = make_session(title="First")
    second = make_session(title="Second")
    outsider = socket_for(token=join(first)["token"])
    insider = socket_for(token=join(second)["token"])
    outsider.get_received()
    insider.emit(
        "create_post", {"client_id": new_client_id(), "text": "second only"}, callback=True
    )
    assert received(outsider, "post_created") == []
    events = outsider.emit("sync", {"since": 0}, callback=True)["events"]
    assert all(e["data"].get("post", {}).get("text") != "second only" for e in events)


def test_a_removed_participant_is_cut_off_at_the_next_event(board_of_two):
    _, a, _ = board_of_two
    for attendance in db.session.scalars(sa.select(Attendance)):
        attendance.removed_at = attendance.joined_at
    db.session.commit()
    ack = a.emit(
        "create_post", {"client_id": new_client_id(), "text": "still here?"}, callback=True
    )
    assert ack["error"]["code"] == "unauthorized"
    assert not a.is_connected()


def test_a_post_takes_the_write_lock_once_and_broadcasts_as_a_reader(board_of_two):
    """What the broadcast reads after the commit must not queue for the write lock again
    (on PostgreSQL: the workshop's advisory lock; on SQLite: BEGIN IMMEDIATE)."""
    from ponte import database

    _, a, _b = board_of_two
    begun = []

    def on_begin(_connection):
        begun.append("writer" if database._write_intent.get() is not None else "reader")

    sa.event.listen(db.engine, "begin", on_begin)
    try:
        ack = a.emit("create_post", {"client_id": new_client_id(), "text": "x"}, callback=True)
    finally:
        sa.event.remove(db.engine, "begin", on_begin)
    assert ack["ok"]
    assert begun.count("writer") == 1, begun

    # A broadcast that must read (here: its session is no longer in memory) reads as a
    # reader, although the handler is still marked as a writer.
    event = db.session.scalars(sa.select(SessionEvent)).first()
    db.session.expunge_all()
    db.session.rollback()
    begun.clear()
    with database.writing(workshop_id=1):
        sa.event.listen(db.engine, "begin", on_begin)
        try:
            publish(event)
        finally:
            sa.event.remove(db.engine, "begin", on_begin)
    assert begun == ["reader"], begun
