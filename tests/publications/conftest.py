"""Fixtures for the publications: the Prato demo, rendering, reading PDFs back."""

import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from publications import render

ORIGINAL_FETCHER = render.url_fetcher

# The demo's participants (ponte/demo.py): none of these may reach the report.
DEMO_NAMES = (
    "Marco",
    "Li Wei",
    "Amina",
    "Fatou",
    "Ardit",
    "Assessora Rossi",
    "Mediatrice Chen",
    "Mediatore Karim",
)


@pytest.fixture
def demo(runner):
    """The Prato demo process (seed-demo's JSON)."""
    result = runner.invoke(args=["seed-demo", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


@pytest.fixture
def make_pdf(app):
    """Render the report in a language ("en", "it"), or a booklet edition ("it", "it+en"), of a
    process to PDF bytes, as the worker does."""

    def make(kind: str, workshop_id: int, edition: str = "it") -> bytes:
        return render.publication_pdf(kind, workshop_id, edition.split("+"))

    return make


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as pdftotext reads it, whitespace collapsed to single spaces."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return re.sub(r"\s+", " ", done.stdout.decode("utf-8"))


def pdf_reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def image_count(pdf: bytes) -> int:
    """How many distinct image XObjects the pages of a PDF can draw."""
    seen = set()
    for page in pdf_reader(pdf).pages:
        _images_in(page.get("/Resources"), seen)
    return len(seen)


def _images_in(resources, seen: set) -> None:
    if resources is None:
        return
    xobjects = resources.get_object().get("/XObject")
    if xobjects is None:
        return
    for ref in xobjects.get_object().values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Image":
            seen.add(getattr(ref, "idnum", id(xobject)))
        elif xobject.get("/Subtype") == "/Form":
            _images_in(xobject.get("/Resources"), seen)


@pytest.fixture(autouse=True)
def instance_in_tmp(app, tmp_path, monkeypatch):
    """Keep photos and PDFs made in this process out of the repository's instance folder."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))


@pytest.fixture
def login(client):
    """Log the test client in as a new account of ``role`` (trainer or staff)."""
    from ponte.extensions import db
    from workshops import services as workshop_services

    def do_login(role="staff"):
        import sqlalchemy as sa

        from workshops.access import add_to_team
        from workshops.models import Workshop

        email = f"{role}@publications.example"
        account = workshop_services.create_account(email, role.title(), "a long password", role)
        if role == "trainer":  # a trainer of the processes there are (the demo's)
            for workshop in db.session.scalars(sa.select(Workshop)):
                add_to_team(workshop, account)
        db.session.commit()
        response = client.post("/login", data={"email": email, "password": "a long password"})
        assert response.status_code == 302, response.get_data(as_text=True)
        return account

    return do_login


@pytest.fixture
def worker(app, runner, monkeypatch):
    """Run ``flask worker --once`` against the test database; its child renders each job.

    With PONTE_REDIS_URL in the app's config it is an RQ worker in burst mode.
    """
    import sqlalchemy as sa

    from ponte.extensions import db
    from publications.models import Publication

    monkeypatch.setenv("PONTE_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    made = []

    def run_once():
        result = runner.invoke(args=["worker", "--once"])
        assert result.exit_code == 0, result.output
        db.session.expire_all()
        made.extend(db.session.scalars(sa.select(Publication)).all())

    yield run_once
    for publication in made:  # the child keeps PDFs in the real instance folder
        Path(publication.path).unlink(missing_ok=True)
