"""Admins manage their organisation's accounts: invite, reset a password, deactivate.

Ponte sends no email: an invitation or a reset is a link the admin gives the person (it is
shown once). The link sets a password; it is signed with the app's secret, lasts
INVITATION_DAYS and works once (it names the account's password as it was).
"""

import secrets

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ponte.errors import PonteError
from ponte.extensions import db
from workshops.models import Account, Organisation
from workshops.services import check_password, create_account, create_organisation

INVITATION_DAYS = 7
_SALT = "ponte-set-password"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _stamp(account: Account) -> str:
    return account.password_hash[-12:]


def password_token(account: Account) -> str:
    return _serializer().dumps({"id": account.id, "stamp": _stamp(account)})


def password_link(account: Account) -> str:
    """A link that lets the account's owner set a password (an invitation or a reset)."""
    token = password_token(account)
    public = current_app.config["PONTE_PUBLIC_URL"]
    if public:
        return public.rstrip("/") + url_for("workshops.set_password", token=token)
    return url_for("workshops.set_password", token=token, _external=True)


def account_of_link(token: str) -> Account:
    """The account a password link is for; refuse an expired, used or forged one."""
    try:
        data = _serializer().loads(token, max_age=INVITATION_DAYS * 24 * 3600)
    except SignatureExpired:
        raise PonteError(
            "link_expired", _("This link has expired. Ask your admin for a new one."), 410
        ) from None
    except BadSignature:
        raise PonteError("bad_link", _("This link is not valid."), 404) from None
    account = db.session.get(Account, data.get("id")) if isinstance(data, dict) else None
    if account is None or not account.active or data.get("stamp") != _stamp(account):
        raise PonteError("bad_link", _("This link was used already or is not valid."), 404)
    return account


def set_password(account: Account, password: str) -> None:
    check_password(password)
    account.set_password(password)  # the link's stamp no longer matches: it worked once
    db.session.flush()


def invite(admin: Account, email: str, name: str, role: str) -> tuple[Account, str]:
    """Make an account of the admin's organisation, without a password; return its link."""
    require_admin(admin)
    account = create_account(
        email, name, None, role, db.session.get(Organisation, admin.organisation_id)
    )
    return account, password_link(account)


def invite_organisation(admin: Account, name: str, kind: str, email: str, person: str):
    """Make another organisation (a district of a region, a partner) with its first admin."""
    require_admin(admin)
    organisation = create_organisation(name, kind)
    account = create_account(email, person, None, "admin", organisation)
    return organisation, account, password_link(account)


def accounts_of(admin: Account) -> list[Account]:
    require_admin(admin)
    return list(
        db.session.scalars(
            sa.select(Account)
            .where(Account.organisation_id == admin.organisation_id)
            .order_by(Account.active.desc(), Account.name)
        )
    )


def managed_account(admin: Account, account_id: int) -> Account:
    """An account of the admin's own organisation (404 for any other)."""
    require_admin(admin)
    account = db.session.get(Account, account_id)
    if account is None or account.organisation_id != admin.organisation_id:
        raise PonteError("unknown_account", _("No such account."), 404)
    return account


def set_active(admin: Account, account: Account, active: bool) -> None:
    if account.id == admin.id and not active:
        raise PonteError("invalid", _("You cannot deactivate your own account."), 409)
    account.active = active
    db.session.flush()


def reset_link(admin: Account, account: Account) -> str:
    """A new password link; the old password stops working at once."""
    if not account.active:
        raise PonteError("invalid", _("Reactivate the account first."), 409)
    account.password_hash = "!" + secrets.token_hex(16)  # matches no password, nor old links
    db.session.flush()
    return password_link(account)


def require_admin(account: Account) -> None:
    if account.role != "admin":
        raise PonteError("forbidden", _("Only admins manage accounts."), 403)
