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
