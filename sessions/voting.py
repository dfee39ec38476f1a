"""Dot voting: each participant spends up to N dots on notes during the vote phase.

Totals stay hidden from participants and the projector until the trainer reveals them
(see ``audiences.py``). The allowance holds even when one person races two tablets: the
count and the insert happen under the write lock (SQLite) or a lock on the participant's
attendance row (PostgreSQL). Services flush, never commit.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from sessions.access import Viewer, is_id
from sessions.models import Attendance, SessionEvent, Vote, WorkshopSession
from sessions.services import append_event, post_in_session, writable_session

MAX_ALLOWANCE = 20


def set_allowance(viewer: Viewer, votes: object) -> SessionEvent | None:
    """Set how many dots each participant has."""
    viewer.require("facilitate")
    if not is_id(votes) or votes > MAX_ALLOWANCE:
        raise PonteError(
            "invalid_votes", _("votes must be between 1 and %(max)s.", max=MAX_ALLOWANCE)
        )
    ws = db.session.get(WorkshopSession, viewer.session_id)
    if ws.votes_per_participant == votes:
        return None
    ws.votes_per_participant = votes
    db.session.flush()
    return append_event(ws.id, "vote_allowance_changed", {"votes_per_participant": votes})


def cast_vote(viewer: Viewer, post_id: object) -> tuple[dict, SessionEvent]:
    """Put one dot on a note; refused beyond the allowance or outside the vote phase."""
    viewer.require("vote")
    ws = _voting_session(viewer)
    post = post_in_session(viewer, post_id)
    if post.hidden:
        raise PonteError("unknown_post", _("No such post in this session."), 404)
    _lock_voter(viewer)
    used = _dots(ws.id, viewer.participant_id)
    if used >= ws.votes_per_participant:
        raise PonteError("no_votes_left", _("You have used all your votes."), 409)
    db.session.add(Vote(session_id=ws.id, post_id=post.id, participant_id=viewer.participant_id))
    db.session.flush()
    return _result(ws, viewer, post.id, "vote_cast")


def retract_vote(viewer: Viewer, post_id: object) -> tuple[dict, SessionEvent]:
    """Take one of one's dots back from a note."""
    viewer.require("vote")
    ws = _voting_session(viewer)
    post = post_in_session(viewer, post_id)
    _lock_voter(viewer)
    vote = db.session.scalar(
        sa.select(Vote)
        .where(Vote.post_id == post.id, Vote.participant_id == viewer.participant_id)
        .order_by(Vote.id.desc())
        .limit(1)
    )
    if vote is None:
        raise PonteError("no_vote_here", _("You have no vote on this note."), 409)
    db.session.delete(vote)
    db.session.flush()
    return _result(ws, viewer, post.id, "vote_retracted")


def reveal_votes(viewer: Viewer, revealed: bool) -> SessionEvent | None:
    """Show (or hide again) the totals to everyone."""
    viewer.require("facilitate")
    ws = db.session.get(WorkshopSession, viewer.session_id)
    if ws.votes_revealed == revealed:
        return None
    ws.votes_revealed = revealed
    db.session.flush()
    return append_event(ws.id, "votes_revealed", {"revealed": revealed, "tallies": tallies(ws.id)})


def tallies(session_id: int) -> dict[str, int]:
    """Dots per note, keyed by the post id as a string (JSON object keys)."""
    rows = db.session.execute(
        sa.select(Vote.post_id, sa.func.count(Vote.id))
        .where(Vote.session_id == session_id)
        .group_by(Vote.post_id)
    )
    return {str(post_id): count for post_id, count in rows}


def _voting_session(viewer: Viewer) -> WorkshopSession:
    ws = writable_session(viewer)
    if ws.kind != "co_projecting" or ws.phase != "vote":
        raise PonteError("phase_forbids", _("Voting opens in the vote phase."), 409)
    return ws


def _lock_voter(viewer: Viewer) -> None:
    # FOR UPDATE serializes one participant's tablets on PostgreSQL; SQLite omits it and
    # relies on BEGIN IMMEDIATE, which already serializes every writer.
    db.session.execute(
        sa.select(Attendance.id)
        .where(
            Attendance.session_id == viewer.session_id,
            Attendance.participant_id == viewer.participant_id,
        )
        .with_for_update()
    )


def _dots(session_id: int, participant_id: int | None, post_id: int | None = None) -> int:
    query = sa.select(sa.func.count(Vote.id)).where(
        Vote.session_id == session_id, Vote.participant_id == participant_id
    )
    if post_id is not None:
        query = query.where(Vote.post_id == post_id)
    return db.session.scalar(query)


def _result(ws: WorkshopSession, viewer: Viewer, post_id: int, type_: str):
    tally = db.session.scalar(sa.select(sa.func.count(Vote.id)).where(Vote.post_id == post_id))
    event = append_event(
        ws.id, type_, {"post_id": post_id, "participant_id": viewer.participant_id, "tally": tally}
    )
    mine = _dots(ws.id, viewer.participant_id, post_id)
    left = max(0, ws.votes_per_participant - _dots(ws.id, viewer.participant_id))
    result = {"post_id": post_id, "mine": mine, "left": left}
    if ws.votes_revealed:
        result["tally"] = tally
    return result, event
