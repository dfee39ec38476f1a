"""Who is looking at a session (a Viewer) and what they may do there."""

import hashlib
import hmac
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from sessions.models import Attendance, WorkshopSession
from workshops.access import process_role
from workshops.models import Account, Participant, Workshop

STAFF_ROLES = ("trainer", "staff")
PARTICIPANT_ROLES = ("migrant", "decision_maker", "mediator")
# Who may do what in a session. "trainer" is the account running this session; "observer" is
# another trainer's account (may watch, not run); "projector" is the read-only wall view.
PERMISSIONS = {
    "read": {"staff", "trainer", "observer", "mediator", "decision_maker", "migrant", "projector"},
    "post": {"staff", "trainer", "mediator", "decision_maker", "migrant"},
    "vote": {"mediator", "decision_maker", "migrant"},
    "choose_group": {"mediator", "decision_maker", "migrant"},
    "commit": {"staff", "trainer", "decision_maker"},
    "facilitate": {"staff", "trainer"},
    # Mediators bridge languages: translate and transcribe notes, write for someone else.
    "translate": {"staff", "trainer", "mediator"},
    "write_for": {"staff", "trainer", "mediator"},
    "react": {"mediator", "decision_maker", "migrant"},
    "set_language": {"mediator", "decision_maker", "migrant"},
    # A person answers how they may be quoted and photographed, on their own tablet.
    "consent": {"mediator", "decision_maker", "migrant"},
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
        """True for accounts (trainers, staff, observers): they see names and hidden notes."""
        return self.account_id is not None

    def can(self, action: str) -> bool:
        return self.role in PERMISSIONS[action]

    def require(self, action: str) -> None:
        if not self.can(action):
            raise PonteError("forbidden", _("You are not allowed to do this here."), 403)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def viewer_for_token(token: object) -> Viewer | None:
    """Return the participant Viewer that ``token`` opens, or None when it opens nothing."""
    if not isinstance(token, str) or not 20 <= len(token) <= 200 or not token.isascii():
        return None  # tokens are URL-safe ASCII; a lone surrogate would not even hash
    row = db.session.execute(
        sa.select(Attendance, Participant)
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(
            Attendance.token_hash == hash_token(token),
            Attendance.removed_at.is_(None),
            Attendance.waiting.is_(False),
        )
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
    """Return the Viewer of a logged-in ``account`` in the session ``session_id``: None when the
    session does not exist or its process is not theirs to see (workshops/access.py)."""
    if not is_id(session_id):
        return None
    ws = db.session.get(WorkshopSession, session_id)
    if ws is None:
        return None
    workshop = db.session.get(Workshop, ws.workshop_id)
    on_process = process_role(account, workshop)
    if on_process is None:
        return None
    if on_process == "staff":
        role = "staff"
    elif on_process == "trainer" and (
        ws.trainer_id == account.id
        or (ws.trainer_id is None and workshop.created_by_id == account.id)
    ):
        role = "trainer"  # a session without a trainer is run by its process's creator
    else:
        role = "observer"  # another trainer of the team, or staff the process is shared with
    return Viewer(
        session_id=ws.id, role=role, name=account.name, language="it", account_id=account.id
    )


def viewer_for_projector(session_id: object, key: object) -> Viewer | None:
    """Return the read-only projector Viewer when ``key`` is the session's projector key."""
    if not is_id(session_id) or not isinstance(key, str) or not 20 <= len(key) <= 100:
        return None
    ws = db.session.get(WorkshopSession, session_id)
    if ws is None or ws.projector_key is None or not key.isascii():
        return None  # compare_digest() raises TypeError on non-ASCII characters
    if not hmac.compare_digest(ws.projector_key, key):
        return None
    return Viewer(session_id=ws.id, role="projector", name="Projector", language="it")


def account_may_run(account: Account, session_id: int | None, workshop: Workshop | None = None):
    """True when a logged-in account may run this session or, without one, the process
    ``workshop`` (add sessions, people, photos, publications: its staff or team)."""
    if session_id is None:
        return workshop is not None and process_role(account, workshop) in ("staff", "trainer")
    viewer = viewer_for_account(account, session_id)
    return viewer is not None and viewer.can("facilitate")


def require_account_may_run(account: Account, session_id: int | None, workshop=None):
    """Refuse a logged-in account that may only watch (another trainer's session)."""
    if not account_may_run(account, session_id, workshop):
        raise PonteError(
            "forbidden", _("Only the trainer of this session or staff can do this."), 403
        )
