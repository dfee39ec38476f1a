"""Fuzz every Socket.IO event and every JSON route with malformed input (hypothesis).

The events come from ``socketio.handlers`` and the routes from ``app.url_map``, so what is
added later is fuzzed too. Each event's field names (and, where the handler says, their types)
are read from its handler's source: the fuzzer sends nearly right payloads with one field
wrong or missing, the real names with wrong values, and arbitrary JSON. What must hold: every
emit is acknowledged with ``{"ok": bool, ...}``, a refusal is never ``internal``, nothing is
logged as an error and the connection stays usable; an HTTP answer is never a 5xx and every
error is ``{"error": {"code", "message"}}``.

``PONTE_FUZZ_EXAMPLES`` / ``PONTE_FUZZ_HTTP_EXAMPLES`` make a run longer; run with ``-s`` (or
look at the last test's output) for the number of cases per event and route.
"""

import inspect
import io
import json
import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ponte.extensions import db, socketio
from prototypes.models import CANVAS_FIELDS, FEEDBACK_KINDS, STATUSES
from sessions import commitments, facilitation, services, voice
from sessions.access import viewer_for_account, viewer_for_token
from sessions.models import (
    COMMITMENT_STATUSES,
    GROUP_CHOICES,
    PHASES,
    REACTIONS,
    Attendance,
    Group,
)
from tests.conftest import TRAINER_EMAIL, TRAINER_PASSWORD, new_client_id
from workshops import services as workshop_services

EXAMPLES = int(os.environ.get("PONTE_FUZZ_EXAMPLES", "25"))
HTTP_EXAMPLES = int(os.environ.get("PONTE_FUZZ_HTTP_EXAMPLES", "80"))
CASES: Counter = Counter()  # "socket <event>" / "http <METHOD> <rule>" -> payloads sent
OUTCOMES: dict[str, Counter] = {}  # the same keys -> ack codes / statuses: how deep it got
PARTICIPANT_ROLES = ("migrant", "mediator", "decision_maker")
VIEWERS = ("trainer", "projector", *PARTICIPANT_ROLES)
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _discover() -> tuple[list[str], list[tuple[str, str]]]:
    """The Socket.IO events, and the (method, rule) of the /api/ routes, of a fresh app."""
    from app import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    events = sorted({name for name, _, _ in socketio.handlers} - {"connect", "disconnect"})
    routes = sorted(
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )
    return events, routes


EVENTS, ROUTES = _discover()
_FIELD_PATTERNS = (  # (pattern, the type the handler asks for)
    (r'\bflag\(data,\s*"(\w+)"', "bool"),
    (r'\bid_field\(data,\s*"(\w+)"', "id"),
    (r'\bfield\(data,\s*"(\w+)",\s*int\b', "int"),
    (r'\bfield\(data,\s*"(\w+)",\s*str\b', "str"),
    (r'data(?:\.get\(|\[)\s*"(\w+)"', "any"),  # data.get("post_id") / data["field"]
    (r'"(\w+)" in data', "any"),
)


def event_fields(event: str) -> dict[str, str]:
    """The payload fields an event's handler reads, from its source: name -> type."""
    handler = next(h for name, h, _ in socketio.handlers if name == event)
    source = inspect.getsource(inspect.unwrap(handler))
    found: dict[str, str] = {}
    for pattern, kind in _FIELD_PATTERNS:
        for name in re.findall(pattern, source):
            found.setdefault(name, kind)
    return found


ALL_FIELDS = sorted({name for event in EVENTS for name in event_fields(event)})


# --- strategies ----------------------------------------------------------------------------

EDGE_INTS = [0, -1, 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, -(2**63), 2**64, 10**40, -(10**40)]
WORDS = sorted(
    {*PHASES, *COMMITMENT_STATUSES, *GROUP_CHOICES, *REACTIONS, *CANVAS_FIELDS, *STATUSES}
    | {*FEEDBACK_KINDS, "open", "approval", "it", "en", "zh", "ar", "xx", "pt-BR", "ZH"}
)
ODD_TEXT = [
    "",
    " ",
    "\x00",
    "\t\n",
    "null",
    "1",
    "-1",
    "１２",  # full-width digits
    "²",
    "٣",
    "🙂" * 3,
    "\u202e\u200b",
    "2026-09-30",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31T23:59:59",
    "a" * 2001,
    "\ud83d",  # half an emoji: JSON.stringify sends a lone surrogate as "\ud83d"
    "ok \udc00 ok",
]
# Text with lone surrogates now and then, as a JSON "\udXXX" escape decodes to (st.text()
# never makes them, so characters are joined by hand).
surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)


