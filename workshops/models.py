"""A process (Workshop), the people in its roster (Participant), and staff Accounts."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ponte.extensions import db

ACCOUNT_ROLES = ("trainer", "staff")
PARTICIPANT_ROLES = ("migrant", "decision_maker", "mediator")


def utcnow() -> datetime:
    """Now, in UTC, naive (how every time is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def iso_utc(moment: datetime | None) -> str | None:
    """A stored time as the protocol writes it: ISO 8601 with a trailing Z."""
    return moment.isoformat() + "Z" if moment else None


class Account(UserMixin, db.Model):
    """A trainer or staff member who logs in with email and password."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[str] = mapped_column(sa.String(20), default="trainer")
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

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
    # Opens the public "what happened next" page of the process (printed as a QR code).
    public_key: Mapped[str | None] = mapped_column(sa.String(43), unique=True)
    # The booklet's cover: who ran the process and who paid for it.
    partners: Mapped[str] = mapped_column(sa.Text, default="")
    funding_line: Mapped[str] = mapped_column(sa.Text, default="")
    # Personal data is erased this many months after the process's last session
    # (``flask purge-expired``).
    retention_months: Mapped[int] = mapped_column(default=24, server_default="24")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "city": self.city, "languages": self.languages}

    def __repr__(self) -> str:
        return f"<Workshop {self.id} {self.title!r}>"


class Participant(db.Model):
    """Someone in a process's roster: joined a session by code, no account, a chosen name."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    display_name: Mapped[str] = mapped_column(sa.String(60))
    role: Mapped[str] = mapped_column(sa.String(20))
    language: Mapped[str] = mapped_column(sa.String(16))
    # How their words may be quoted in publications: named, anonymous, internal, never.
    quote_consent: Mapped[str] = mapped_column(sa.String(10), default="internal")
    # Set when staff (or the retention purge) erased them: their name is gone.
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
