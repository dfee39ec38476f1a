"""Notes in many languages: mediators' translations, machine drafts, writing for someone,
reactions and a participant's language — over Socket.IO against a real database."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from ponte.extensions import db
from sessions.models import Post, PostTranslation, Reaction, SessionEvent
from tests.conftest import new_client_id


def received(sio, name):
    return [packet["args"][0] for packet in sio.get_received() if packet["name"] == name]


@pytest.fixture
def room(make_session, join, socket_for):
    """A live session: Li writes Chinese, Marco reads Italian, Sara mediates."""
    ws = make_session()
    people = {
        "li": join(ws, "Li", "migrant", "zh"),
        "marco": join(ws, "Marco", "decision_maker", "it"),
        "sara": join(ws, "Sara", "mediator", "it"),
    }
    sockets = {name: socket_for(token=person["token"]) for name, person in people.items()}
    for sio in sockets.values():
        sio.get_received()
    return ws, people, sockets


def post(sio, text, **extra):
    ack = sio.emit(
        "create_post", {"client_id": new_client_id(), "text": text, **extra}, callback=True
    )
    assert ack["ok"], ack
    return ack["post"]


def board_for(client, ws, token):
    response = client.get(
        f"/api/sessions/{ws.id}/board", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


# --- translations by a mediator ----------------------------------------------------------


def test_a_mediator_translates_a_chinese_note_and_everyone_gets_it(room, client):
    ws, people, s = room
    note = post(s["li"], "我的孩子需要上学")
    assert note["language"] == "zh" and note["translations"] == []
    for sio in s.values():
        sio.get_received()
    ack = s["sara"].emit(
        "translate_post",
        {"post_id": note["id"], "language": "it", "text": "Mio figlio deve andare a scuola"},
        callback=True,
    )
    assert ack["ok"], ack
    assert ack["translation"]["translator"]["name"] == "Sara"
    assert ack["translation"]["machine"] is False and ack["translation"]["verified"] is True
    (event,) = received(s["marco"], "post_translated")
    assert event["post_id"] == note["id"]
    assert event["translation"]["text"] == "Mio figlio deve andare a scuola"
    assert event["seq"] == ack["seq"]
    # The Italian tablet's board has the translation beside the original.
    board = board_for(client, ws, people["marco"]["token"])
    (shown,) = [p for p in board["posts"] if p["id"] == note["id"]]
    assert shown["text"] == "我的孩子需要上学" and shown["language"] == "zh"
    assert [(t["language"], t["text"]) for t in shown["translations"]] == [
        ("it", "Mio figlio deve andare a scuola")
    ]
    assert board["me"]["language"] == "it" and board["me"]["can_translate"] is False
    assert board_for(client, ws, people["sara"]["token"])["me"]["can_translate"] is True


def test_a_second_translation_in_a_language_replaces_the_first(room):
    ws, _, s = room
    note = post(s["li"], "你好")
    for text in ("Ciao", "Buongiorno"):
        ack = s["sara"].emit(
            "translate_post", {"post_id": note["id"], "language": "it", "text": text}, callback=True
        )
        assert ack["ok"], ack
    rows = db.session.scalars(sa.select(PostTranslation)).all()
    assert [(r.language, r.text) for r in rows] == [("it", "Buongiorno")]


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"language": "de", "text": "Hallo"}, "not_a_process_language"),
        ({"language": "zh", "text": "你好"}, "same_language"),
        ({"language": "it", "text": "   "}, "text_required"),
        ({"language": "it", "text": "x" * 2001}, "text_too_long"),
        ({"language": "<script>", "text": "x"}, "invalid_language"),
        ({"language": "it", "text": 5}, "invalid_text"),
        ({"language": "it"}, "missing_text"),
    ],
)
def test_a_bad_translation_is_refused_and_changes_nothing(room, payload, code):
    ws, _, s = room
    note = post(s["li"], "你好")
    ack = s["sara"].emit("translate_post", {"post_id": note["id"], **payload}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == code, ack
    assert db.session.scalar(sa.select(sa.func.count(PostTranslation.id))) == 0


def test_translations_of_another_sessions_note_are_refused(room, make_session, join, socket_for):
    ws, _, s = room
    other = make_session(title="Elsewhere")
    stranger = socket_for(token=join(other, "Wei", "mediator", "zh")["token"])
    note = post(s["li"], "你好")
    ack = stranger.emit(
        "translate_post", {"post_id": note["id"], "language": "it", "text": "Ciao"}, callback=True
    )
    assert ack["ok"] is False and ack["error"]["code"] == "unknown_post"


def test_in_anonymous_mode_the_translator_is_not_named_to_the_room(room, client, trainer, auth):
    ws, people, s = room
    ws.anonymous = True
    db.session.commit()
    note = post(s["li"], "你好")
    s["sara"].emit(
        "translate_post", {"post_id": note["id"], "language": "it", "text": "Ciao"}, callback=True
    )
    (event,) = received(s["marco"], "post_translated")
    assert event["translation"]["translator"]["name"] is None
    assert event["translation"]["translator"]["role"] == "mediator"


# --- machine drafts from a LibreTranslate server -----------------------------------------


class FakeLibreTranslate:
    """A small local HTTP server that speaks LibreTranslate's POST /translate."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"path": self.path, **body})
                if outer.status == 200:
                    answer = {"translatedText": f"[{body['source']}->{body['target']}] {body['q']}"}
                else:
                    answer = {"error": "Invalid request"}
                data = json.dumps(answer).encode()
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def libretranslate(app):
    fake = FakeLibreTranslate()
    app.config["PONTE_LIBRETRANSLATE_URL"] = fake.url
    app.config["PONTE_LIBRETRANSLATE_KEY"] = "k3y"
    yield fake
    fake.close()


