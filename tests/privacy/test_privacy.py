"""Consent, data copies, erasure, removal, retention and the audit log, against a real
database, real files and Socket.IO test clients."""

import io
import json

import pytest
import sqlalchemy as sa
from PIL import Image

from ponte.extensions import db
from privacy import services as privacy
from publications import context
from publications.media import store_photo
from publications.render import media_folder
from sessions import services as session_services
from sessions.models import Post, PostTranslation, SessionEvent, WorkshopSession
from sessions.voice import file_of
from tests.conftest import new_client_id
from workshops import services as workshop_services
from workshops.audit import AuditEntry
from workshops.models import Participant, Person

WEBM = b"\x1a\x45\xdf\xa3" + b"\x42\x86\x81\x01" * 200


def received(sio, name):
    return [packet["args"][0] for packet in sio.get_received() if packet["name"] == name]


@pytest.fixture
def room(make_session, join, socket_for, client, auth):
    """A live session where Amina wrote a note, sent a voice note and was photographed;
    Sara (mediator) translated Amina's note; the trainer is logged in on ``client``."""
    ws = make_session()
    amina = join(ws, "Amina Haddad", "migrant", "ar")
    sara = join(ws, "Sara", "mediator", "it")
    marco = join(ws, "Marco", "migrant", "it")
    a, s, m = (socket_for(token=p["token"]) for p in (amina, sara, marco))
    note = a.emit(
        "create_post", {"client_id": new_client_id(), "text": "أريد عملا"}, callback=True
    )["post"]
    s.emit("translate_post", {"post_id": note["id"], "language": "it", "text": "Voglio lavorare"},
           callback=True)  # fmt: skip
    for_her = s.emit(
        "create_post",
        {
            "client_id": new_client_id(),
            "text": "Ha detto: grazie",
            "said_by": amina["participant_id"],
        },
        callback=True,
    )["post"]
    voice = client.post(
        f"/api/sessions/{ws.id}/voice",
        data={"client_id": new_client_id(), "seconds": "2", "audio": (io.BytesIO(WEBM), "v.webm")},
        headers={"Authorization": f"Bearer {amina['token']}"},
        content_type="multipart/form-data",
    ).get_json()["post"]
    s.emit("transcribe_post", {"post_id": voice["id"], "text": "صوتي"}, callback=True)
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(photo, "PNG")
    from workshops.models import Workshop

    workshop = db.session.get(Workshop, ws.workshop_id)
    media = store_photo(workshop, photo.getvalue(), "Amina at the board", "named", None, ws.id)
    media.person_ids = [amina["person_id"]]
    db.session.commit()
    auth.login()
    for sio in (a, s, m):
        sio.get_received()
    return {
        "ws": ws,
        "workshop": workshop,
        "amina": amina,
        "sara": sara,
        "marco": marco,
        "sockets": {"amina": a, "sara": s, "marco": m},
        "note": note,
        "for_her": for_her,
        "voice": voice,
        "photo": media,
    }


def erase(client, r, notes):
    return client.post(
        f"/workshops/{r['workshop'].id}/people/{r['amina']['person_id']}/erase",
        data={"notes": notes, "confirm": "erase"},
    )


def everything_stored_about(ws_id) -> str:
    """Every text Ponte keeps for a session: rows and the event log, as one string."""
    rows = [
        json.dumps(e.data, ensure_ascii=False) for e in db.session.scalars(sa.select(SessionEvent))
    ]
    rows += [
        f"{p.author_name} {p.scribe_name} {p.text}" for p in db.session.scalars(sa.select(Post))
    ]
    rows += [
        f"{t.translator_name} {t.text}" for t in db.session.scalars(sa.select(PostTranslation))
    ]
    rows += [p.display_name for p in db.session.scalars(sa.select(Participant))]
    rows += [p.display_name for p in db.session.scalars(sa.select(Person))]
    return "\n".join(rows)