def with_surrogates(min_size: int, max_size: int) -> st.SearchStrategy:
    chars = st.one_of(st.characters(), surrogates)
    return st.lists(chars, min_size=min_size, max_size=max_size).map("".join)


any_text = st.one_of(st.text(max_size=40), with_surrogates(1, 10))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(EDGE_INTS),
    st.floats(allow_nan=True, allow_infinity=True),
    any_text,
    st.sampled_from(WORDS + ODD_TEXT),
    st.uuids().map(str),
)
junk = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(ALL_FIELDS), st.text(max_size=8)), children),
    ),
    max_leaves=8,
)
texts = st.one_of(
    st.text(min_size=1, max_size=60),
    st.sampled_from(["Scuola", "学校 🙂", "a b", "ok \ud83d", "\udc00"]),
)
NAMED = {  # right-looking values for fields whose type the handler does not spell out
    "client_id": st.uuids().map(str),
    "phase": st.sampled_from(PHASES),
    "status": st.sampled_from(sorted({*STATUSES, *COMMITMENT_STATUSES})),
    "field": st.sampled_from(sorted(CANVAS_FIELDS)),
    "kind": st.sampled_from(sorted({*REACTIONS, *FEEDBACK_KINDS})),
    "mode": st.sampled_from(["trainer", "self", "open", "approval"]),
    "language": st.sampled_from(["zh", "en", "ar", "it", "ur", "pt-BR"]),
    "by_when": st.sampled_from(["2026-09-30", "2030-01-01"]),
    "on": st.booleans(),
    "commitment": st.fixed_dictionaries(
        {"what": texts, "who": texts}, optional={"by_when": st.just("2026-09-30")}
    ),
}
SMALL_INTS = st.one_of(st.integers(-2, 30), st.sampled_from([60, 600, 14_400, 14_401]))


def good_value(name: str, kind: str, room: "Room") -> st.SearchStrategy:
    """A value the handler would likely accept for this field (so the fuzzer gets deep)."""
    if name in NAMED:
        return NAMED[name]
    if name in room.ids_by_name:
        return st.sampled_from(room.ids_by_name[name])
    if kind == "id" or name.endswith("_id") or name == "said_by":
        return st.sampled_from(room.ids)
    if kind == "bool":
        return st.booleans()
    if kind == "int" or name in ("seconds", "votes", "number", "base_version", "since"):
        return SMALL_INTS
    return texts


def payloads(event: str, room: "Room") -> st.SearchStrategy:
    fields = event_fields(event)
    if not fields:
        return st.one_of(junk, st.dictionaries(st.sampled_from(ALL_FIELDS), junk, max_size=4))
    good = {name: good_value(name, kind, room) for name, kind in fields.items()}
    names = st.sampled_from(sorted(fields))
    nearly = st.fixed_dictionaries(good)
    return st.one_of(
        nearly,  # probably accepted: the state changes, later examples meet a new board
        st.tuples(nearly, names, junk).map(lambda t: {**t[0], t[1]: t[2]}),  # one field wrong
        st.tuples(nearly, names).map(lambda t: {k: v for k, v in t[0].items() if k != t[1]}),
        st.fixed_dictionaries({}, optional={n: st.one_of(v, junk) for n, v in good.items()}),
        st.tuples(nearly, st.dictionaries(st.text(max_size=8), junk, max_size=3)).map(
            lambda t: {**t[1], **t[0]}  # unknown extra keys
        ),
        junk,
    )


# --- the room ------------------------------------------------------------------------------


@dataclass
class Room:
    """A live co-projecting workshop with a bit of everything, and a socket per kind of viewer.

    Built once per module; each test starts from a copy of its database file (``room``).
    """

    app: object
    path: Path
    snapshot: bytes
    ws_id: int
    projector_key: str
    join_code: str
    ids: list[int]
    ids_by_name: dict
    tokens: dict = field(default_factory=dict)
    sockets: dict = field(default_factory=dict)
    http: dict = field(default_factory=dict)
    server: object = None  # the Socket.IO server the sockets were opened on