def test_machine_translation_is_off_by_default(room):
    ws, _, s = room
    note = post(s["li"], "你好")
    ack = s["sara"].emit(
        "machine_translate", {"post_id": note["id"], "language": "it"}, callback=True
    )
    assert ack["ok"] is False and ack["error"]["code"] == "machine_translation_off"


def test_a_machine_draft_is_marked_until_a_mediator_confirms_it(room, libretranslate, client):
    ws, people, s = room
    note = post(s["li"], "我需要帮助")
    for sio in s.values():
        sio.get_received()
    ack = s["sara"].emit(
        "machine_translate", {"post_id": note["id"], "language": "it"}, callback=True
    )
    assert ack["ok"], ack
    assert libretranslate.requests == [
        {
            "path": "/translate",
            "q": "我需要帮助",
            "source": "zh",
            "target": "it",
            "format": "text",
            "api_key": "k3y",
        }
    ]
    draft = ack["translation"]
    assert draft == {**draft, "text": "[zh->it] 我需要帮助", "machine": True, "verified": False}
    assert draft["translator"]["name"] == "LibreTranslate"
    (event,) = received(s["marco"], "post_translated")
    assert event["translation"]["verified"] is False
    assert board_for(client, ws, people["marco"]["token"])["machine_translation"] is True
    # The mediator corrects and confirms it: still from a machine, now checked, signed by her.
    ack = s["sara"].emit(
        "confirm_translation",
        {"post_id": note["id"], "language": "it", "text": "Ho bisogno di aiuto"},
        callback=True,
    )
    assert ack["ok"], ack
    assert ack["translation"]["verified"] is True and ack["translation"]["machine"] is True
    assert ack["translation"]["translator"]["name"] == "Sara"
    assert ack["translation"]["text"] == "Ho bisogno di aiuto"
    # A checked translation is not overwritten by a new machine draft.
    again = s["sara"].emit(
        "machine_translate", {"post_id": note["id"], "language": "it"}, callback=True
    )
    assert again["ok"] is False and again["error"]["code"] == "already_translated"
    assert len(libretranslate.requests) == 1


