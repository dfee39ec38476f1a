"""A process's settings: its title, city and languages, what its covers print (partners, the
funding line, the EU emblem and statement), the consent wording, the team and who it is
shared with, and how long personal data is kept. Verbs flush, never commit."""

import sqlalchemy as sa
from flask_babel import gettext as _
from wtforms import SelectChoice

from ponte.errors import PonteError
from ponte.extensions import db
from workshops.audit import audit
from workshops.models import Account, Organisation, Workshop
from workshops.services import parse_languages, set_shares, set_team

MAX_RETENTION_MONTHS = 120
# Printed beside the EU emblem when the process is EU-funded and no statement is given.
DEFAULT_EU_STATEMENT = "Co-funded by the European Union"


def update_settings(
    account: Account,
    workshop: Workshop,
    *,
    title: str,
    city: str,
    languages: str,
    partners: str,
    funding_line: str,
    eu_funded: bool,
    eu_statement: str,
    retention_months: object,
    consent_wording: str,
    team: list[int],
    shares: list[int],
) -> None:
    """Save every setting at once; refuse (and change nothing) if one is wrong."""
    title, city = " ".join(title.split()), " ".join(city.split())
    if not title or not city:
        raise PonteError("invalid", _("A process needs a title and a city."))
    parsed = parse_languages(languages)
    workshop.title, workshop.city, workshop.languages = title[:200], city[:120], parsed
    workshop.partners = "\n".join(line.strip() for line in partners.splitlines() if line.strip())
    workshop.funding_line = funding_line.strip()
    workshop.eu_funded = bool(eu_funded)
    workshop.eu_statement = eu_statement.strip() or (DEFAULT_EU_STATEMENT if eu_funded else "")
    workshop.consent_wording = consent_wording.strip()
    set_retention(account, workshop, retention_months)
    set_team(workshop, team)
    set_shares(workshop, shares)
    db.session.flush()


def set_retention(account: Account, workshop: Workshop, months: object) -> None:
    if not isinstance(months, int) or isinstance(months, bool):
        raise PonteError("invalid_months", _("Give a whole number of months."))
    if not 1 <= months <= MAX_RETENTION_MONTHS:
        raise PonteError(
            "invalid_months",
            _("Keep personal data from 1 to %(max)s months.", max=MAX_RETENTION_MONTHS),
        )
    if workshop.retention_months != months:
        audit(
            workshop.id,
            account,
            "retention_changed",
            before=workshop.retention_months,
            after=months,
        )
        workshop.retention_months = months
        db.session.flush()


def team_choices(workshop: Workshop) -> list[SelectChoice]:
    """The active trainers of the process's organisation."""
    return [
        SelectChoice(a.id, a.name)
        for a in db.session.scalars(
            sa.select(Account)
            .where(
                Account.organisation_id == workshop.organisation_id,
                Account.role == "trainer",
                Account.active.is_(True),
            )
            .order_by(Account.name)
        )
    ]


def share_choices(workshop: Workshop) -> list[SelectChoice]:
    """Every other organisation (a region, a district, a partner city)."""
    return [
        SelectChoice(o.id, o.name)
        for o in db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.id != workshop.organisation_id)
            .order_by(Organisation.name)
        )
    ]
