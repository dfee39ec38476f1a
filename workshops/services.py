"""Verbs on processes and accounts. They flush, never commit."""

import re
import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from workshops.access import add_to_team
from workshops.models import (
    ACCOUNT_ROLES,
    ORGANISATION_KINDS,
    Account,
    Organisation,
    ProcessShare,
    ProcessTrainer,
    Workshop,
)

# The organisation of accounts made without one (tests, a one-city installation).
DEFAULT_ORGANISATION = "Ponte"

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
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


def create_organisation(name: str, kind: str = "city") -> Organisation:
    """Create a city, an association or a region."""
    name = " ".join(name.split())
    if not name or len(name) > 160:
        raise PonteError("invalid", _("An organisation needs a name of at most 160 characters."))
    if kind not in ORGANISATION_KINDS:
        raise PonteError(
            "invalid", _("kind must be one of %(values)s.", values=", ".join(ORGANISATION_KINDS))
        )
    if db.session.scalar(sa.select(Organisation).where(Organisation.name == name)):
        raise PonteError("name_taken", _("An organisation with this name exists."), 409)
    organisation = Organisation(name=name, kind=kind)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def organisation_named(name: str, kind: str = "city") -> Organisation:
    """The organisation called ``name``, created if there is none."""
    found = db.session.scalar(sa.select(Organisation).where(Organisation.name == name.strip()))
    return found or create_organisation(name, kind)


def first_organisation() -> Organisation:
    """Where accounts and processes made without an organisation go (a one-city installation):
    the oldest organisation, or a new one called DEFAULT_ORGANISATION."""
    oldest = db.session.scalar(sa.select(Organisation).order_by(Organisation.id).limit(1))
    return oldest or create_organisation(DEFAULT_ORGANISATION, "other")


def create_account(
    email: str,
    name: str,
    password: str | None,
    role: str = "trainer",
    organisation: Organisation | None = None,
) -> Account:
    """Create a trainer, staff or admin account of ``organisation`` (without one: the first).
    Without a password, nobody can log in to it until an invitation link has set one."""
    if role not in ACCOUNT_ROLES:
        raise PonteError(
            "invalid_role", _("role must be one of %(values)s.", values=", ".join(ACCOUNT_ROLES))
        )
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise PonteError("invalid_email", _("This is not an email address."))
    if not name.strip():
        raise PonteError("invalid", _("An account needs a name."))
    if db.session.scalar(sa.select(Account).where(Account.email == email)):
        raise PonteError("email_taken", _("An account with this email exists."), 409)
    if password is not None:
        check_password(password)
    organisation = organisation or first_organisation()
    account = Account(
        email=email, name=name.strip()[:120], role=role, organisation_id=organisation.id
    )
    if password is None:
        account.password_hash = "!" + secrets.token_hex(16)  # matches no password
    else:
        account.set_password(password)
    db.session.add(account)
    db.session.flush()
    return account


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise PonteError(
            "weak_password",
            _("A password needs at least %(count)s characters.", count=MIN_PASSWORD),
        )


def authenticate(email: str, password: str) -> Account | None:
    """Return the account for these credentials, or None."""
    account = db.session.scalar(sa.select(Account).where(Account.email == email.strip().lower()))
    if account is None or not account.active or not account.check_password(password):
        return None
    return account


def create_workshop(title: str, city: str, languages: str | list[str], creator: Account | None):
    """Create a process of the creator's organisation, with the creator on its team."""
    title, city = title.strip(), city.strip()
    if not title or not city:
        raise PonteError("invalid", _("A process needs a title and a city."))
    workshop = Workshop(
        title=title,
        city=city,
        languages=parse_languages(languages),
        created_by_id=creator.id if creator else None,
        organisation_id=(creator.organisation_id if creator else first_organisation().id),
        public_key=secrets.token_urlsafe(32),
    )
    db.session.add(workshop)
    db.session.flush()
    if creator is not None and not creator.is_staff:
        add_to_team(workshop, creator)
    return workshop


def team(workshop: Workshop) -> list[Account]:
    """The trainers on a process's team, by name."""
    return list(
        db.session.scalars(
            sa.select(Account)
            .join(ProcessTrainer, ProcessTrainer.account_id == Account.id)
            .where(ProcessTrainer.workshop_id == workshop.id)
            .order_by(Account.name)
        )
    )


def set_team(workshop: Workshop, account_ids: list[int]) -> None:
    """Make exactly these trainers of the organisation the process's team. Flushes."""
    wanted = set(account_ids)
    for member in db.session.scalars(
        sa.select(ProcessTrainer).where(ProcessTrainer.workshop_id == workshop.id)
    ):
        if member.account_id not in wanted:
            db.session.delete(member)
    db.session.flush()
    for account_id in sorted(wanted):
        account = db.session.get(Account, account_id)
        if account is None:
            raise PonteError("unknown_account", _("No such account."), 404)
        add_to_team(workshop, account)


def shared_with(workshop: Workshop) -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .join(ProcessShare, ProcessShare.organisation_id == Organisation.id)
            .where(ProcessShare.workshop_id == workshop.id)
            .order_by(Organisation.name)
        )
    )


def set_shares(workshop: Workshop, organisation_ids: list[int]) -> None:
    """Share the process read-only with exactly these other organisations. Flushes."""
    wanted = set(organisation_ids) - {workshop.organisation_id}
    for share in db.session.scalars(
        sa.select(ProcessShare).where(ProcessShare.workshop_id == workshop.id)
    ):
        if share.organisation_id in wanted:
            wanted.discard(share.organisation_id)
        else:
            db.session.delete(share)
    for organisation_id in sorted(wanted):
        if db.session.get(Organisation, organisation_id) is None:
            raise PonteError("unknown_organisation", _("No such organisation."), 404)
        db.session.add(ProcessShare(workshop_id=workshop.id, organisation_id=organisation_id))
    db.session.flush()