def _build() -> dict:
    """Fill the database: a workshop in the ideas phase with notes, themes, a prototype..."""
    from prototypes import services as prototype_services

    trainer = workshop_services.create_account(TRAINER_EMAIL, "Tina Trainer", TRAINER_PASSWORD)
    workshop = workshop_services.create_workshop("Prato", "Prato", ["it", "en", "zh"], trainer)
    ws = services.create_session(workshop, "co_projecting", "Workshop", trainer_id=trainer.id)
    other = services.create_session(workshop, "listening", "Listening")
    services.open_session(ws)
    services.open_session(other)
    ws.group_choice = "self"
    chair = viewer_for_account(trainer, ws.id)

    def join(session, name, role, language):
        return services.join(session.join_code, name, role, language)[2]

    tokens = {role: join(ws, role.title(), role, "it") for role in PARTICIPANT_ROLES}
    bystander = viewer_for_token(join(ws, "Bystander", "migrant", "zh"))
    tokens["stranger"] = join(other, "Elsewhere", "migrant", "en")  # another session's
    stranger = viewer_for_token(tokens["stranger"])
    facilitation.advance_phase(chair, "ideas")
    posts = [
        services.create_post(viewer_for_token(tokens[role]), new_client_id(), f"by {role}")[0].id
        for role in PARTICIPANT_ROLES
    ]
    posts.append(services.create_post(bystander, new_client_id(), "你好")[0].id)
    posts.append(services.create_post(stranger, new_client_id(), "elsewhere")[0].id)
    recording = voice.store(b"OggS" + bytes(60), 3)
    posts.append(services.create_post(chair, new_client_id(), "", recording=recording)[0].id)
    groups = list(db.session.scalars(sa.select(Group.id).where(Group.session_id == ws.id)))
    prompt = facilitation.add_prompt(chair, "What works?").data["prompt"]["id"]
    cluster = facilitation.create_cluster(chair, "Language").data["cluster"]["id"]
    item = facilitation.add_agenda_item(chair, "School").data["item"]["id"]
    commitment = commitments.record_commitment(chair, "Mediators", "City")[0].id
    prototype, _ = prototype_services.create_prototype(chair, "Mediators at school")
    prototype_services.link(chair, prototype.id, posts[0])
    db.session.flush()
    link = prototype_services.describe(prototype)["links"][0]["id"]
    people = [viewer_for_token(tokens[r]).participant_id for r in PARTICIPANT_ROLES]
    by_name = {
        "post_id": posts,
        "group_id": groups,
        "prompt_id": [prompt],
        "cluster_id": [cluster],
        "item_id": [item],
        "agenda_item_id": [item],
        "commitment_id": [commitment],
        "prototype_id": [prototype.id],
        "link_id": [link],
        # The bystander may be removed; the connected viewers are only named by said_by.
        "participant_id": [bystander.participant_id, stranger.participant_id],
        "said_by": [bystander.participant_id, *people],
    }
    ids = sorted({i for values in by_name.values() for i in values} | {ws.id, other.id, 1})
    return {
        "ws_id": ws.id,
        "projector_key": ws.projector_key,
        "join_code": ws.join_code,
        "ids": ids,
        "ids_by_name": by_name,
        "tokens": tokens,
    }


@pytest.fixture(scope="module")
def world(migrated_database, tmp_path_factory):
    from app import create_app

    tmp = tmp_path_factory.mktemp("fuzz")
    path = tmp / "ponte.sqlite3"
    shutil.copy(migrated_database, path)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "PONTE_FILES_DIR": str(tmp / "files"),
            # These tests are about input, not about disks or rate limits.
            "PONTE_SQLITE_SYNCHRONOUS": "OFF",
            "PONTE_JOIN_FAILURES_LIMIT": "100000 per minute",
        }
    )
    # No app context stays pushed: each request and event gets its own, as in production
    # (a shared one would share ``g``, and with it Flask-Login's user, between clients).
    with app.app_context():
        built = _build()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    staff = app.test_client()
    staff.post("/login", data={"email": TRAINER_EMAIL, "password": TRAINER_PASSWORD})
    room = Room(app=app, path=path, snapshot=path.read_bytes(), **built)
    room.http = {"staff": staff, "anonymous": app.test_client()}
    yield room
    for sio in room.sockets.values():
        if sio.is_connected():
            sio.disconnect()
    with app.app_context():
        db.engine.dispose()