def test_the_people_page_lists_everyone_with_what_is_kept(client, room):
    page = client.get(f"/workshops/{room['workshop'].id}/people")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Amina Haddad" in html and "Sara" in html
    (amina,) = [p for p in privacy.roster(room["workshop"]) if p["name"] == "Amina Haddad"]
    assert (amina["notes"], amina["voice_notes"], amina["photos"], amina["sessions"]) == (
        2,
        1,
        1,
        1,
    )


def test_consent_changes_are_audited_and_publications_follow(client, room):
    amina = db.session.get(Person, room["amina"]["person_id"])
    amina.quote_consent = "named"
    db.session.commit()
    assert any(
        q["who"] == "Amina Haddad"
        for q in context.booklet_context(room["workshop"].id, ["it"])["quotes"]
    )
    response = client.post(
        f"/workshops/{room['workshop'].id}/people/{amina.id}/consent", data={"consent": "never"}
    )
    assert response.status_code == 302
    assert not any(
        q["text"] == "أريد عملا"
        for q in context.booklet_context(room["workshop"].id, ["it"])["quotes"]
    )
    (entry,) = db.session.scalars(sa.select(AuditEntry)).all()
    assert (entry.action, entry.person_id, entry.details) == (
        "consent_changed",
        amina.id,
        {"before": "named", "after": "never"},
    )
    assert entry.actor == "Tina Trainer"
    bad = client.post(
        f"/workshops/{room['workshop'].id}/people/{amina.id}/consent", data={"consent": "always"}
    )
    assert bad.status_code == 400


def test_a_data_copy_has_everything_about_them_and_is_audited(client, room):
    response = client.get(
        f"/workshops/{room['workshop'].id}/people/{room['amina']['person_id']}/data.json"
    )
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    copy = response.get_json()
    assert copy["person"]["name"] == "Amina Haddad"
    texts = {n["text"] for n in copy["notes"]}
    assert {"أريد عملا", "Ha detto: grazie", "صوتي"} <= texts
    assert any(n["translations"] == {"it": "Voglio lavorare"} for n in copy["notes"])
    assert copy["photos"] == [{"id": room["photo"].id, "caption": "Amina at the board"}]
    assert copy["sessions"][0]["title"] == room["ws"].title
    assert db.session.scalar(sa.select(AuditEntry.action)) == "data_copy"


def test_erasing_keeps_notes_anonymous_and_removes_the_person_everywhere(client, room, app):
    voice_file = file_of(db.session.get(Post, room["voice"]["id"]).audio_path)
    photo_file = media_folder() / room["photo"].filename
    assert voice_file.exists() and photo_file.exists()
    response = erase(client, room, "anonymize")
    assert response.status_code == 302
    stored = everything_stored_about(room["ws"].id)
    assert "Amina Haddad" not in stored
    assert "أريد عملا" in stored  # the words stay, nobody's
    assert not voice_file.exists() and not photo_file.exists()
    note = db.session.get(Post, room["note"]["id"])
    assert note.author_name == privacy.ERASED_NAME and note.quote_consent == "never"
    voice = db.session.get(Post, room["voice"]["id"])
    assert voice.kind == "text" and voice.audio_path is None and voice.text == "صوتي"
    # Her tablet lost access at once: its socket was closed (after an access_ended notice).
    assert not room["sockets"]["amina"].is_connected()
    # Other screens redraw her kept notes without her name.
    edited = received(room["sockets"]["marco"], "post_edited")
    assert {e["post"]["id"] for e in edited} == {
        room["note"]["id"],
        room["for_her"]["id"],
        room["voice"]["id"],
    }
    assert {e["post"]["author"]["name"] for e in edited} == {privacy.ERASED_NAME}
    board = client.get(
        f"/api/sessions/{room['ws'].id}/board",
        headers={"Authorization": f"Bearer {room['amina']['token']}"},
    )
    assert board.status_code == 401
    # Other screens and later publications never show her.
    marco = client.get(
        f"/api/sessions/{room['ws'].id}/board",
        headers={"Authorization": f"Bearer {room['marco']['token']}"},
    ).get_json()
    assert "Amina Haddad" not in json.dumps(marco, ensure_ascii=False)
    report = json.dumps(
        context.report_context(room["workshop"].id), ensure_ascii=False, default=str
    )
    booklet = json.dumps(context.booklet_context(room["workshop"].id, ["it"]), ensure_ascii=False)
    assert "Amina Haddad" not in report + booklet and "Amina at the board" not in booklet
    (entry,) = db.session.scalars(sa.select(AuditEntry)).all()
    assert entry.action == "participant_erased" and entry.details["voice_notes_deleted"] == 1
    assert entry.details["photos_deleted"] == 1 and entry.details["notes_kept"] == 3


