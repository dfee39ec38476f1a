"""Processes (workshops), their roster of participants, and staff accounts."""

from flask import Blueprint, Flask

bp = Blueprint("workshops", __name__)


def init_app(app: Flask) -> None:
    """Register the staff pages and the login loader."""
    from ponte.extensions import db, login_manager
    from workshops import (  # noqa: F401  (models; views on bp)
        activity_models,
        admin_routes,
        audit,
        routes,
        settings_routes,
    )
    from workshops.models import Account
    from workshops.times import time_range

    @login_manager.user_loader
    def load_account(account_id: str):
        account = db.session.get(Account, int(account_id)) if account_id.isdigit() else None
        return account if account is not None and account.active else None  # deactivated: out

    login_manager.login_view = "workshops.login"
    app.add_template_global(time_range, "time_range")
    app.register_blueprint(bp)
    from workshops.cli import create_account

    app.cli.add_command(create_account)
