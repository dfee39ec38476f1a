"""Fixtures: a real database per test (migrated once), the app, and factories.

SQLite by default. With ``PONTE_TEST_DATABASE=postgresql`` the same tests run on a private
PostgreSQL server started for the run (scripts/test.sh runs the domain tests both ways):
each test gets its own database, copied from a migrated template.
"""

import itertools
import os
import shutil
import uuid

import pytest
from flask import g
from flask_migrate import upgrade

os.environ.setdefault("PONTE_SECRET_KEY", "test-secret-key")

from app import create_app  # noqa: E402
from ponte.extensions import db, socketio  # noqa: E402
from sessions import services as session_services  # noqa: E402
from workshops import services as workshop_services  # noqa: E402

TRAINER_EMAIL = "trainer@test.example"
TRAINER_PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """A SQLite file with every Alembic migration applied, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "ponte.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


ON_POSTGRESQL = os.environ.get("PONTE_TEST_DATABASE") == "postgresql"
_database_names = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_template():
    """With PONTE_TEST_DATABASE=postgresql: a PostgreSQL server and a migrated template."""
    if not ON_POSTGRESQL:
        yield None
        return
    from tests.servers import PostgresServer

    server = PostgresServer(durable=False)
    server.start()
    url = server.create_database("ponte_template")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield server
    server.stop()


@pytest.fixture
def database_url(migrated_database, postgres_template, tmp_path):
    """Make a fresh database for one app: a copy of the migrated SQLite file or template."""
    made = []

    def make() -> str:
        if postgres_template is None:
            path = tmp_path / f"ponte-{len(made)}.sqlite3"
            shutil.copy(migrated_database, path)
            made.append(path)
            return f"sqlite:///{path}"
        name = f"ponte_test_{next(_database_names)}"
        made.append(name)
        return postgres_template.create_database(name, template="ponte_template")

    yield make
    if postgres_template is not None:
        for name in made:
            postgres_template.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def make_app(database_url, tmp_path):
    """Create an app on a fresh copy of the migrated database, with config overrides."""
    made = []

    def make(**overrides):
        config = {
            "SQLALCHEMY_DATABASE_URI": database_url(),
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "PONTE_JOIN_FAILURES_LIMIT": "5 per minute",
            "PONTE_FILES_DIR": str(tmp_path / f"files-{len(made)}"),
        }
        app = create_app({**config, **overrides})

        @app.teardown_request
        def _forget_the_login(_error):
            # Tests keep an app context open, which requests then share: without this,
            # Flask-Login's user cached in ``g`` would follow one client's login into
            # another client's requests.
            g.pop("_login_user", None)

        made.append(app)
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def trainer(app):
    account = workshop_services.create_account(TRAINER_EMAIL, "Tina Trainer", TRAINER_PASSWORD)
    db.session.commit()
    return account


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email=TRAINER_EMAIL, password=TRAINER_PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client, trainer):
    return AuthActions(client)


@pytest.fixture
def make_workshop(trainer):
    def make(title="Prato listens", city="Prato", languages=("it", "en", "zh", "ar")):
        workshop = workshop_services.create_workshop(title, city, list(languages), trainer)
        db.session.commit()
        return workshop

    return make


@pytest.fixture
def make_session(make_workshop):
    """Create a session, live unless told otherwise."""

    def make(kind="listening", title="Listening", live=True, workshop=None):
        workshop = workshop or make_workshop()
        ws = session_services.create_session(workshop, kind, title)
        if live:
            session_services.open_session(ws)
        db.session.commit()
        return ws

    return make


@pytest.fixture
def join(client):
    """Join a session through the public API; return its JSON (participant_id, token...)."""

    def do_join(ws, name="Amina", role="migrant", language="ar"):
        response = client.post(
            "/api/join",
            json={"code": ws.join_code, "name": name, "role": role, "language": language},
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return do_join


@pytest.fixture
def socket_for(app):
    """Open a Socket.IO test client: for a participant token, or for a logged-in Flask client."""
    opened = []

    def connect(token=None, flask_client=None, session_id=None):
        auth = {"token": token} if token is not None else {"session_id": session_id}
        sio = socketio.test_client(app, auth=auth, flask_test_client=flask_client)
        opened.append(sio)
        return sio

    yield connect
    for sio in opened:
        if sio.is_connected():
            sio.disconnect()


def new_client_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def live_server(tmp_path):
    """A real Ponte process with the demo process loaded; ``.demo`` holds seed-demo's JSON."""
    from tests.servers import PonteServer

    server = PonteServer(tmp_path)
    server.demo = server.seed_demo()
    server.start()
    yield server
    server.stop()