def _connect(room: Room, role: str):
    if role == "trainer":
        auth, flask_client = {"session_id": room.ws_id}, room.http["staff"]
    elif role == "projector":
        auth, flask_client = {"session_id": room.ws_id, "projector_key": room.projector_key}, None
    else:
        auth, flask_client = {"token": room.tokens[role]}, None
    return socketio.test_client(room.app, auth=auth, flask_test_client=flask_client)


@pytest.fixture
def room(world):
    """The module's room with its database as built, every kind of viewer connected."""
    with world.app.app_context():
        db.engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{world.path}{suffix}").unlink(missing_ok=True)
    world.path.write_bytes(world.snapshot)
    if world.sockets and world.server is not socketio.server:  # another app was built since
        world.sockets.clear()
    world.server = socketio.server
    for role in VIEWERS:
        if role not in world.sockets or not world.sockets[role].is_connected():
            world.sockets[role] = _connect(world, role)
        assert world.sockets[role].is_connected(), role
    return world


def removed(room: Room, role: str) -> bool:
    """True when the fuzzed trainer removed this participant (their socket closes, rightly)."""
    token = room.tokens.get(role)
    if token is None:
        return False
    with room.app.app_context():
        return bool(
            db.session.scalar(
                sa.select(Attendance.removed_at.is_not(None)).where(
                    Attendance.token_hash == services.hash_token(token)
                )
            )
        )


def outcome(ack) -> str:
    if not isinstance(ack, dict):
        return repr(type(ack))
    return "ok" if ack.get("ok") else str((ack.get("error") or {}).get("code"))


def assert_ack(ack, where: str) -> None:
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), where
    if not ack["ok"]:
        error = ack.get("error")
        assert isinstance(error, dict), where
        assert isinstance(error.get("code"), str) and isinstance(error.get("message"), str), where
        assert error["code"] != "internal", where


def server_errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= 40]  # ERROR and above


# --- Socket.IO -----------------------------------------------------------------------------


@pytest.mark.parametrize("event", EVENTS)
def test_every_event_survives_malformed_payloads(event, room, caplog):
    caplog.set_level("ERROR")

    @FUZZ_SETTINGS
    @given(payload=payloads(event, room), shape=st.sampled_from(["one", "none", "two"]))
    def fuzz(payload, shape):
        caplog.clear()
        args = {"one": (payload,), "none": (), "two": (payload, payload)}[shape]
        for role, sio in room.sockets.items():
            if not sio.is_connected():
                continue  # removed by the trainer in an earlier example (checked there)
            ack = sio.emit(event, *args, callback=True)
            CASES[f"socket {event}"] += 1
            OUTCOMES.setdefault(f"socket {event}", Counter())[outcome(ack)] += 1
            where = f"{event} as {role} with {args!r:.400}: {ack!r:.400}"
            assert_ack(ack, where)
            assert not server_errors(caplog), (where, server_errors(caplog))
            assert sio.is_connected() or removed(room, role), where

    fuzz()
    for role, sio in room.sockets.items():
        if sio.is_connected():  # still usable after all that
            answer = sio.emit("sync", {"since": 0}, callback=True)
            assert answer["ok"] and answer["events"], (role, answer)


long_text = st.one_of(st.text(min_size=20, max_size=60), with_surrogates(20, 60))


def auth_values(room: Room) -> st.SearchStrategy:
    """The handshake's auth: an object (or none, as Socket.IO 5 has it), right or not."""
    return st.one_of(
        st.none(),
        st.dictionaries(st.one_of(st.sampled_from(["token", "session_id"]), st.text()), junk),
        st.fixed_dictionaries(
            {},
            optional={
                "token": st.one_of(st.sampled_from(sorted(room.tokens.values())), long_text, junk),
                "session_id": st.one_of(st.just(room.ws_id), st.sampled_from(EDGE_INTS), junk),
                "projector_key": st.one_of(st.just(room.projector_key), long_text, junk),
            },
        ),
    )


