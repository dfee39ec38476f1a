"""``flask copy-database``: a process that began on SQLite moves to PostgreSQL whole."""

import uuid

import pytest
import sqlalchemy as sa

from app import create_app
from ponte.extensions import db
from sessions import services
from sessions.access import Viewer
from sessions.models import Post, WorkshopSession
from tests.servers import PostgresServer


@pytest.fixture(scope="module")
def postgres():
    server = PostgresServer(durable=False)
    server.start()
    yield server
    server.stop()


def counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        found = {
            table.name: connection.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }
    engine.dispose()
    return found


def test_the_demo_moves_from_sqlite_to_postgresql_and_goes_on(app, runner, postgres):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    target = postgres.create_database("moved")
    result = runner.invoke(args=["copy-database", target])
    assert result.exit_code == 0, result.output
    assert "Copied" in result.output

    before = counts(app.config["SQLALCHEMY_DATABASE_URI"])
    assert before["post"] > 5 and before["prototype"] == 3
    assert counts(target) == before

    moved = create_app({"SQLALCHEMY_DATABASE_URI": target})
    with moved.app_context():
        ws = db.session.scalar(sa.select(WorkshopSession).where(WorkshopSession.status == "live"))
        last_id = db.session.scalar(sa.select(sa.func.max(Post.id)))
        staff = Viewer(ws.id, "staff", "Staff", "it", account_id=ws.trainer_id)
        post, _event = services.create_post(staff, client_id=str(uuid.uuid4()), text="Still here")
        db.session.commit()
        assert post.id == last_id + 1  # the id sequences go on after the copied rows
        db.session.remove()
        db.engine.dispose()


def test_copying_into_a_database_that_holds_data_is_refused(app, runner, postgres):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    target = postgres.create_database("already_full")
    assert runner.invoke(args=["copy-database", target]).exit_code == 0
    again = runner.invoke(args=["copy-database", target])
    assert again.exit_code != 0
    assert "already holds data" in again.output
    assert runner.invoke(args=["copy-database", "mysql://nope"]).exit_code != 0
