"""Every HTTP route against every role: the permission matrix of docs/protocol.md, over HTTP.

The Socket.IO side is tests/sessions/test_permissions.py; this is its twin for pages and the
JSON API. Each row is one route (sometimes in a few variants: a report and a booklet, a photo
with and without consent) and the class of answer each role gets:

- ``ok``: 2xx, or a redirect that is not to the login page;
- ``login``: a redirect to /login (pages), or a JSON 401 (``/api/``);
- ``forbidden``: 403; ``not_found``: 404; ``bad``: 400 (the role may, the body is missing).
"""

import datetime as dt
import functools
import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from PIL import Image
from werkzeug.security import generate_password_hash

from ponte.extensions import db
from prototypes import services as prototype_services
from publications import jobs, logos
from publications.media import store_photo
from publications.models import Publication
from sessions import commitments, services
from sessions.access import viewer_for_account, viewer_for_token
from sessions.models import Post, WorkshopSession
from tests.conftest import TRAINER_PASSWORD, new_client_id
from workshops import accounts, activities
from workshops import services as workshop_services
from workshops.models import Account, Organisation, Person, Workshop

# observer: staff of an organisation the process is shared with (reads it); colleague: a
# trainer of the process's organisation who is not on its team; outsider: staff of another
# organisation; trainer: the process's creator, who runs the session; admin: staff who also
# manage the organisation's accounts.
ROLES = (
    "anonymous",
    "migrant",
    "mediator",
    "projector",
    "observer",
    "colleague",
    "outsider",
    "trainer",
    "staff",
    "admin",
)
PASSWORD = "a long password"
WEBM = b"\x1a\x45\xdf\xa3" + bytes(200)
NOTE = "Il mio quartiere 42"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Call:
    """One request: ``path`` and the values of ``data`` are formatted with the world's fields."""

    path: str
    data: dict | None = None
    json: dict | None = None


@dataclass
class World:
    """One process of the trainer with something of everything in it."""

    workshop_id: int
    session_id: int
    join_code: str
    public_key: str
    projector_key: str
    tokens: dict
    participant_id: int
    person_id: int
    post_id: int
    voice_post_id: int
    voice_url: str
    hidden_voice_url: str
    prototype_id: int
    commitment_id: int
    internal_photo: str
    named_photo: str
    report_id: int
    booklet_id: int
    report_job_id: int
    booklet_job_id: int
    activity_id: int
    activity_attendance_id: int
    account_id: int = 0
    password_token: str = ""
    logo_id: int = 0
    emails: dict = field(default_factory=dict)

    def fill(self, value):
        if isinstance(value, str):
            return value.format(**vars(self))
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        return value