def test_connecting_with_malformed_credentials_is_refused_cleanly(room, caplog):
    caplog.set_level("ERROR")

    @settings(FUZZ_SETTINGS, max_examples=EXAMPLES * 4)
    @given(auth=auth_values(room), who=st.sampled_from(["anonymous", "staff"]))
    def fuzz(auth, who):
        caplog.clear()
        sio = socketio.test_client(room.app, auth=auth, flask_test_client=room.http[who])
        CASES["socket connect"] += 1
        OUTCOMES.setdefault("socket connect", Counter())[
            "connected" if sio.is_connected() else "refused"
        ] += 1
        if sio.is_connected():
            assert sio.emit("sync", {"since": 0}, callback=True)["ok"], auth
            sio.disconnect()
        assert not server_errors(caplog), (auth, server_errors(caplog))

    fuzz()


# --- HTTP ----------------------------------------------------------------------------------

latin1 = st.text(st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f"))
AUDIO_STARTS = [b"OggS", b"\x1a\x45\xdf\xa3", b"RIFF\0\0\0\0WAVE", b"\0\0\0\0ftyp", b"MZ", b""]


def segments(room: Room) -> st.SearchStrategy:
    """What fills a ``<int:...>`` of a rule: a real id, an edge, or no number at all."""
    return st.one_of(
        st.just(str(room.ws_id)),
        st.sampled_from(room.ids).map(str),
        st.sampled_from([str(n) for n in EDGE_INTS if n >= 0]),
        st.sampled_from(["-1", "abc", "1.5", "%00", "%E2%80%AE", "١", "²", "0x10", "1e3"]),
        st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=12),
    )


def join_bodies(room: Room) -> st.SearchStrategy:
    good = {
        "code": st.sampled_from([room.join_code, room.join_code.lower(), "ab-cd-12"]),
        "name": texts,
        "role": st.sampled_from(["migrant", "mediator", "decision_maker", "trainer"]),
        "language": NAMED["language"],
    }
    nearly = st.fixed_dictionaries(good)
    names = st.sampled_from(sorted(good))
    return st.one_of(
        nearly,
        st.tuples(nearly, names, junk).map(lambda t: {**t[0], t[1]: t[2]}),
        st.fixed_dictionaries({}, optional={k: st.one_of(v, junk) for k, v in good.items()}),
    )


@st.composite
def form_fields(draw) -> dict:
    """A voice note upload, right or not in every part."""
    fields: dict = {}
    if draw(st.integers(0, 3)):
        start = draw(st.sampled_from(AUDIO_STARTS))
        fields["audio"] = (io.BytesIO(start + draw(st.binary(min_size=0, max_size=80))), "a.ogg")
    values = {
        "client_id": st.uuids().map(str),
        "seconds": st.sampled_from(["3", "0", "-1", "60", "61", "nan", "inf", "1e308", "²"]),
        "said_by": st.sampled_from(["1", "2", "0", "99999999999999999999", "²", "١", "x", ""]),
        "language": st.sampled_from(["zh", "en", "xx-", "", "ZZZZ"]),
    }
    for name, good in values.items():
        if draw(st.integers(0, 3)):
            fields[name] = draw(st.one_of(good, st.text(max_size=30)))
    return fields


@st.composite
def http_requests(draw, rule: str, room: Room):
    url = re.sub(r"<(?:\w+:)?\w+>", lambda _: draw(segments(room)), rule)
    if draw(st.booleans()):
        url += "?lang=" + draw(st.sampled_from(["it", "en", "zh", "ar", "xx", "", "%FF"]))
    headers = {}
    auth = draw(st.sampled_from(["token", "token", "bearer-junk", "junk", "projector", "none"]))
    if auth == "token":
        headers["Authorization"] = "Bearer " + draw(st.sampled_from(sorted(room.tokens.values())))
    elif auth == "bearer-junk":
        headers["Authorization"] = "Bearer " + draw(latin1)
    elif auth == "junk":
        headers["Authorization"] = draw(latin1)
    elif auth == "projector":
        headers["X-Projector-Key"] = draw(st.one_of(st.just(room.projector_key), latin1))
    if draw(st.booleans()):
        headers["Accept-Language"] = draw(latin1)
    kind = draw(st.sampled_from(["json", "json", "raw", "form", "none"]))
    body: dict = {}
    if kind == "json":
        body["data"] = json.dumps(draw(st.one_of(join_bodies(room), junk)))
        body["content_type"] = "application/json"
    elif kind == "raw":
        body["data"] = draw(st.binary(max_size=300))
        body["content_type"] = draw(
            st.sampled_from(["application/json", "text/plain", "multipart/form-data", ""])
        )
    elif kind == "form":
        body["data"] = draw(form_fields())
        body["content_type"] = "multipart/form-data"
    return url, headers, body