def test_erasing_can_delete_the_notes_and_live_screens_drop_them(client, room):
    response = erase(client, room, "delete")
    assert response.status_code == 302
    ids = {room["note"]["id"], room["for_her"]["id"], room["voice"]["id"]}
    assert db.session.scalars(sa.select(Post.id).where(Post.id.in_(ids))).all() == []
    stored = everything_stored_about(room["ws"].id)
    assert "أريد عملا" not in stored and "Voglio lavorare" not in stored
    assert "Amina Haddad" not in stored
    seen = room["sockets"]["marco"].get_received()
    erased = {p["args"][0]["post_id"] for p in seen if p["name"] == "post_erased"}
    assert erased == ids
    removed = [p["args"][0] for p in seen if p["name"] == "participant_removed"]
    assert removed == [
        {
            "participant_id": room["amina"]["participant_id"],
            "role": "migrant",
            "waiting": False,
            "seq": removed[0]["seq"],
        }
    ]
    # A screen replaying the log from the start never sees her words either.
    sync = room["sockets"]["marco"].emit("sync", {"since": 0}, callback=True)
    assert "أريد عملا" not in json.dumps(sync, ensure_ascii=False)


def test_erasing_needs_a_confirmation_and_the_process_trainer(client, room, make_workshop):
    pid = room["amina"]["person_id"]
    unconfirmed = client.post(
        f"/workshops/{room['workshop'].id}/people/{pid}/erase", data={"notes": "delete"}
    )
    assert unconfirmed.status_code == 302
    assert db.session.get(Person, pid).erased_at is None
    other = make_workshop(title="Another process")
    assert (
        client.post(
            f"/workshops/{other.id}/people/{pid}/erase",
            data={"notes": "delete", "confirm": "erase"},
        ).status_code
        == 404
    )
    client.post("/logout")
    workshop_services.create_account("other@test.example", "Other", "a long password")
    db.session.commit()
    client.post("/login", data={"email": "other@test.example", "password": "a long password"})
    for url in (
        f"/workshops/{room['workshop'].id}/people",
        f"/workshops/{room['workshop'].id}/people/{pid}/data.json",
    ):
        assert client.get(url).status_code == 404  # not on its team: the process is not theirs
    assert erase(client, room, "delete").status_code == 404
    assert db.session.get(Person, pid).erased_at is None


def test_the_trainer_removes_someone_and_their_tablet_is_cut_off(room, socket_for, client):
    trainer = socket_for(flask_client=client, session_id=room["ws"].id)
    pid = room["marco"]["participant_id"]
    ack = trainer.emit("remove_participant", {"participant_id": pid}, callback=True)
    assert ack["ok"], ack
    assert not room["sockets"]["marco"].is_connected()
    assert not socket_for(token=room["marco"]["token"]).is_connected()
    assert received(room["sockets"]["sara"], "participant_removed") == [
        {"participant_id": pid, "role": "migrant", "waiting": False, "seq": ack["seq"]}
    ]
    assert db.session.scalar(sa.select(AuditEntry.action)) == "participant_removed"
    again = trainer.emit("remove_participant", {"participant_id": pid}, callback=True)
    assert again["ok"] and "seq" not in again
    unknown = trainer.emit("remove_participant", {"participant_id": 99999}, callback=True)
    assert unknown["error"]["code"] == "unknown_participant"


