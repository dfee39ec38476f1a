"""Which processes an account sees, and what it may do there.

- Staff and admins run every process of their organisation.
- A trainer sees the processes they are on (the team: its creator, the trainers staff put on
  it, the trainers of its sessions); on those they add sessions and run their own.
- Staff and admins of an organisation a process is shared with read it (as observers).
- Anyone else does not see it at all: a 404, never a hint that it exists.
"""

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from workshops.models import Account, ProcessShare, ProcessTrainer, Workshop

# What an account is on a process: "staff" runs all of it, "trainer" is on its team,
# "observer" reads it (shared with their organisation).
PROCESS_ROLES = ("staff", "trainer", "observer")


def process_role(account: Account, workshop: Workshop) -> str | None:
    """What ``account`` is on ``workshop``, or None when it may not see it."""
    if not account.is_authenticated or not account.active:
        return None
    if account.organisation_id == workshop.organisation_id:
        if account.is_staff:
            return "staff"
        return "trainer" if is_on_team(account.id, workshop.id) else None
    if account.is_staff and _shared_with(workshop.id, account.organisation_id):
        return "observer"
    return None


def is_on_team(account_id: int, workshop_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(ProcessTrainer.id).where(
                ProcessTrainer.workshop_id == workshop_id, ProcessTrainer.account_id == account_id
            )
        )
        is not None
    )


def _shared_with(workshop_id: int, organisation_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(ProcessShare.id).where(
                ProcessShare.workshop_id == workshop_id,
                ProcessShare.organisation_id == organisation_id,
            )
        )
        is not None
    )


def visible_workshops(account: Account) -> sa.Select:
    """The processes ``account`` sees, newest first."""
    query = sa.select(Workshop).order_by(Workshop.created_at.desc(), Workshop.id.desc())
    own = Workshop.organisation_id == account.organisation_id
    if account.is_staff:
        shared = Workshop.id.in_(
            sa.select(ProcessShare.workshop_id).where(
                ProcessShare.organisation_id == account.organisation_id
            )
        )
        return query.where(sa.or_(own, shared))
    team = Workshop.id.in_(
        sa.select(ProcessTrainer.workshop_id).where(ProcessTrainer.account_id == account.id)
    )
    return query.where(own, team)


def workshop_or_404(account: Account, workshop_id: int, run: bool = False) -> Workshop:
    """The process ``workshop_id`` if ``account`` sees it (404 otherwise); with ``run``, 403
    unless they may run it (staff of its organisation, or a trainer on its team)."""
    workshop = db.session.get(Workshop, workshop_id)
    role = process_role(account, workshop) if workshop is not None else None
    if role is None:
        abort(404)
    if run and role == "observer":
        raise PonteError("forbidden", _("You may read this process, not change it."), 403)
    return workshop


def require_staff(account: Account, workshop: Workshop) -> None:
    """Refuse all but the staff of the process's organisation (the Report, the settings)."""
    if process_role(account, workshop) != "staff":
        raise PonteError("forbidden", _("Only staff of this process may do this."), 403)


def add_to_team(workshop: Workshop, account: Account) -> None:
    """Put a trainer of the process's organisation on its team (idempotent). Flushes."""
    if account.organisation_id != workshop.organisation_id:
        raise PonteError(
            "forbidden", _("Only accounts of the process's organisation can be on its team.")
        )
    if not is_on_team(account.id, workshop.id):
        db.session.add(ProcessTrainer(workshop_id=workshop.id, account_id=account.id))
        db.session.flush()
