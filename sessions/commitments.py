"""Commitments of decision makers: what, who, by when, and their public follow-up.

Recorded live in a session (face-to-face meetings, later prototype feedback) and listed per
process with their status. Services flush, never commit.
"""

import datetime as dt

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from sessions.access import Viewer, is_id
from sessions.models import COMMITMENT_STATUSES, AgendaItem, Commitment, SessionEvent
from sessions.services import append_event, check_belongs, clean_text, writable_session
from workshops.models import utcnow

MAX_WHAT = 1000
MAX_WHO = 200
MAX_UPDATE = 1000


def _text(value: object, name: str, limit: int, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise PonteError(f"invalid_{name}", _("'%(name)s' must be a text.", name=name))
    value = clean_text(value)
    if (required and not value) or len(value) > limit:
        raise PonteError(
            f"invalid_{name}",
            _("'%(name)s' needs 1 to %(limit)s characters.", name=name, limit=limit),
        )
    return value


def _date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise PonteError(
            "invalid_by_when", _("'by_when' must be a date like 2026-06-30.")
        ) from None


def record_commitment(
    viewer: Viewer,
    what: object,
    who: object,
    by_when: object = None,
    agenda_item_id: int | None = None,
) -> tuple[Commitment, SessionEvent]:
    """A decision maker (or the trainer on their behalf) commits to something."""
    viewer.require("commit")
    ws = writable_session(viewer)
    agenda_item_id = agenda_item_id if agenda_item_id is not None else ws.current_agenda_item_id
    check_belongs(AgendaItem, agenda_item_id, ws.id, "unknown_agenda_item")
    commitment = Commitment(
        workshop_id=ws.workshop_id,
        session_id=ws.id,
        agenda_item_id=agenda_item_id,
        what=_text(what, "what", MAX_WHAT),
        who=_text(who, "who", MAX_WHO),
        by_when=_date(by_when),
        recorded_by_name=viewer.name,
        recorded_by_role=viewer.role,
        participant_id=viewer.participant_id,
        account_id=viewer.account_id,
    )
    db.session.add(commitment)
    db.session.flush()
    event = append_event(ws.id, "commitment_recorded", {"commitment": commitment.to_dict()})
    return commitment, event


def update_commitment(
    commitment: Commitment, status: object, public_update: object = None
) -> SessionEvent | None:
    """Follow a commitment up: its status and a short public update text."""
    if status not in COMMITMENT_STATUSES:
        raise PonteError(
            "invalid_status",
            _("status must be one of %(values)s.", values=", ".join(COMMITMENT_STATUSES)),
        )
    update = (
        commitment.public_update
        if public_update is None
        else _text(public_update, "public_update", MAX_UPDATE, required=False)
    )
    if (status, update) == (commitment.status, commitment.public_update):
        return None
    commitment.status = status
    commitment.public_update = update
    commitment.updated_at = utcnow()
    db.session.flush()
    if commitment.session_id is None:
        return None
    return append_event(
        commitment.session_id, "commitment_updated", {"commitment": commitment.to_dict()}
    )


def commitment_in_session(viewer: Viewer, commitment_id: object) -> Commitment:
    """Return a commitment recorded in the viewer's session, for the trainer to follow up."""
    viewer.require("facilitate")
    commitment = db.session.get(Commitment, commitment_id) if is_id(commitment_id) else None
    if commitment is None or commitment.session_id != viewer.session_id:
        raise PonteError("unknown_commitment", _("No such commitment in this session."), 404)
    return commitment


def process_commitments(workshop_id: int) -> list[Commitment]:
    """Every commitment of a process, oldest first."""
    return list(
        db.session.scalars(
            sa.select(Commitment)
            .where(Commitment.workshop_id == workshop_id)
            .order_by(Commitment.id)
        )
    )
