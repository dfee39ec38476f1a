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


def test_each_old_joining_becomes_its_own_person(app):
    """0008: nothing is merged silently; consent moves from the joining to its person."""
    import sqlalchemy as sa

    db.session.remove()
    flask_migrate.downgrade(revision="0007")
    with db.engine.begin() as connection:
        for statement in (
            "INSERT INTO account (id, email, name, role, password_hash, created_at)"
            " VALUES (1, 't@x.example', 'T', 'trainer', 'x', '2026-01-01')",
            "INSERT INTO workshop (id, title, city, languages, created_by_id, created_at,"
            " partners, funding_line, retention_months)"
            " VALUES (1, 'W', 'Prato', '[\"it\"]', 1, '2026-01-01', '', '', 24)",
            "INSERT INTO participant (id, workshop_id, display_name, role, language,"
            " quote_consent, created_at) VALUES (1, 1, 'Ada', 'migrant', 'it', 'named',"
            " '2026-01-01'), (2, 1, 'Ada', 'migrant', 'it', 'never', '2026-02-01')",
            "INSERT INTO audit_entry (workshop_id, account_id, actor, action, participant_id,"
            " details, created_at) VALUES (1, 1, 'T', 'data_copy', 2, '{}', '2026-02-02')",
        ):
            connection.exec_driver_sql(statement)
    flask_migrate.upgrade()
    with db.engine.connect() as connection:
        people = connection.execute(
            sa.text("SELECT id, display_name, quote_consent FROM person ORDER BY id")
        ).all()
        assert [tuple(p) for p in people] == [(1, "Ada", "named"), (2, "Ada", "never")]
        joinings = connection.execute(
            sa.text("SELECT id, person_id, origin_person_id FROM participant ORDER BY id")
        ).all()
        assert [tuple(j) for j in joinings] == [(1, 1, 1), (2, 2, 2)]
        badges = connection.execute(sa.text("SELECT badge_code FROM person")).scalars().all()
        assert len(set(badges)) == 2 and all(len(b) == 8 for b in badges)
        assert connection.execute(sa.text("SELECT person_id FROM audit_entry")).scalar() == 2
    flask_migrate.check()
    db.session.remove()
    flask_migrate.downgrade(revision="0007")  # and back: each joining takes its consent back
    with db.engine.connect() as connection:
        consents = (
            connection.execute(sa.text("SELECT quote_consent FROM participant ORDER BY id"))
            .scalars()
            .all()
        )
        assert consents == ["named", "never"]
    flask_migrate.upgrade()
