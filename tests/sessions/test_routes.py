"""The JSON API (join, board) and the trainer's session pages."""

import io

import pytest
import segno
import sqlalchemy as sa

from ponte.extensions import db
from sessions.models import WorkshopSession
from tests.conftest import new_client_id


def join_body(ws, **overrides):
    return {"code": ws.join_code, "name": "Fatou", "role": "migrant", "language": "en", **overrides}


def test_join_returns_a_participant_token(client, make_session):
    ws = make_session()
    response = client.post("/api/join", json=join_body(ws))
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {
        "participant_id",
        "session_id",
        "workshop_id",
        "token",
        "waiting",
        "person_id",
        "person_key",
        "name",
        "role",
        "language",
        "consent",
    }
    assert body["session_id"] == ws.id and len(body["token"]) >= 32


@pytest.mark.parametrize("live", [True, False])
def test_unknown_or_closed_codes_are_404(client, make_session, live):
    ws = make_session(live=live)
    code = "ZZZZZZ" if live else "ABCDEF"
    response = client.post("/api/join", json={**join_body(ws), "code": code})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_code"


def test_a_closed_session_code_stops_working(client, make_session, auth):
    ws = make_session()
    auth.login()
    assert client.post(f"/sessions/{ws.id}/close").status_code == 302
    response = client.post("/api/join", json=join_body(ws))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (None, "invalid_payload"),
        ([], "invalid_payload"),
        ({"name": "x", "role": "migrant", "language": "en"}, "missing_code"),
        ({"code": "ABC", "role": "migrant", "language": "en"}, "missing_name"),
        ({"code": "ABC", "name": 5, "role": "migrant", "language": "en"}, "missing_name"),
    ],
)
def test_a_bad_body_is_400_with_a_json_error(client, body, code):
    if body is None:
        response = client.post("/api/join", data="not json", content_type="application/json")
    else:
        response = client.post("/api/join", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code


@pytest.mark.parametrize(("field", "value"), [("name", ""), ("role", "mayor"), ("language", "??")])
def test_bad_details_are_400(client, make_session, field, value):
    ws = make_session()
    response = client.post("/api/join", json=join_body(ws, **{field: value}))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == f"invalid_{field}"


def test_guessing_codes_is_stopped_but_a_full_room_still_joins(client, make_session):
    ws = make_session()
    for _ in range(12):  # many good joins from one address (one NAT) are never limited
        assert client.post("/api/join", json=join_body(ws)).status_code == 200
    statuses = [
        client.post("/api/join", json=join_body(ws, code="QQQQQQ")).status_code for _ in range(6)
    ]
    assert statuses == [404] * 5 + [429]
    too_many = client.post("/api/join", json=join_body(ws, code="QQQQQQ"))
    assert too_many.status_code == 429
    assert too_many.get_json()["error"]["code"] == "too_many_requests"


def test_the_board_needs_a_token_of_that_session(client, make_session, join):
    ws = make_session()
    other = make_session(title="Other")
    token = join(ws)["token"]
    ok = client.get(f"/api/sessions/{ws.id}/board", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    assert set(ok.get_json()) >= {"session", "groups", "posts", "seq"}
    wrong = client.get(
        f"/api/sessions/{other.id}/board", headers={"Authorization": f"Bearer {token}"}
    )
    assert wrong.status_code == 403 and wrong.get_json()["error"]["code"] == "forbidden"
    forged = client.get(
        f"/api/sessions/{ws.id}/board", headers={"Authorization": "Bearer nope" * 5}
    )
    assert forged.status_code == 401
    assert client.get(f"/api/sessions/{ws.id}/board").status_code == 401


def test_the_board_shows_posts_and_the_latest_seq(client, make_session, join, socket_for):
    ws = make_session(kind="co_projecting")
    token = join(ws)["token"]
    tablet = socket_for(token=token)
    ack = tablet.emit("create_post", {"client_id": new_client_id(), "text": "ciao"}, callback=True)
    board = client.get(
        f"/api/sessions/{ws.id}/board", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert [p["text"] for p in board["posts"]] == ["ciao"]
    assert board["seq"] == ack["post"]["seq"]
    assert [g["name"] for g in board["groups"]] == ["Scuola", "Partecipazione", "Servizi"]
    assert board["session"]["status"] == "live"


def test_staff_read_any_board_and_unknown_ids_are_404(client, auth, make_session):
    ws = make_session()
    auth.login()
    assert client.get(f"/api/sessions/{ws.id}/board").status_code == 200
    missing = client.get("/api/sessions/999999/board")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "unknown_session"
    assert client.get("/sessions/999999").status_code == 404


def test_a_trainer_creates_opens_and_closes_a_session(client, auth, make_workshop):
    client.set_cookie("ponte_lang", "en")  # the page is checked for its English words
    workshop = make_workshop()
    auth.login()
    response = client.post(
        f"/workshops/{workshop.id}",
        data={
            "kind": "listening",
            "title": "Ascolto al centro",
            "date": "2026-12-01",
            "place": "Via Pistoiese",
        },
    )
    assert response.status_code == 302
    ws = db.session.scalar(
        sa.select(WorkshopSession).where(WorkshopSession.title == "Ascolto al centro")
    )
    assert ws.status == "draft" and ws.place == "Via Pistoiese"
    assert b"Open session" in client.get(f"/sessions/{ws.id}").data

    client.post(f"/sessions/{ws.id}/open")
    db.session.refresh(ws)
    page = client.get(f"/sessions/{ws.id}").data.decode()
    assert ws.status == "live" and ws.join_code in page
    assert client.post("/api/join", json=join_body(ws)).status_code == 200

    client.post(f"/sessions/{ws.id}/close")
    db.session.refresh(ws)
    assert ws.status == "closed"
    assert "read-only" in client.get(f"/sessions/{ws.id}").data.decode()


def test_the_qr_code_points_at_the_join_page_with_the_code(client, auth, make_session, app):
    ws = make_session()
    auth.login()
    app.config["PONTE_PUBLIC_URL"] = "http://192.0.2.10:5000"
    response = client.get(f"/sessions/{ws.id}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    expected = io.BytesIO()
    segno.make(f"http://192.0.2.10:5000/join?code={ws.join_code}", error="m").save(
        expected, kind="svg", scale=8, border=2, xmldecl=False
    )
    assert response.data == expected.getvalue()


def test_the_join_page_prefills_the_code(client, make_session):
    ws = make_session()
    page = client.get(f"/join?code={ws.join_code.lower()}").data.decode()
    assert f'value="{ws.join_code}"' in page


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/join").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_behind_a_proxy_each_forwarded_address_has_its_own_limit(make_app):
    app = make_app(PONTE_BEHIND_PROXY=True, PONTE_JOIN_FAILURES_LIMIT="2 per minute")
    client = app.test_client()
    body = {"code": "QQQQQQ", "name": "x", "role": "migrant", "language": "en"}

    def attempt(address):
        return client.post("/api/join", json=body, headers={"X-Forwarded-For": address}).status_code

    assert [attempt("198.51.100.1") for _ in range(3)] == [404, 404, 429]
    assert attempt("198.51.100.2") == 404  # another centre behind the same proxy


def test_failed_joins_from_many_addresses_are_capped_together(make_app):
    app = make_app(
        PONTE_BEHIND_PROXY=True,
        PONTE_JOIN_FAILURES_LIMIT="2 per minute",
        PONTE_JOIN_FAILURES_GLOBAL_LIMIT="5 per minute",
    )
    client = app.test_client()
    body = {"code": "QQQQQQ", "name": "x", "role": "migrant", "language": "en"}
    statuses = [
        client.post(
            "/api/join", json=body, headers={"X-Forwarded-For": f"203.0.113.{n}"}
        ).status_code
        for n in range(8)
    ]
    assert statuses == [404] * 5 + [429] * 3


def test_a_room_behind_one_address_joins_freely(app, client, make_session):
    app.config["PONTE_JOIN_FAILURES_LIMIT"] = "2 per minute"
    ws = make_session()
    statuses = {
        client.post(
            "/api/join",
            json={"code": ws.join_code, "name": f"T{n}", "role": "migrant", "language": "it"},
        ).status_code
        for n in range(100)
    }
    assert statuses == {200}


def test_a_double_tap_on_open_or_close_just_shows_the_state(client, auth, make_session):
    client.set_cookie("ponte_lang", "en")  # the page is checked for its English words
    ws = make_session()
    auth.login()
    again = client.post(f"/sessions/{ws.id}/open", follow_redirects=True)
    assert again.status_code == 200 and "already live" in again.data.decode()
    client.post(f"/sessions/{ws.id}/close")
    twice = client.post(f"/sessions/{ws.id}/close", follow_redirects=True)
    assert twice.status_code == 200 and "Only a live session can be closed" in twice.data.decode()


def test_the_tablet_page_reveals_nothing_without_a_token(client, make_session):
    ws = make_session(title="Incontro riservato")
    page = client.get(f"/sessions/{ws.id}/tablet").data.decode()
    assert "Incontro riservato" not in page
    assert client.get("/sessions/424242/tablet").status_code == 200  # ids are not probed either


def test_the_console_warns_when_the_qr_code_would_point_at_loopback(
    client, auth, make_session, app
):
    from tests.conftest import TRAINER_EMAIL, TRAINER_PASSWORD

    ws = make_session()
    app.config["PONTE_PUBLIC_URL"] = None
    english = {"Accept-Language": "en"}  # the page is checked for its English words

    def console_at(host):
        # Cookies belong to a host: log in at the address the console is opened at.
        login = {"email": TRAINER_EMAIL, "password": TRAINER_PASSWORD}
        client.post("/login", data=login, base_url=host)
        return client.get(f"/sessions/{ws.id}", base_url=host, headers=english).data.decode()

    warned = console_at("http://127.0.0.1:5000")
    assert "Tablets cannot reach this address" in warned
    fine = console_at("http://192.168.1.20:5000")
    assert "Tablets cannot reach this address" not in fine


def test_staff_follow_commitments_up_on_the_process_page(
    client, auth, make_session, join, socket_for
):
    from sessions.models import Commitment

    ws = make_session(kind="face_to_face")
    assessora = socket_for(token=join(ws, "Assessora Rossi", "decision_maker", "it")["token"])
    recorded = assessora.emit(
        "record_commitment",
        {"what": "A help desk in four languages", "who": "URP", "by_when": "2026-07-31"},
        callback=True,
    )
    assert recorded["ok"], recorded
    auth.login()
    page = client.get(f"/workshops/{ws.workshop_id}/commitments").data.decode()
    assert "A help desk in four languages" in page and "2026-07-31" in page
    assessora.get_received()
    response = client.post(
        f"/workshops/{ws.workshop_id}/commitments",
        data={
            "commitment_id": recorded["commitment"]["id"],
            "status": "done",
            "public_update": "Open since June.",
        },
    )
    assert response.status_code == 302
    commitment = db.session.get(Commitment, recorded["commitment"]["id"])
    db.session.refresh(commitment)
    assert (commitment.status, commitment.public_update) == ("done", "Open since June.")
    [event] = [p["args"][0] for p in assessora.get_received() if p["name"] == "commitment_updated"]
    assert event["commitment"]["status"] == "done"
    other = make_session(title="Elsewhere")
    elsewhere = client.post(
        f"/workshops/{other.workshop_id}/commitments",
        data={"commitment_id": commitment.id, "status": "open"},
    )
    assert elsewhere.status_code == 404