@pytest.mark.parametrize("status", [400, 500])
def test_a_failing_provider_gives_a_clear_error_and_stores_nothing(room, libretranslate, status):
    ws, _, s = room
    libretranslate.status = status
    note = post(s["li"], "你好")
    ack = s["sara"].emit(
        "machine_translate", {"post_id": note["id"], "language": "it"}, callback=True
    )
    assert ack["ok"] is False and ack["error"]["code"] == "translation_failed"
    assert db.session.scalar(sa.select(sa.func.count(PostTranslation.id))) == 0


def test_an_unreachable_provider_gives_a_clear_error(room, app):
    ws, _, s = room
    app.config["PONTE_LIBRETRANSLATE_URL"] = "http://127.0.0.1:9"  # discard port: refused
    note = post(s["li"], "你好")
    ack = s["sara"].emit(
        "machine_translate", {"post_id": note["id"], "language": "it"}, callback=True
    )
    assert ack["ok"] is False and ack["error"]["code"] == "translation_failed"


def test_confirming_nothing_is_refused(room):
    ws, _, s = room
    note = post(s["li"], "你好")
    ack = s["sara"].emit(
        "confirm_translation", {"post_id": note["id"], "language": "it"}, callback=True
    )
    assert ack["ok"] is False and ack["error"]["code"] == "unknown_translation"


# --- writing for someone -----------------------------------------------------------------


def test_a_mediator_writes_for_a_participant_and_the_log_says_so(room, client):
    ws, people, s = room
    note = post(
        s["sara"],
        "Ho paura di perdere il permesso",
        said_by=people["li"]["participant_id"],
        language="it",
    )
    assert note["author"]["name"] == "Li" and note["author"]["role"] == "migrant"
    assert note["author"]["participant_id"] == people["li"]["participant_id"]
    assert note["scribe"]["name"] == "Sara" and note["scribe"]["role"] == "mediator"
    assert note["language"] == "it"
    (event,) = received(s["marco"], "post_created")
    assert event["post"]["scribe"]["name"] == "Sara"
    stored = db.session.get(Post, note["id"])
    assert stored.participant_id == people["li"]["participant_id"]  # counted for Li
    assert stored.scribe_participant_id == people["sara"]["participant_id"]
    logged = db.session.scalar(
        sa.select(SessionEvent).where(
            SessionEvent.seq == stored.seq, SessionEvent.session_id == ws.id
        )
    )
    assert logged.data["post"]["scribe"]["participant_id"] == people["sara"]["participant_id"]
    # The note is the mediator's to correct; resending the same client_id gives it back.
    ack = s["sara"].emit("edit_post", {"post_id": note["id"], "text": "Corretto"}, callback=True)
    assert ack["ok"], ack
    assert note["id"] in board_for(client, ws, people["sara"]["token"])["mine"]


def test_said_by_defaults_to_the_persons_language(room):
    ws, people, s = room
    note = post(s["sara"], "我想工作", said_by=people["li"]["participant_id"])
    assert note["language"] == "zh"


def test_only_mediators_and_staff_write_for_someone(room):
    ws, people, s = room
    ack = s["marco"].emit(
        "create_post",
        {"client_id": new_client_id(), "text": "x", "said_by": people["li"]["participant_id"]},
        callback=True,
    )
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    # Writing "for" oneself is just posting.
    own = post(s["marco"], "Mi impegno", said_by=people["marco"]["participant_id"])
    assert own["scribe"] is None


@pytest.mark.parametrize("said_by", [999999, "3", -1, True])
def test_writing_for_nobody_in_the_room_is_refused(room, said_by):
    ws, _, s = room
    ack = s["sara"].emit(
        "create_post",
        {"client_id": new_client_id(), "text": "x", "said_by": said_by},
        callback=True,
    )
    assert ack["ok"] is False
    assert ack["error"]["code"] in ("unknown_participant", "invalid_said_by")
    assert db.session.scalar(sa.select(sa.func.count(Post.id))) == 0


