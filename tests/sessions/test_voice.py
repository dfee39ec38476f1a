"""Voice notes over HTTP: checked by content, bounded, idempotent, served only when signed."""

import io
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from ponte.extensions import db
from sessions.models import Post
from sessions.voice import MAX_VOICE_BYTES
from tests.conftest import new_client_id

WEBM = b"\x1a\x45\xdf\xa3" + b"\x9f\x42\x86\x81\x01" + os.urandom(3000)
OGG = b"OggS\x00\x02" + os.urandom(2000)
MP4 = b"\x00\x00\x00\x18ftypmp42" + os.urandom(2000)
WAV = b"RIFF\x24\x08\x00\x00WAVEfmt " + os.urandom(2000)


def send(client, ws, token, audio=WEBM, client_id=None, seconds="3.4", **form):
    data = {"client_id": client_id or new_client_id(), "seconds": seconds, **form}
    if audio is not None:
        data["audio"] = (io.BytesIO(audio), "note.webm", "audio/webm")
    return client.post(
        f"/api/sessions/{ws.id}/voice",
        data=data,
        headers={"Authorization": f"Bearer {token}"},
        content_type="multipart/form-data",
    )


@pytest.fixture
def li(make_session, join):
    ws = make_session()
    return ws, join(ws, "Li", "migrant", "zh")


def voice_files(app) -> list[Path]:
    return sorted((Path(app.config["PONTE_FILES_DIR"]) / "voice").glob("*"))


@pytest.mark.parametrize(
    "audio, mime",
    [(WEBM, "audio/webm"), (OGG, "audio/ogg"), (MP4, "audio/mp4"), (WAV, "audio/wav")],
)
def test_a_voice_note_is_kept_and_plays_from_its_signed_url(
    app, client, li, socket_for, audio, mime
):
    ws, person = li
    other = socket_for(token=person["token"])
    other.get_received()
    response = send(client, ws, person["token"], audio=audio)
    assert response.status_code == 200, response.get_json()
    note = response.get_json()["post"]
    assert note["kind"] == "voice" and note["text"] == "" and note["language"] == "zh"
    assert note["audio"]["seconds"] == 3.4 and note["audio"]["mime"] == mime
    played = client.get(note["audio"]["url"])
    assert played.status_code == 200 and played.data == audio
    assert played.mimetype == mime
    assert "no-store" in played.headers["Cache-Control"]
    # The room got it, with a url that plays.
    (event,) = [p["args"][0] for p in other.get_received() if p["name"] == "post_created"]
    assert client.get(event["post"]["audio"]["url"]).data == audio


def test_the_recording_supports_range_requests(client, li):
    ws, person = li
    url = send(client, ws, person["token"]).get_json()["post"]["audio"]["url"]
    part = client.get(url, headers={"Range": "bytes=0-3"})
    assert part.status_code == 206 and part.data == WEBM[:4]


def test_a_wrong_or_missing_signature_gets_404(client, li):
    ws, person = li
    note = send(client, ws, person["token"]).get_json()["post"]
    assert client.get(f"/media/voice/{note['id']}").status_code == 404
    assert client.get(f"/media/voice/{note['id']}?sig=" + "0" * 32).status_code == 404
    assert client.get(f"/media/voice/{note['id'] + 1}?sig=" + "0" * 32).status_code == 404


def test_resending_the_same_client_id_keeps_one_note_and_one_file(app, client, li):
    ws, person = li
    client_id = new_client_id()
    first = send(client, ws, person["token"], client_id=client_id).get_json()["post"]
    second = send(client, ws, person["token"], client_id=client_id).get_json()["post"]
    assert first["id"] == second["id"]
    assert db.session.scalar(sa.select(sa.func.count(Post.id))) == 1
    assert len(voice_files(app)) == 1


@pytest.mark.parametrize(
    "audio, form, status, code",
    [
        (b"<svg onload=alert(1)>" + b" " * 100, {}, 415, "unsupported_audio"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, {}, 415, "unsupported_audio"),
        (b"", {}, 400, "audio_required"),
        (None, {}, 400, "audio_required"),
        (WEBM, {"seconds": "0"}, 400, "invalid_seconds"),
        (WEBM, {"seconds": "600"}, 400, "invalid_seconds"),
        (WEBM, {"seconds": "nan"}, 400, "invalid_seconds"),
        (WEBM, {"client_id": "not-a-uuid"}, 400, "invalid_client_id"),
        (WEBM, {"said_by": "999999"}, 403, "forbidden"),
        (b"\x1a\x45\xdf\xa3" + b"\0" * MAX_VOICE_BYTES, {}, 413, "audio_too_large"),
    ],
)
def test_bad_recordings_are_refused_and_leave_nothing(app, client, li, audio, form, status, code):
    ws, person = li
    response = send(client, ws, person["token"], audio=audio, **form)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["code"] == code
    assert db.session.scalar(sa.select(sa.func.count(Post.id))) == 0
    assert voice_files(app) == []