@pytest.mark.parametrize(("method", "rule"), ROUTES)
def test_every_json_route_answers_malformed_requests_with_json_errors(method, rule, room, caplog):
    caplog.set_level("ERROR")

    @settings(FUZZ_SETTINGS, max_examples=HTTP_EXAMPLES)
    @given(request=http_requests(rule, room), who=st.sampled_from(["anonymous", "staff"]))
    def fuzz(request, who):
        caplog.clear()
        url, headers, body = request
        response = room.http[who].open(url, method=method, headers=headers, **body)
        CASES[f"http {method} {rule}"] += 1
        OUTCOMES.setdefault(f"http {method} {rule}", Counter())[response.status_code] += 1
        where = f"{method} {url} as {who} {headers} {body!r:.300}: {response.status_code}"
        assert response.status_code < 500, where + response.get_data(as_text=True)[:300]
        assert response.is_json, where
        answer = response.get_json()
        if response.status_code >= 400:
            assert set(answer) == {"error"}, where
            assert {"code", "message"} <= set(answer["error"]), where
            assert all(isinstance(answer["error"][k], str) for k in ("code", "message")), where
        assert not server_errors(caplog), (where, server_errors(caplog))

    fuzz()


def test_the_fuzzer_knows_every_event_and_route():
    assert {"create_post", "sync", "edit_prototype_field", "react"} <= set(EVENTS)
    assert ("POST", "/api/join") in ROUTES
    assert ("GET", "/api/sessions/<int:session_id>/board") in ROUTES
    assert event_fields("create_post")["client_id"] == "str"
    assert event_fields("react")["on"] == "bool"


# --- the bugs it found -----------------------------------------------------------------------

HUGE = 2**63  # one more than SQLite's largest integer