def test_a_mediator_cannot_write_for_someone_in_another_session(room, make_session, join):
    ws, _, s = room
    other = make_session(title="Elsewhere")
    stranger = join(other, "Wei", "migrant", "zh")
    ack = s["sara"].emit(
        "create_post",
        {"client_id": new_client_id(), "text": "x", "said_by": stranger["participant_id"]},
        callback=True,
    )
    assert ack["ok"] is False and ack["error"]["code"] == "unknown_participant"


def test_mediators_see_who_is_in_the_room_others_do_not(room, client):
    ws, people, s = room
    names = {
        p["name"]
        for p in board_for(client, ws, people["sara"]["token"])["participants_for_mediator"]
    }
    assert names == {"Li", "Marco", "Sara"}
    assert board_for(client, ws, people["li"]["token"])["participants_for_mediator"] == []


# --- reactions ---------------------------------------------------------------------------


def test_reactions_are_counted_and_broadcast_without_who(room, client):
    ws, people, s = room
    note = post(s["li"], "你好")
    for sio in s.values():
        sio.get_received()
    ack = s["marco"].emit(
        "react", {"post_id": note["id"], "kind": "agree", "on": True}, callback=True
    )
    assert ack["ok"], ack
    assert ack["reactions"] == {"agree": 1, "disagree": 0, "unclear": 0, "important": 0}
    assert ack["mine"] == ["agree"]
    (event,) = received(s["li"], "reactions_changed")
    assert event == {"post_id": note["id"], "reactions": ack["reactions"], "seq": ack["seq"]}
    # Twice is once; no new event.
    again = s["marco"].emit(
        "react", {"post_id": note["id"], "kind": "agree", "on": True}, callback=True
    )
    assert again["ok"] and "seq" not in again and again["reactions"]["agree"] == 1
    s["sara"].emit("react", {"post_id": note["id"], "kind": "unclear", "on": True}, callback=True)
    board = board_for(client, ws, people["marco"]["token"])
    (shown,) = [p for p in board["posts"] if p["id"] == note["id"]]
    assert shown["reactions"] == {"agree": 1, "disagree": 0, "unclear": 1, "important": 0}
    assert board["my_reactions"] == {str(note["id"]): ["agree"]}
    off = s["marco"].emit(
        "react", {"post_id": note["id"], "kind": "agree", "on": False}, callback=True
    )
    assert off["ok"] and off["reactions"]["agree"] == 0 and off["mine"] == []
    assert db.session.scalar(sa.select(sa.func.count(Reaction.id))) == 1


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"kind": "love", "on": True}, "invalid_kind"),
        ({"kind": "agree", "on": "yes"}, "invalid_on"),
        ({"kind": "agree"}, "invalid_on"),
        ({"post_id": 424242, "kind": "agree", "on": True}, "unknown_post"),
    ],
)
def test_a_bad_reaction_is_refused(room, payload, code):
    ws, _, s = room
    note = post(s["li"], "你好")
    ack = s["marco"].emit("react", {"post_id": note["id"], **payload}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == code, ack


# --- a participant's language ------------------------------------------------------------


def test_a_participant_switches_language_and_writes_in_it(room, client):
    ws, people, s = room
    ack = s["li"].emit("set_language", {"language": "it"}, callback=True)
    assert ack == {"ok": True, "language": "it"}
    assert post(s["li"], "Ciao a tutti")["language"] == "it"
    assert board_for(client, ws, people["li"]["token"])["me"]["language"] == "it"
    bad = s["li"].emit("set_language", {"language": "../../etc"}, callback=True)
    assert bad["ok"] is False and bad["error"]["code"] == "invalid_language"


def test_a_post_may_say_its_own_language(room):
    ws, _, s = room
    assert post(s["li"], "Hello", language="en")["language"] == "en"
    ack = s["li"].emit(
        "create_post", {"client_id": new_client_id(), "text": "x", "language": 7}, callback=True
    )
    assert ack["ok"] is False and ack["error"]["code"] == "invalid_language"