def test_a_request_far_over_the_limit_is_cut_off(client, li):
    ws, person = li
    response = send(client, ws, person["token"], audio=WEBM + b"\0" * (3 * 1024 * 1024))
    assert response.status_code == 413


def test_tokens_open_their_own_session_only(client, li, make_session, join):
    ws, person = li
    other = make_session(title="Elsewhere")
    response = send(client, other, person["token"])
    assert response.status_code == 403
    assert send(client, ws, "forged-token-forged-token-forged").status_code == 401
    response = client.post(f"/api/sessions/{ws.id}/voice", data={"client_id": new_client_id()})
    assert response.status_code == 401


def test_a_mediator_sends_a_voice_note_for_someone(client, li, join):
    ws, person = li
    sara = join(ws, "Sara", "mediator", "it")
    response = send(client, ws, sara["token"], said_by=str(person["participant_id"]))
    note = response.get_json()["post"]
    assert note["author"]["name"] == "Li" and note["scribe"]["name"] == "Sara"
    assert note["language"] == "zh"


def test_a_hidden_voice_note_plays_for_staff_only(app, client, li, trainer, auth):
    ws, person = li
    note = send(client, ws, person["token"]).get_json()["post"]
    db.session.get(Post, note["id"]).hidden = True
    db.session.commit()
    assert client.get(note["audio"]["url"]).status_code == 404
    auth.login()
    assert client.get(note["audio"]["url"]).status_code == 200


def test_a_mediator_transcribes_a_voice_note(client, li, join, socket_for):
    ws, person = li
    note = send(client, ws, person["token"]).get_json()["post"]
    sara = socket_for(token=join(ws, "Sara", "mediator", "it")["token"])
    li_socket = socket_for(token=person["token"])
    li_socket.get_received()
    ack = sara.emit(
        "transcribe_post", {"post_id": note["id"], "text": "我想学意大利语"}, callback=True
    )
    assert ack["ok"], ack
    assert ack["post"]["text"] == "我想学意大利语"
    assert ack["post"]["transcriber"] == {"name": "Sara", "role": "mediator"}
    (event,) = [p["args"][0] for p in li_socket.get_received() if p["name"] == "post_edited"]
    assert event["post"]["audio"]["url"].startswith(f"/media/voice/{note['id']}?sig=")
    # A migrant does not transcribe; text notes are not transcribed.
    refused = li_socket.emit("transcribe_post", {"post_id": note["id"], "text": "x"}, callback=True)
    assert refused["error"]["code"] == "forbidden"
    text = li_socket.emit(
        "create_post", {"client_id": new_client_id(), "text": "ciao"}, callback=True
    )["post"]
    wrong = sara.emit("transcribe_post", {"post_id": text["id"], "text": "x"}, callback=True)
    assert wrong["error"]["code"] == "not_a_voice_note"


def test_a_voice_note_in_a_closed_session_is_refused(client, li):
    from sessions import services

    ws, person = li
    services.close_session(ws)
    db.session.commit()
    response = send(client, ws, person["token"])
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "session_closed"


def test_a_voice_note_goes_where_the_tablet_says(client, li, app):
    from sessions.models import Prompt

    ws, person = li
    prompt = db.session.scalar(sa.select(Prompt).where(Prompt.session_id == ws.id))
    note = send(client, ws, person["token"], prompt_id=str(prompt.id)).get_json()["post"]
    assert note["prompt_id"] == prompt.id
    bad = send(client, ws, person["token"], prompt_id="x1")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_prompt_id"
    other = send(client, ws, person["token"], prompt_id="999999")
    assert other.status_code == 404


def test_a_voice_note_counts_as_a_note_in_themes_votes_and_the_report(
    client, make_session, join, socket_for, auth
):
    from publications import context
    from sessions.models import WorkshopSession

    ws = make_session(kind="co_projecting")
    person = join(ws, "Li", "migrant", "zh")
    note = send(client, ws, person["token"]).get_json()["post"]
    auth.login()
    trainer = socket_for(flask_client=client, session_id=ws.id)
    theme = trainer.emit("create_cluster", {"name": "Work"}, callback=True)
    assert theme["ok"], theme
    from sessions.models import Cluster

    cluster_id = db.session.scalar(sa.select(Cluster.id).where(Cluster.session_id == ws.id))
    moved = trainer.emit(
        "move_post", {"post_id": note["id"], "cluster_id": cluster_id}, callback=True
    )
    assert moved["ok"], moved
    assert trainer.emit("advance_phase", {"phase": "vote"}, callback=True)["ok"]
    tablet = socket_for(token=person["token"])
    vote = tablet.emit("cast_vote", {"post_id": note["id"]}, callback=True)
    assert vote["ok"], vote
    db.session.expire_all()
    report = context.report_context(db.session.get(WorkshopSession, ws.id).workshop_id)
    (chapter,) = report["sessions"]
    (theme_notes,) = [c for c in chapter["clusters"] if c["title"] == "Work"]
    assert theme_notes["notes"][0]["voice_seconds"] == 3.4
