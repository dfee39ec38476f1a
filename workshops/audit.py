"""The audit log of staff actions on personal data. It lives with the roster (the lowest
domain), so every domain can write to it; privacy/ shows it."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ponte.extensions import db
from workshops.models import iso_utc, utcnow

# What the audit log records (action -> what it means, for the log page).
AUDITED_ACTIONS = {
    "consent_changed": _l("changed how someone may be quoted"),
    "data_copy": _l("downloaded someone's data"),
    "participant_erased": _l("erased someone"),
    "participant_removed": _l("removed someone from a session"),
    "retention_changed": _l("changed how long personal data is kept"),
    "expired_purged": _l("erased personal data past its retention period"),
    "photo_deleted": _l("deleted a photo"),
    "people_merged": _l("merged two entries of the same person"),
    "person_split": _l("split a wrong merge"),
    "data_exported": _l("exported the process's data"),
    "activity_added": _l("added an activity"),
    "activity_changed": _l("changed an activity"),
    "activity_deleted": _l("deleted an activity"),
    "attendee_added": _l("added someone to an activity"),
    "attendee_removed": _l("removed someone from an activity"),
}


class AuditEntry(db.Model):
    """One staff action on personal data: who, when, what, about whom (never their name)."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    # None: the purge-expired command, run by the machine.
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    actor: Mapped[str] = mapped_column(sa.String(120))
    action: Mapped[str] = mapped_column(sa.String(40))
    # The person it was about (their number, never their name); a session action names the
    # joining too.
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"))
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "workshop_id": self.workshop_id,
            "actor": self.actor,
            "action": self.action,
            "person_id": self.person_id,
            "participant_id": self.participant_id,
            "details": self.details,
            "created_at": iso_utc(self.created_at),
        }

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} p={self.participant_id}>"


def audit(
    workshop_id: int,
    account,
    action: str,
    participant_id: int | None = None,
    person_id: int | None = None,
    **details,
) -> AuditEntry:
    """Write down one staff action on personal data (``account`` None: a command did it)."""
    if person_id is None and participant_id is not None:
        from workshops.models import Participant

        person_id = db.session.scalar(
            sa.select(Participant.person_id).where(Participant.id == participant_id)
        )
    entry = AuditEntry(
        workshop_id=workshop_id,
        account_id=account.id if account else None,
        actor=account.name if account else "purge-expired",
        action=action,
        person_id=person_id,
        participant_id=participant_id,
        details=details,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
