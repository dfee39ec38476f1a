"""Privacy: consent, a participant's data copy, erasure, retention and the audit log of
what staff do with personal data (GDPR). The people on the tablets are vulnerable: their
names, words, voices and faces are theirs."""

from flask import Blueprint, Flask

bp = Blueprint("privacy", __name__)


def init_app(app: Flask) -> None:
    """Register the people pages and the purge-expired command."""
    from privacy import cli, routes  # noqa: F401  (register views on bp, commands on app)

    app.register_blueprint(bp)
    cli.init_app(app)