def test_purge_expired_dry_run_then_erase(runner, room, app):
    ws = db.session.get(WorkshopSession, room["ws"].id)
    session_services.close_session(ws)
    db.session.commit()
    closed = ws.closed_at.date()
    early = runner.invoke(args=["purge-expired", "--today", closed.isoformat()])
    assert "Nothing to purge" in early.output
    later = closed.replace(year=closed.year + 3).isoformat()
    dry = runner.invoke(args=["purge-expired", "--dry-run", "--today", later])
    assert dry.exit_code == 0 and "would erase 3 people" in dry.output
    db.session.expire_all()
    assert db.session.get(Person, room["amina"]["person_id"]).erased_at is None
    done = runner.invoke(args=["purge-expired", "--today", later])
    assert done.exit_code == 0 and "erased 3 people" in done.output
    db.session.expire_all()
    people = [*db.session.scalars(sa.select(Participant)), *db.session.scalars(sa.select(Person))]
    assert all(p.erased_at is not None and p.display_name == privacy.ERASED_NAME for p in people)
    assert "أريد عملا" in everything_stored_about(ws.id)  # notes stay, anonymous
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert actions.count("participant_erased") == 3 and "expired_purged" in actions
    assert "Nothing to purge" in runner.invoke(args=["purge-expired", "--today", later]).output


def test_a_live_session_is_never_purged(runner, room):
    assert (
        "Nothing to purge" in runner.invoke(args=["purge-expired", "--today", "2099-01-01"]).output
    )


def test_the_retention_period_is_set_per_process_and_audited(client, room):
    client.set_cookie("ponte_lang", "en")  # the page is checked for its English words
    url = f"/workshops/{room['workshop'].id}/retention"
    assert client.post(url, data={"months": "6"}).status_code == 302
    assert db.session.get(type(room["workshop"]), room["workshop"].id).retention_months == 6
    assert client.post(url, data={"months": "0"}).status_code == 400
    assert client.post(url, data={"months": "lots"}).status_code == 400
    audit = client.get(f"/workshops/{room['workshop'].id}/audit").get_data(as_text=True)
    assert "changed how long personal data is kept" in audit


def test_staff_say_who_is_in_a_photo_and_can_delete_it(client, room, app):
    png = io.BytesIO()
    Image.new("RGB", (30, 20), "blue").save(png, "PNG")
    png.seek(0)
    workshop_id = room["workshop"].id
    pid = room["marco"]["person_id"]
    uploaded = client.post(
        f"/workshops/{workshop_id}/photos",
        data={
            "photo": (png, "p.png"),
            "caption": "Marco",
            "consent": "named",
            "people": [str(pid), "999999", "x"],
        },
        content_type="multipart/form-data",
    )
    from publications.models import Media

    assert uploaded.status_code == 302, uploaded.get_data(as_text=True)[:500]
    photo = db.session.scalar(sa.select(Media).where(Media.caption == "Marco"))
    assert photo.person_ids == [pid]
    page = client.get(f"/workshops/{workshop_id}/publications").get_data(as_text=True)
    assert "Marco" in page
    deleted = client.post(f"/workshops/{workshop_id}/photos/{photo.filename}/delete")
    assert deleted.status_code == 302
    assert db.session.scalar(sa.select(Media).where(Media.caption == "Marco")) is None
    assert not (media_folder() / photo.filename).exists()
    assert "photo_deleted" in db.session.scalars(sa.select(AuditEntry.action)).all()
    assert client.post(f"/workshops/{workshop_id}/photos/nothing.jpg/delete").status_code == 404
