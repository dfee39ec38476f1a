"""Ponte's wiring: configuration, extensions, domains, errors, command line. Nothing else."""

import logging
import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from ponte import cli, config, database, i18n, security, uploads
from ponte.errors import register_error_handlers
from ponte.extensions import csrf, db, limiter, login_manager, migrate, socketio

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseIdConverter(IntegerConverter):
    """``<int:…>`` in Ponte's URLs: a whole number a database id can be."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Ponte app: defaults from the environment, then ``test_config`` on top."""
    app = Flask(__name__, instance_relative_config=True)
    # Ids in URLs are database ids: a number past 2**63 - 1 is a 404, not an overflow.
    app.url_map.converters["int"] = DatabaseIdConverter
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.from_environment(Path(app.instance_path)))
    if test_config:
        app.config.update(test_config)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    import privacy
    import prototypes
    import publications
    import sessions
    import workshops

    db.init_app(app)
    with app.app_context():
        database.configure_engine(db.engine, app.config["PONTE_SQLITE_SYNCHRONOUS"])
    database.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    login_manager.init_app(app)
    i18n.init_app(app)
    app.before_request(uploads.allow_large_uploads)  # before CSRF reads the form
    csrf.init_app(app)
    limiter.init_app(app)
    workshops.init_app(app)
    sessions.init_app(app)
    prototypes.init_app(app)
    publications.init_app(app)
    privacy.init_app(app)
    # After the domains: handlers declared with @socketio.on are bound when init_app runs.
    socketio.init_app(
        app,
        async_mode="gevent",
        message_queue=app.config["PONTE_REDIS_URL"],
        # None = same origin only; PONTE_ALLOWED_ORIGINS adds a listed few, never "*".
        cors_allowed_origins=app.config["PONTE_ALLOWED_ORIGINS"] or None,
        max_http_buffer_size=64 * 1024,
    )

    if app.config["PONTE_BEHIND_PROXY"]:
        # Trust one proxy's X-Forwarded-* so rate limits see the tablet's address, not nginx's.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    register_error_handlers(app)
    security.init_app(app)
    cli.init_app(app)
    return app
