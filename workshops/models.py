"""A process (Workshop), its people (Person) and their joinings (Participant), staff Accounts
and the Organisations they belong to.

An account belongs to one organisation (a city, an association, a region); a process belongs
to one organisation, has a team of trainers (ProcessTrainer), and may be shared read-only with
other organisations (ProcessShare). Who sees what is in workshops/access.py.

A Person is one human across a whole process, pseudonymous: the first join creates them, and
a later join with their ``person_key`` (kept by the tablet) or their printed badge is them
again. Every join of a session is a Participant row (a joining) pointing at its Person; consent
is the person's, once, for all their joinings.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ponte.extensions import db

# Admins are staff who also manage their organisation's accounts.
ACCOUNT_ROLES = ("trainer", "staff", "admin")
ORGANISATION_KINDS = ("city", "association", "region", "other")
PARTICIPANT_ROLES = ("migrant", "decision_maker", "mediator")
# How a person's words may be quoted: with their name, without it, only in the internal
# report, or nowhere at all.
QUOTE_CONSENTS = ("named", "anonymous", "internal", "never")


def utcnow() -> datetime:
    """Now, in UTC, naive (how every time is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def iso_utc(moment: datetime | None) -> str | None:
    """A stored time as the protocol writes it: ISO 8601 with a trailing Z."""
    return moment.isoformat() + "Z" if moment else None


class Organisation(db.Model):
    """A city, an association or a region: its accounts and its processes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="city")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class Account(UserMixin, db.Model):
    """A trainer, staff member or admin of an organisation; logs in with email and password."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[str] = mapped_column(sa.String(20), default="trainer")
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    # A deactivated account cannot log in; its name stays on what it did.
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_staff(self) -> bool:
        """Staff and admins run every process of their organisation."""
        return self.role in ("staff", "admin")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<Account {self.id} {self.email}>"


class Workshop(db.Model):
    """A participatory process in one city: its sessions, people and publications."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    city: Mapped[str] = mapped_column(sa.String(120))
    # Language codes of the process, first = main language, e.g. ["it", "en", "zh", "ar"].
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    # Opens the public "what happened next" page of the process (printed as a QR code).
    public_key: Mapped[str | None] = mapped_column(sa.String(43), unique=True)
    # The covers: who ran the process (one partner a line; logos in PartnerLogo) and who paid.
    partners: Mapped[str] = mapped_column(sa.Text, default="")
    funding_line: Mapped[str] = mapped_column(sa.Text, default="")
    # AMIF/FAMI-funded processes print the EU emblem with this statement on the covers.
    eu_funded: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    eu_statement: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Said on the tablets above the consent question, in the process's first language.
    consent_wording: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Personal data is erased this many months after the process's last session
    # (``flask purge-expired``).
    retention_months: Mapped[int] = mapped_column(default=24, server_default="24")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "city": self.city,
            "languages": self.languages,
            "consent_wording": self.consent_wording or "",
        }

    def __repr__(self) -> str:
        return f"<Workshop {self.id} {self.title!r}>"


class ProcessTrainer(db.Model):
    """A trainer on a process's team: they see it, add sessions and run their own."""

    __table_args__ = (sa.UniqueConstraint("workshop_id", "account_id", name="uq_process_trainer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"), index=True)


class ProcessShare(db.Model):
    """Another organisation's staff may read this process (a region, its districts')."""

    __table_args__ = (
        sa.UniqueConstraint("workshop_id", "organisation_id", name="uq_process_share"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)


class Person(db.Model):
    """One human across a process: every session they joined, one consent, one pseudonym."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    # The name they gave most recently (a nickname is fine); the Report never prints it.
    display_name: Mapped[str] = mapped_column(sa.String(60))
    role: Mapped[str] = mapped_column(sa.String(20))
    language: Mapped[str] = mapped_column(sa.String(16))
    quote_consent: Mapped[str] = mapped_column(sa.String(10), default="internal")
    # Photos in which they can be recognised may be published (only when True).
    photo_consent: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # When they answered the consent question (on the tablet, or staff set it): asked once.
    consent_asked_at: Mapped[datetime | None]
    # Printed on their badge (QR code + this short code): joins a shared tablet as them.
    badge_code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    # With the app's secret, makes their person_key; a new nonce revokes every old key.
    key_nonce: Mapped[str] = mapped_column(sa.String(32))
    # Added by a trainer or mediator for someone who has no device of their own.
    without_device: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # A trainer merged this entry into another person (the same human): that one counts.
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    # Set when staff (or the retention purge) erased them: their name is gone everywhere.
    erased_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def consent_dict(self) -> dict:
        return {
            "quote": self.quote_consent,
            "photos": self.photo_consent,
            "asked": self.consent_asked_at is not None,
        }

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.role}>"


class Participant(db.Model):
    """One joining of a session by a person: the name they typed, their role there, a token."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    # The person this joining counts for (after any merge).
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    # The person it was made for when it joined: splitting a wrong merge returns it there.
    origin_person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    display_name: Mapped[str] = mapped_column(sa.String(60))
    role: Mapped[str] = mapped_column(sa.String(20))
    language: Mapped[str] = mapped_column(sa.String(16))
    # Set when staff (or the retention purge) erased their person: their name is gone.
    erased_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.display_name,
            "role": self.role,
            "language": self.language,
        }

    def __repr__(self) -> str:
        return f"<Participant {self.id} {self.display_name!r} {self.role}>"