# (method, rule, variant) -> (the request, the answer of each role, in the order of ROLES)
# fmt: off
MATRIX = {
    #    anonymous  migrant    mediator   projector  observer   colleague  outsider   trainer    staff      admin
    ("GET", "/", ""): (
        Call("/"),
        "ok         ok         ok         ok         ok         ok         ok         ok         ok         ok",
    ),
    ("POST", "/api/join", ""): (
        Call("/api/join", json={"code": "{join_code}", "name": "Li", "role": "migrant",
                                "language": "zh"}),
        "ok         ok         ok         ok         ok         ok         ok         ok         ok         ok",
    ),
    ("GET", "/api/publication-jobs/<int:job_id>", "report"): (
        Call("/api/publication-jobs/{report_job_id}"),
        "login      login      login      login      forbidden  not_found  not_found  forbidden  ok         ok",
    ),
    ("GET", "/api/publication-jobs/<int:job_id>", "booklet"): (
        Call("/api/publication-jobs/{booklet_job_id}"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/api/sessions/<int:session_id>/admission", ""): (
        Call("/api/sessions/{session_id}/admission"),
        "login      ok         ok         login      login      login      login      login      login      login",
    ),
    ("GET", "/api/sessions/<int:session_id>/board", ""): (
        Call("/api/sessions/{session_id}/board"),
        "login      ok         ok         ok         ok         not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/api/sessions/<int:session_id>/voice", ""): (
        Call("/api/sessions/{session_id}/voice", data={}),
        "login      bad        bad        login      login      login      login      login      login      login",
    ),
    ("GET", "/api/workshops/<int:workshop_id>/prototypes", ""): (
        Call("/api/workshops/{workshop_id}/prototypes"),
        "login      ok         ok         login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/join", ""): (
        Call("/join?code={join_code}"),
        "ok         ok         ok         ok         ok         ok         ok         ok         ok         ok",
    ),
    ("GET", "/login", ""): (
        Call("/login"),
        "ok         ok         ok         ok         ok         ok         ok         ok         ok         ok",
    ),
    ("POST", "/login", ""): (
        Call("/login", data={}),
        "ok         ok         ok         ok         ok         ok         ok         ok         ok         ok",
    ),
    ("POST", "/logout", ""): (
        Call("/logout", data={}),
        "login      login      login      login      ok         ok         ok         ok         ok         ok",
    ),
    ("GET", "/media/<name>", "internal"): (
        Call("/media/{internal_photo}"),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/media/<name>", "named"): (
        Call("/media/{named_photo}"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/media/voice/<int:post_id>", ""): (
        Call("{voice_url}"),
        "ok         ok         ok         ok         ok         ok         ok         ok         ok         ok",
    ),
    ("GET", "/media/voice/<int:post_id>", "hidden"): (
        Call("{hidden_voice_url}"),
        "not_found  not_found  not_found  not_found  ok         not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/media/voice/<int:post_id>", "unsigned"): (
        Call("/media/voice/{voice_post_id}"),
        "not_found  not_found  not_found  not_found  not_found  not_found  not_found  not_found  not_found  not_found",
    ),
    ("GET", "/next/<key>", ""): (
        Call("/next/{public_key}"),
        "ok         ok         ok         ok         ok         ok         ok         ok         ok         ok",
    ),
    ("GET", "/next/<key>/calendar.ics", ""): (
        Call("/next/{public_key}/calendar.ics"),
        "ok         ok         ok         ok         ok         ok         ok         ok         ok         ok",
    ),
    ("GET", "/next/<key>/calendar.ics", "unknown key"): (
        Call("/next/not-a-real-key-not-a-real-key/calendar.ics"),
        "not_found  not_found  not_found  not_found  not_found  not_found  not_found  not_found  not_found  not_found",
    ),
    ("GET", "/prototypes/<int:prototype_id>", ""): (
        Call("/prototypes/{prototype_id}"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/prototypes/<int:prototype_id>.json", ""): (
        Call("/prototypes/{prototype_id}.json"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/prototypes/<int:prototype_id>/duplicate", ""): (
        Call("/prototypes/{prototype_id}/duplicate", data={"workshop_id": "{workshop_id}"}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/prototypes/<int:prototype_id>/duplicate", "no process"): (
        Call("/prototypes/{prototype_id}/duplicate", data={}),
        "login      login      login      login      bad        not_found  not_found  bad        bad        bad",
    ),
    ("POST", "/prototypes/<int:prototype_id>/restore", ""): (
        Call("/prototypes/{prototype_id}/restore", data={"number": "1"}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/prototypes/<int:prototype_id>/status", ""): (
        Call("/prototypes/{prototype_id}/status", data={"status": "presented"}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/publications/<int:publication_id>/download", "report"): (
        Call("/publications/{report_id}/download"),
        "login      login      login      login      forbidden  not_found  not_found  forbidden  ok         ok",
    ),
    ("GET", "/publications/<int:publication_id>/download", "booklet"): (
        Call("/publications/{booklet_id}/download"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/sessions/<int:session_id>", ""): (
        Call("/sessions/{session_id}"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/sessions/<int:session_id>/close", ""): (
        Call("/sessions/{session_id}/close", data={}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/sessions/<int:session_id>/open", ""): (
        Call("/sessions/{session_id}/open", data={}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/sessions/<int:session_id>/projector", ""): (
        Call("/sessions/{session_id}/projector"),
        "not_found  not_found  not_found  ok         not_found  not_found  not_found  not_found  not_found  not_found",
    ),
    ("GET", "/sessions/<int:session_id>/projector/qr.svg", ""): (
        Call("/sessions/{session_id}/projector/qr.svg"),
        "not_found  not_found  not_found  ok         not_found  not_found  not_found  not_found  not_found  not_found",
    ),
    ("GET", "/sessions/<int:session_id>/qr.svg", ""): (
        Call("/sessions/{session_id}/qr.svg"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/sessions/<int:session_id>/tablet", ""): (
        Call("/sessions/{session_id}/tablet"),
        "ok         ok         ok         ok         ok         ok         ok         ok         ok         ok",
    ),
    ("GET", "/workshops", ""): (
        Call("/workshops"),
        "login      login      login      login      ok         ok         ok         ok         ok         ok",
    ),
    ("POST", "/workshops", ""): (
        Call("/workshops", data={}),
        "login      login      login      login      ok         ok         ok         ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>", ""): (
        Call("/workshops/{workshop_id}"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/workshops/<int:workshop_id>", ""): (
        Call("/workshops/{workshop_id}", data={}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/activities", ""): (
        Call("/workshops/{workshop_id}/activities"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    # An empty form: shown again with its errors, nothing added.
    ("POST", "/workshops/<int:workshop_id>/activities", ""): (
        Call("/workshops/{workshop_id}/activities", data={}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/activities/<int:activity_id>", ""): (
        Call("/workshops/{workshop_id}/activities/{activity_id}"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/activities/<int:activity_id>", "unknown"): (
        Call("/workshops/{workshop_id}/activities/999999"),
        "login      login      login      login      not_found  not_found  not_found  not_found  not_found  not_found",
    ),
    ("POST", "/workshops/<int:workshop_id>/activities/<int:activity_id>", ""): (
        Call("/workshops/{workshop_id}/activities/{activity_id}", data={}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/workshops/<int:workshop_id>/activities/<int:activity_id>/attendees", ""): (
        Call("/workshops/{workshop_id}/activities/{activity_id}/attendees",
             data={"who": "new", "name": "Yusuf", "role": "migrant", "language": "ar"}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/workshops/<int:workshop_id>/activities/<int:activity_id>/attendees/"
             "<int:attendance_id>/remove", ""): (
        Call("/workshops/{workshop_id}/activities/{activity_id}/attendees/"
             "{activity_attendance_id}/remove", data={}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/workshops/<int:workshop_id>/activities/<int:activity_id>/delete", ""): (
        Call("/workshops/{workshop_id}/activities/{activity_id}/delete", data={}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/audit", ""): (
        Call("/workshops/{workshop_id}/audit"),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/commitments", ""): (
        Call("/workshops/{workshop_id}/commitments"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/workshops/<int:workshop_id>/commitments", ""): (
        Call("/workshops/{workshop_id}/commitments",
             data={"commitment_id": "{commitment_id}", "status": "done"}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/people", ""): (
        Call("/workshops/{workshop_id}/people"),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/workshops/<int:workshop_id>/people/<int:person_id>/consent", ""): (
        Call("/workshops/{workshop_id}/people/{person_id}/consent", data={}),
        "login      login      login      login      forbidden  not_found  not_found  bad        bad        bad",
    ),
    ("GET", "/workshops/<int:workshop_id>/people/<int:person_id>/data.json", ""): (
        Call("/workshops/{workshop_id}/people/{person_id}/data.json"),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/workshops/<int:workshop_id>/people/<int:person_id>/erase", ""): (
        Call("/workshops/{workshop_id}/people/{person_id}/erase", data={}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/workshops/<int:workshop_id>/people/merge", ""): (
        Call("/workshops/{workshop_id}/people/merge", data={}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    # The world's migrant was never merged with anyone: nothing to split (409).
    ("POST", "/workshops/<int:workshop_id>/people/<int:person_id>/split", ""): (
        Call("/workshops/{workshop_id}/people/{person_id}/split", data={}),
        "login      login      login      login      forbidden  not_found  not_found  409        409        409",
    ),
    ("GET", "/workshops/<int:workshop_id>/people/<int:person_id>/badge.svg", ""): (
        Call("/workshops/{workshop_id}/people/{person_id}/badge.svg"),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/export.<any(zip, xlsx):kind>", "xlsx"): (
        Call("/workshops/{workshop_id}/export.xlsx"),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/export.<any(zip, xlsx):kind>", "zip"): (
        Call("/workshops/{workshop_id}/export.zip"),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/figures", ""): (
        Call("/workshops/{workshop_id}/figures"),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/people/badges", ""): (
        Call("/workshops/{workshop_id}/people/badges"),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/workshops/<int:workshop_id>/photos", ""): (
        Call("/workshops/{workshop_id}/photos", data={}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/workshops/<int:workshop_id>/photos/<name>/delete", ""): (
        Call("/workshops/{workshop_id}/photos/{named_photo}/delete", data={}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/prototypes", ""): (
        Call("/workshops/{workshop_id}/prototypes"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/publications", ""): (
        Call("/workshops/{workshop_id}/publications"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/workshops/<int:workshop_id>/publications", "booklet"): (
        Call("/workshops/{workshop_id}/publications", data={"kind": "booklet", "edition": "it"}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/workshops/<int:workshop_id>/publications", "report"): (
        Call("/workshops/{workshop_id}/publications", data={"kind": "report", "edition": "it"}),
        "login      login      login      login      forbidden  not_found  not_found  forbidden  ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/publications/preview/<kind>", "report"): (
        Call("/workshops/{workshop_id}/publications/preview/report"),
        "login      login      login      login      forbidden  not_found  not_found  forbidden  ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/publications/preview/<kind>", "booklet"): (
        Call("/workshops/{workshop_id}/publications/preview/booklet"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/publications/preview/<kind>", "unknown kind"): (
        Call("/workshops/{workshop_id}/publications/preview/minutes"),
        "login      login      login      login      not_found  not_found  not_found  not_found  not_found  not_found",
    ),
    ("POST", "/workshops/<int:workshop_id>/retention", ""): (
        Call("/workshops/{workshop_id}/retention", data={}),
        "login      login      login      login      forbidden  not_found  not_found  bad        bad        bad",
    ),
    ("GET", "/admin", ""): (
        Call("/admin"),
        "login      login      login      login      forbidden  forbidden  forbidden  forbidden  forbidden  ok",
    ),
    ("POST", "/admin/accounts", ""): (
        Call("/admin/accounts", data={}),
        "login      login      login      login      forbidden  forbidden  forbidden  forbidden  forbidden  bad",
    ),
    ("POST", "/admin/accounts/<int:account_id>/reset", ""): (
        Call("/admin/accounts/{account_id}/reset", data={}),
        "login      login      login      login      forbidden  forbidden  forbidden  forbidden  forbidden  ok",
    ),
    ("POST", "/admin/accounts/<int:account_id>/active", ""): (
        Call("/admin/accounts/{account_id}/active", data={"active": "0"}),
        "login      login      login      login      forbidden  forbidden  forbidden  forbidden  forbidden  ok",
    ),
    ("POST", "/admin/organisation", ""): (
        Call("/admin/organisation", data={}),
        "login      login      login      login      forbidden  forbidden  forbidden  forbidden  forbidden  ok",
    ),
    ("POST", "/admin/organisations", ""): (
        Call("/admin/organisations", data={}),
        "login      login      login      login      forbidden  forbidden  forbidden  forbidden  forbidden  bad",
    ),
    ("GET", "/password/<token>", ""): (
        Call("/password/{password_token}"),
        "ok         ok         ok         ok         ok         ok         ok         ok         ok         ok",
    ),
    ("GET", "/password/<token>", "forged"): (
        Call("/password/forged.token.x"),
        "not_found  not_found  not_found  not_found  not_found  not_found  not_found  not_found  not_found  not_found",
    ),
    ("POST", "/password/<token>", ""): (
        Call("/password/{password_token}", data={}),
        "ok         ok         ok         ok         ok         ok         ok         ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/settings", ""): (
        Call("/workshops/{workshop_id}/settings"),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/workshops/<int:workshop_id>/settings", ""): (
        Call("/workshops/{workshop_id}/settings", data={}),
        "login      login      login      login      forbidden  not_found  not_found  bad        bad        bad",
    ),
    ("GET", "/workshops/<int:workshop_id>/logos", ""): (
        Call("/workshops/{workshop_id}/logos"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
    ("POST", "/workshops/<int:workshop_id>/logos", ""): (
        Call("/workshops/{workshop_id}/logos", data={}),
        "login      login      login      login      forbidden  not_found  not_found  bad        bad        bad",
    ),
    ("POST", "/workshops/<int:workshop_id>/logos/<int:logo_id>/<any(delete, left, right):action>", ""): (
        Call("/workshops/{workshop_id}/logos/{logo_id}/right", data={}),
        "login      login      login      login      forbidden  not_found  not_found  ok         ok         ok",
    ),
    ("GET", "/workshops/<int:workshop_id>/logos/<int:logo_id>.png", ""): (
        Call("/workshops/{workshop_id}/logos/{logo_id}.png"),
        "login      login      login      login      ok         not_found  not_found  ok         ok         ok",
    ),
}
# fmt: on


def expected(key) -> dict[str, str]:
    answers = MATRIX[key][1].split()
    assert len(answers) == len(ROLES), key
    return dict(zip(ROLES, answers, strict=True))


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return buffer.getvalue()


def upload_voice(client, session_id: int, token: str) -> dict:
    response = client.post(
        f"/api/sessions/{session_id}/voice",
        data={"client_id": new_client_id(), "seconds": "2", "audio": (io.BytesIO(WEBM), "v.webm")},
        headers={"Authorization": f"Bearer {token}"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["post"]


def keep_publication(workshop_id: int, kind: str, folder) -> int:
    path = folder / f"{kind}.pdf"
    path.write_bytes(PDF)
    publication = Publication(
        workshop_id=workshop_id,
        kind=kind,
        edition="it",
        path=str(path),
        sha256="0" * 64,
        size=len(PDF),
        pages=1,
        seconds=0.1,
    )
    db.session.add(publication)
    db.session.flush()
    return publication.id


def build_world(client, make_session, trainer, join, folder) -> World:
    """A live co-projecting session of the trainer's process, with one of everything."""
    ws = make_session(kind="co_projecting", title="Tavolo Scuola 7")
    ws.trainer_id = trainer.id  # otherwise every account would count as this session's trainer
    db.session.commit()
    workshop = db.session.get(Workshop, ws.workshop_id)
    migrant = join(ws, "Amina", "migrant", "ar")
    mediator = join(ws, "Sara", "mediator", "it")
    note, _ = services.create_post(viewer_for_token(migrant["token"]), new_client_id(), NOTE)
    db.session.commit()
    voice = upload_voice(client, ws.id, migrant["token"])
    hidden = upload_voice(client, ws.id, mediator["token"])
    chair = viewer_for_account(trainer, ws.id)
    services.hide_post(chair, hidden["id"])
    prototype, _ = prototype_services.create_prototype(chair, "Mediators at school")
    commitment, _ = commitments.record_commitment(chair, "Mediators at school", "City")
    internal = store_photo(workshop, png(), "Flipchart", "internal", trainer, ws.id)
    named = store_photo(workshop, png(), "The room", "named", trainer, ws.id)
    training = activities.add_activity(
        trainer, workshop, "training", "Formazione", dt.date(2026, 4, 2), dt.time(9), dt.time(13)
    )
    attendance = activities.add_attendee(trainer, training, person_id=migrant["person_id"])
    report_job = jobs.enqueue(workshop, "report", "it", trainer)
    booklet_job = jobs.enqueue(workshop, "booklet", "it", trainer)
    world = World(
        workshop_id=workshop.id,
        session_id=ws.id,
        join_code=ws.join_code,
        public_key=workshop.public_key,
        projector_key=ws.projector_key,
        tokens={"migrant": migrant["token"], "mediator": mediator["token"]},
        participant_id=migrant["participant_id"],
        person_id=migrant["person_id"],
        post_id=note.id,
        voice_post_id=voice["id"],
        voice_url=voice["audio"]["url"],
        hidden_voice_url=hidden["audio"]["url"],
        prototype_id=prototype.id,
        commitment_id=commitment.id,
        internal_photo=internal.filename,
        named_photo=named.filename,
        report_id=keep_publication(workshop.id, "report", folder),
        booklet_id=keep_publication(workshop.id, "booklet", folder),
        report_job_id=report_job.id,
        booklet_job_id=booklet_job.id,
        activity_id=training.id,
        activity_attendance_id=attendance.id,
    )
    home = db.session.get(Organisation, workshop.organisation_id)
    region = workshop_services.create_organisation("Regione", "region")
    elsewhere = workshop_services.create_organisation("Altra città", "city")
    workshop_services.set_shares(workshop, [region.id])
    for role, account_role, organisation in (
        ("observer", "staff", region),
        ("colleague", "trainer", home),
        ("outsider", "staff", elsewhere),
        ("staff", "staff", home),
        ("admin", "admin", home),
    ):
        email = f"{role}@test.example"
        workshop_services.create_account(email, role.title(), PASSWORD, account_role, organisation)
        world.emails[role] = email
    # Someone the admin manages, and the link that sets their password.
    target = workshop_services.create_account(
        "target@test.example", "Target", PASSWORD, "trainer", home
    )
    world.account_id = target.id
    world.password_token = accounts.password_token(target)
    world.logo_id = logos.store_logo(workshop, png(), "Comune", trainer).id
    world.emails["trainer"] = trainer.email
    db.session.commit()
    return world


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    """Hash passwords with one round: the matrix logs in hundreds of times, scrypt takes 0.15 s."""
    cheap = functools.partial(generate_password_hash, method="pbkdf2:sha256:1")
    monkeypatch.setattr("workshops.models.generate_password_hash", cheap)


@pytest.fixture
def world(client, make_session, trainer, join, tmp_path):
    return build_world(client, make_session, trainer, join, tmp_path)


def act_as(client, world: World, role: str) -> dict:
    """Give ``client`` the credentials of ``role``; return the headers its requests carry."""
    if role in ("observer", "colleague", "outsider", "trainer", "staff", "admin"):
        password = TRAINER_PASSWORD if role == "trainer" else PASSWORD
        login = client.post("/login", data={"email": world.emails[role], "password": password})
        assert login.status_code == 302, role
        return {}
    if role in ("migrant", "mediator"):
        return {"Authorization": f"Bearer {world.tokens[role]}"}
    if role == "projector":
        return {"X-Projector-Key": world.projector_key}
    return {}


def send(client, world: World, role: str, call: Call, headers: dict):
    path = world.fill(call.path)
    if role == "projector":  # the projector's link carries its key; its API calls, a header
        path += ("&" if "?" in path else "?") + f"key={world.projector_key}"
    if call.json is not None:
        return client.post(path, headers=headers, json=world.fill(call.json))
    if call.data is not None:
        return client.post(path, headers=headers, data=world.fill(call.data))
    return client.get(path, headers=headers)


def outcome(response) -> str:
    """The class of an answer: ok, login, forbidden, not_found, bad, or the bare status."""
    status = response.status_code
    if 300 <= status < 400:
        return "login" if urlsplit(response.headers["Location"]).path == "/login" else "ok"
    return {401: "login", 403: "forbidden", 404: "not_found", 400: "bad"}.get(
        status, "ok" if 200 <= status < 300 else str(status)
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", list(MATRIX), ids=lambda key: " ".join(filter(None, key)))
def test_each_role_gets_exactly_what_the_policy_says(key, role, client, world):
    method, rule, _ = key
    call, _ = MATRIX[key]
    assert method == ("GET" if call.data is None and call.json is None else "POST")
    headers = act_as(client, world, role)
    response = send(client, world, role, call, headers)
    want = expected(key)[role]
    assert outcome(response) == want, (
        key,
        role,
        response.status_code,
        response.headers.get("Location"),
        response.get_data(as_text=True)[:300],
    )
    if rule.startswith("/api/") and response.status_code >= 400:
        assert set(response.get_json()["error"]) == {"code", "message"}
    if not rule.startswith("/api/") and want == "login":
        assert response.status_code == 302  # a page sends people to log in, never a bare 401


def routes(app) -> set[tuple[str, str]]:
    """Every (method, rule) the app answers, except static files and HEAD/OPTIONS."""
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_the_matrix_covers_every_route(app):
    assert {(method, rule) for method, rule, _ in MATRIX} == routes(app)


# --- ids of another process or session are never revealed ------------------------------


@pytest.fixture
def elsewhere(world, join):
    """A second process, created by the observer, with a live session and a person in it."""
    observer = db.session.scalar(
        sa.select(Account).where(Account.email == world.emails["observer"])
    )
    other = workshop_services.create_workshop("Elsewhere", "Pistoia", ["it"], observer)
    ws = services.create_session(other, "listening", "Other", trainer_id=observer.id)
    services.open_session(ws)
    db.session.commit()
    person = join(ws, "Ardit", "migrant", "it")
    chair = viewer_for_account(observer, ws.id)
    commitment, _ = commitments.record_commitment(chair, "Other", "Town")
    db.session.commit()
    return {
        "workshop_id": other.id,
        "session_id": ws.id,
        "participant_id": person["participant_id"],
        "person_id": person["person_id"],
        "commitment_id": commitment.id,
        "token": person["token"],
    }


@pytest.mark.parametrize("role", ["trainer", "staff"])
@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("GET", "/workshops/{workshop_id}/people/{other_participant}/data.json", None),
        ("GET", "/workshops/{workshop_id}/people/badges?person={other_participant}", None),
        ("GET", "/workshops/{workshop_id}/people/{other_participant}/badge.svg", None),
        ("POST", "/workshops/{workshop_id}/people/{other_participant}/split", {}),
        (
            "POST",
            "/workshops/{workshop_id}/people/merge",
            {"keep": "{own_person}", "other": "{other_participant}"},
        ),
        (
            "POST",
            "/workshops/{workshop_id}/people/{other_participant}/consent",
            {"consent": "never"},
        ),
        (
            "POST",
            "/workshops/{workshop_id}/people/{other_participant}/erase",
            {"confirm": "erase", "notes": "delete"},
        ),
        (
            "POST",
            "/workshops/{workshop_id}/commitments",
            {"commitment_id": "{other_commitment}", "status": "done"},
        ),
    ],
)
def test_a_process_never_reaches_the_people_or_commitments_of_another(
    role, method, path, data, client, world, elsewhere
):
    act_as(client, world, role)
    fill = {
        "workshop_id": world.workshop_id,
        "other_participant": elsewhere["person_id"],
        "own_person": world.person_id,
        "other_commitment": elsewhere["commitment_id"],
    }
    data = {k: v.format(**fill) for k, v in (data or {}).items()} if method == "POST" else None
    response = client.open(path.format(**fill), method=method, data=data)
    assert response.status_code == 404
    person = db.session.get(Person, elsewhere["person_id"])
    assert person.erased_at is None and person.quote_consent != "never"
    assert person.merged_into_id is None


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/sessions/{other_session}/board", 403),
        ("/api/sessions/{other_session}/admission", 401),
        ("/api/workshops/{other_workshop}/prototypes", 403),
    ],
)
def test_a_token_of_one_session_reads_nothing_of_another(path, status, client, world, elsewhere):
    url = path.format(
        other_session=elsewhere["session_id"], other_workshop=elsewhere["workshop_id"]
    )
    response = client.get(url, headers={"Authorization": f"Bearer {world.tokens['migrant']}"})
    assert response.status_code == status
    assert response.get_json()["error"]["code"] in ("forbidden", "unauthorized")


def test_a_token_of_one_session_posts_no_voice_note_into_another(client, world, elsewhere):
    response = client.post(
        f"/api/sessions/{elsewhere['session_id']}/voice",
        data={"client_id": new_client_id(), "seconds": "2", "audio": (io.BytesIO(WEBM), "v.webm")},
        headers={"Authorization": f"Bearer {world.tokens['migrant']}"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert db.session.scalar(
        sa.select(sa.func.count()).where(Post.session_id == elsewhere["session_id"])
    ) == 0  # fmt: skip


def test_a_projector_key_opens_only_its_own_session(client, world, elsewhere):
    other = elsewhere["session_id"]
    key = world.projector_key
    assert client.get(f"/sessions/{other}/projector?key={key}").status_code == 404
    assert client.get(f"/sessions/{other}/projector/qr.svg?key={key}").status_code == 404
    board = client.get(f"/api/sessions/{other}/board", headers={"X-Projector-Key": key})
    assert board.status_code == 401


def test_a_voice_note_signature_opens_only_its_own_note(client, world):
    signature = world.voice_url.split("sig=", 1)[1]
    assert client.get(f"/media/voice/{world.post_id}?sig={signature}").status_code == 404


def test_the_tablet_page_reveals_nothing_by_itself(client, world):
    page = client.get(f"/sessions/{world.session_id}/tablet").get_data(as_text=True)
    ws = db.session.get(WorkshopSession, world.session_id)
    for secret in (ws.title, ws.join_code, ws.projector_key, NOTE, "Amina", "Sara"):
        assert secret not in page
