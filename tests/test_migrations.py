"""The Alembic migrations build the schema the models describe, and go both ways."""

import flask_migrate

from ponte.extensions import db


def test_the_models_match_the_migrations(app):
    # Raises if autogenerate would find a difference between models and migrated schema.
    flask_migrate.check()


def test_migrations_go_down_and_up_again(app):
    db.session.remove()
    flask_migrate.downgrade(revision="base")
    flask_migrate.upgrade()
    flask_migrate.check()


def test_a_database_with_data_upgrades_from_the_first_revision(app):
    """Real databases have rows that reference the tables a migration rebuilds."""
    import sqlalchemy as sa

    db.session.remove()
    flask_migrate.downgrade(revision="base")
    flask_migrate.upgrade(revision="0001")
    with db.engine.begin() as connection:
        for statement in (
            "INSERT INTO account (id, email, name, role, password_hash, created_at)"
            " VALUES (1, 't@x.example', 'T', 'trainer', 'x', '2026-01-01')",
            "INSERT INTO workshop (id, title, city, languages, created_by_id, created_at)"
            " VALUES (1, 'W', 'Prato', '[\"it\"]', 1, '2026-01-01')",
            "INSERT INTO workshop_session (id, workshop_id, kind, title, place, status, last_seq,"
            " created_at) VALUES (1, 1, 'co_projecting', 'S', '', 'live', 1, '2026-01-01')",
            "INSERT INTO participant (id, workshop_id, display_name, role, language, created_at)"
            " VALUES (1, 1, 'Ada', 'migrant', 'it', '2026-01-01')",
            "INSERT INTO attendance (id, session_id, participant_id, token_hash, joined_at)"
            " VALUES (1, 1, 1, 'h', '2026-01-01')",
            "INSERT INTO post (id, session_id, client_id, participant_id, author_name, author_role,"
            " text, language, hidden, seq, created_at) VALUES (1, 1, 'c', 1, 'Ada', 'migrant',"
            " 'hello', 'it', 0, 1, '2026-01-01')",
        ):
            connection.exec_driver_sql(statement)
    flask_migrate.upgrade()
    with db.engine.connect() as connection:
        row = connection.execute(
            sa.text("SELECT phase, projector_key IS NOT NULL FROM workshop_session")
        ).one()
        assert tuple(row) == ("frame", 1)
        assert connection.execute(sa.text("SELECT text FROM post")).scalar_one() == "hello"
        key = connection.execute(sa.text("SELECT public_key FROM workshop")).scalar_one()
        assert key and len(key) >= 40
    flask_migrate.check()
