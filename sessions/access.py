"""Who is looking at a session (a Viewer) and what they may do there."""

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa

from ponte.errors import PonteError
from ponte.extensions import db
from sessions.models import Attendance, WorkshopSession
from workshops.models import Account, Participant

STAFF_ROLES = ("trainer", "staff")
# action -> roles allowed. Staff manage every session for now (no per-process membership yet).
PERMISSIONS = {
    "read": {"trainer", "staff", "migrant", "decision_maker", "mediator"},
    "post": {"trainer", "staff", "migrant", "decision_maker", "mediator"},
    "moderate": {"trainer", "staff"},
}


MAX_ID = 2**63 - 1


def is_id(value: object) -> bool:
    """True for a whole number that can be a database id (not a bool, not out of range)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


@dataclass(frozen=True)
class Viewer:
    """A person connected to one session: a participant by token, or a logged-in account."""

    session_id: int
    role: str
    name: str
    language: str
    participant_id: int | None = None
    account_id: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def can(self, action: str) -> bool:
        return self.role in PERMISSIONS[action]

    def require(self, action: str) -> None:
        if not self.can(action):
            raise PonteError("forbidden", "You are not allowed to do this here.", 403)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def viewer_for_token(token: object) -> Viewer | None:
    """Return the participant Viewer that ``token`` opens, or None when it opens nothing."""
    if not isinstance(token, str) or not 20 <= len(token) <= 200:
        return None
    row = db.session.execute(
        sa.select(Attendance, Participant)
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(Attendance.token_hash == hash_token(token), Attendance.removed_at.is_(None))
    ).first()
    if row is None:
        return None
    attendance, participant = row
    return Viewer(
        session_id=attendance.session_id,
        role=participant.role,
        name=participant.display_name,
        language=participant.language,
        participant_id=participant.id,
    )


def viewer_for_account(account: Account, session_id: object) -> Viewer | None:
    """Return the staff Viewer of ``account`` in the session ``session_id``, if it exists."""
    if (
        not isinstance(session_id, int)
        or isinstance(session_id, bool)
        or not 0 < session_id < 2**63
    ):
        return None
    if db.session.get(WorkshopSession, session_id) is None:
        return None
    return Viewer(
        session_id=session_id,
        role=account.role,
        name=account.name,
        language="it",
        account_id=account.id,
    )