def test_a_voice_note_said_by_a_superscript_digit_is_refused_not_a_crash(
    client, make_session, join
):
    # "²".isdigit() is True but int("²") raises: the upload answered 500 and kept its file.
    ws = make_session()
    token = join(ws, name="Mediatrice", role="mediator")["token"]
    response = client.post(
        f"/api/sessions/{ws.id}/voice",
        headers={"Authorization": f"Bearer {token}"},
        data={
            "audio": (io.BytesIO(b"OggS" + bytes(60)), "note.ogg"),
            "client_id": new_client_id(),
            "seconds": "3",
            "said_by": "²",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["error"]["code"] == "invalid_said_by"


@pytest.mark.parametrize(
    "url", [f"/api/workshops/{HUGE}/prototypes", f"/api/publication-jobs/{HUGE}"]
)
def test_an_api_url_with_an_id_too_big_for_the_database_is_not_found(url, client, auth):
    auth.login()
    response = client.get(url)
    assert response.status_code == 404, response.get_data(as_text=True)[:300]
    assert set(response.get_json()["error"]) >= {"code", "message"}


def test_the_publication_job_api_answers_json_to_someone_not_logged_in(client):
    response = client.get("/api/publication-jobs/1")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_a_canvas_field_named_by_a_list_is_refused_not_a_crash(
    make_session, trainer, auth, client, socket_for
):
    # ``[] in CANVAS_FIELDS`` (a dict) raised TypeError: the ack was "internal".
    from prototypes import services as prototype_services

    ws = make_session(kind="co_projecting")
    ws.trainer_id = trainer.id
    db.session.commit()
    prototype, _ = prototype_services.create_prototype(
        viewer_for_account(trainer, ws.id), "Mediators at school"
    )
    db.session.commit()
    auth.login()
    sio = socket_for(flask_client=client, session_id=ws.id)
    payload = {"prototype_id": prototype.id, "field": [], "text": "x", "base_version": 0}
    ack = sio.emit("edit_prototype_field", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid_field", ack


NON_ASCII_KEY = "é" * 30  # compare_digest() refuses str with non-ASCII characters: TypeError


def test_a_projector_key_with_non_ascii_characters_opens_nothing(app, client, make_session):
    ws = make_session()
    answer = client.get(f"/api/sessions/{ws.id}/board", headers={"X-Projector-Key": "é" * 30})
    assert answer.status_code == 401, answer.get_data(as_text=True)[:300]
    assert answer.get_json()["error"]["code"] == "unauthorized"
    assert client.get(f"/sessions/{ws.id}/projector?key={NON_ASCII_KEY}").status_code == 404
    sio = socketio.test_client(app, auth={"session_id": ws.id, "projector_key": NON_ASCII_KEY})
    assert not sio.is_connected()


def test_a_voice_url_signed_with_non_ascii_characters_is_not_found(client, make_session, join):
    ws = make_session()
    token = join(ws)["token"]
    note = client.post(
        f"/api/sessions/{ws.id}/voice",
        headers={"Authorization": f"Bearer {token}"},
        data={
            "audio": (io.BytesIO(b"OggS" + bytes(60)), "note.ogg"),
            "client_id": new_client_id(),
            "seconds": "3",
        },
        content_type="multipart/form-data",
    ).get_json()["post"]
    assert client.get(f"/media/voice/{note['id']}?sig={NON_ASCII_KEY}").status_code == 404


HALF_EMOJI = "\ud83d"  # "🙂" cut in half; JSON.stringify sends it as the escape "\ud83d"


def test_a_note_with_half_an_emoji_is_kept_without_it(socket_for, make_session, join):
    # SQLite cannot store a lone surrogate (UnicodeEncodeError): the ack was "internal".
    ws = make_session()
    sio = socket_for(token=join(ws)["token"])
    payload = {"client_id": new_client_id(), "text": f"Ciao {HALF_EMOJI}"}
    ack = sio.emit("create_post", payload, callback=True)
    assert ack["ok"], ack
    assert ack["post"]["text"] == "Ciao"
    ack = sio.emit("create_post", {"client_id": new_client_id(), "text": HALF_EMOJI}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "text_required", ack


def test_a_label_with_half_an_emoji_is_kept_without_it(auth, client, trainer, make_session):
    ws = make_session()
    ws.trainer_id = trainer.id
    db.session.commit()
    auth.login()
    sio = socketio.test_client(
        client.application, auth={"session_id": ws.id}, flask_test_client=client
    )
    ack = sio.emit("add_prompt", {"text": f"Cosa {HALF_EMOJI}funziona?"}, callback=True)
    assert ack["ok"], ack
    sio.disconnect()


def test_joining_with_half_an_emoji_in_a_field_is_a_json_answer(client, make_session):
    ws = make_session()
    body = {
        "code": ws.join_code,
        "name": f"Amina {HALF_EMOJI}",
        "role": "migrant",
        "language": "ar",
    }
    answer = client.post("/api/join", data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    body["code"] = HALF_EMOJI + ws.join_code[1:]
    answer = client.post("/api/join", data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 404, answer.get_data(as_text=True)[:300]


def test_a_token_with_half_an_emoji_is_refused(app, make_session):
    sio = socketio.test_client(app, auth={"token": HALF_EMOJI * 25})
    assert not sio.is_connected()


@pytest.mark.parametrize(
    "url",
    [
        f"/sessions/{HUGE}",
        f"/workshops/{HUGE}",
        f"/workshops/{HUGE}/commitments",
        f"/workshops/{HUGE}/prototypes",
        f"/prototypes/{HUGE}",
        f"/prototypes/{HUGE}.json",
        f"/media/voice/{HUGE}",
    ],
)
def test_a_page_with_an_id_too_big_for_the_database_is_not_found(url, client, auth):
    auth.login()
    assert client.get(url).status_code == 404


# --- the count (last: tests of a module run in order) --------------------------------------


def test_zz_report_the_number_of_fuzz_cases(capsys):
    """Print how many payloads each event and route received, and what came back most."""
    total = sum(CASES.values())
    with capsys.disabled():
        print(f"\nfuzz cases run: {total}")
        for name, count in sorted(CASES.items()):
            common = ", ".join(f"{k} {n}" for k, n in OUTCOMES[name].most_common(4))
            print(f"  {count:6}  {name:58} {common}")
    assert total > 0
