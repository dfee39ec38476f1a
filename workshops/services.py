"""Verbs on processes and accounts. They flush, never commit."""

import re
import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from workshops.models import ACCOUNT_ROLES, Account, Workshop

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


def parse_languages(raw: str | list[str]) -> list[str]:
    """Turn "it, en zh" (or a list) into ["it", "en", "zh"]; refuse malformed codes."""
    items = raw if isinstance(raw, list) else re.split(r"[\s,;]+", raw)
    languages: list[str] = []
    for item in items:
        code = item.strip()
        if not code:
            continue
        if not LANGUAGE_CODE.match(code):
            raise PonteError(
                "invalid_language",
                _("'%(code)s' is not a language code like 'it'.", code=code[:20]),
            )
        if code not in languages:
            languages.append(code)
    if not languages:
        raise PonteError("invalid_language", _("Give at least one language, e.g. 'it'."))
    return languages


def create_account(email: str, name: str, password: str, role: str = "trainer") -> Account:
    """Create a trainer or staff account with a hashed password."""
    if role not in ACCOUNT_ROLES:
        raise PonteError(
            "invalid_role", _("role must be one of %(values)s.", values=", ".join(ACCOUNT_ROLES))
        )
    email = email.strip().lower()
    if db.session.scalar(sa.select(Account).where(Account.email == email)):
        raise PonteError("email_taken", _("An account with this email exists."), 409)
    account = Account(email=email, name=name.strip(), role=role)
    account.set_password(password)
    db.session.add(account)
    db.session.flush()
    return account


def authenticate(email: str, password: str) -> Account | None:
    """Return the account for these credentials, or None."""
    account = db.session.scalar(sa.select(Account).where(Account.email == email.strip().lower()))
    if account is None or not account.check_password(password):
        return None
    return account


def create_workshop(title: str, city: str, languages: str | list[str], creator: Account | None):
    """Create a process."""
    title, city = title.strip(), city.strip()
    if not title or not city:
        raise PonteError("invalid", _("A process needs a title and a city."))
    workshop = Workshop(
        title=title,
        city=city,
        languages=parse_languages(languages),
        created_by_id=creator.id if creator else None,
        public_key=secrets.token_urlsafe(32),
    )
    db.session.add(workshop)
    db.session.flush()
    return workshop
