"""The figures a funder asks for (AMIF/FAMI progress reports), computed from the records,
never typed, with no identity in them: people by role and by language, presences, hours of
activity and of mediation, sessions by kind, commitments and how many were kept."""

import sqlalchemy as sa

from ponte.extensions import db
from publications.context import KIND_LABELS, session_hours
from sessions import roster
from sessions.models import Commitment, WorkshopSession
from workshops import activities


def funder_figures(workshop_id: int) -> dict:
    """Every figure of the process, as plain numbers (the figures page, the export)."""
    sessions = list(
        db.session.scalars(
            sa.select(WorkshopSession)
            .where(WorkshopSession.workshop_id == workshop_id)
            .order_by(WorkshopSession.date, WorkshopSession.id)
        )
    )
    hours = {ws.id: session_hours(ws) for ws in sessions}
    people = roster.process_figures(workshop_id)
    present = roster.presences(workshop_id)
    by_language: dict[str, set[int]] = {}
    mediator_hours = 0.0
    for session_id, person_id, role, language in present:
        by_language.setdefault(language, set()).add(person_id)
        if role == "mediator":
            mediator_hours += hours.get(session_id, 0.0)
    statuses = dict(
        db.session.execute(
            sa.select(Commitment.status, sa.func.count(Commitment.id))
            .where(Commitment.workshop_id == workshop_id)
            .group_by(Commitment.status)
        ).all()
    )
    others = activities.figures(workshop_id)
    return {
        "sessions": len(sessions),
        "sessions_by_kind": {k: sum(1 for s in sessions if s.kind == k) for k in KIND_LABELS},
        # Hours of activity: the sessions' and the other activities' together.
        "hours": round(sum(hours.values()) + others["activity_hours"], 1),
        "session_hours": round(sum(hours.values()), 1),
        **others,
        "people": people["people"],
        "people_by_role": people["people_by_role"],
        "presences": people["presences"],
        "presences_by_role": people["presences_by_role"],
        "people_by_language": {
            code: len(ids) for code, ids in sorted(by_language.items(), key=lambda kv: -len(kv[1]))
        },
        "trainers": people["trainers"],
        "sessions_run": people["sessions_run"],
        "mediator_hours": round(mediator_hours, 1),
        "commitments": sum(statuses.values()),
        "commitments_kept": statuses.get("done", 0),
        "commitments_by_status": {
            status: statuses.get(status, 0) for status in ("open", "in_progress", "done", "dropped")
        },
    }
