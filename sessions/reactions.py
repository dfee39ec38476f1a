"""Pictogram reactions to notes: agree, disagree, "I don't understand", important.

Anyone in the room who can vote can react, without reading or writing a word. Counts are
public (they are not a vote); who reacted is seen only by staff.
"""

from collections import defaultdict

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from sessions.access import Viewer
from sessions.models import REACTIONS, Post, Reaction, SessionEvent
from sessions.services import append_event, post_in_session, writable_session


def react(
    viewer: Viewer, post_id: object, kind: object, on: bool
) -> tuple[dict[str, int], list[str], SessionEvent | None]:
    """Add (``on``) or take back one's reaction of ``kind`` to a note; return the counts,
    one's own reactions to it, and the event (None when nothing changed)."""
    viewer.require("react")
    if kind not in REACTIONS:
        raise PonteError(
            "invalid_kind", _("kind must be one of %(kinds)s.", kinds=", ".join(REACTIONS))
        )
    post = post_in_session(viewer, post_id)
    if post.hidden:
        raise PonteError("unknown_post", _("No such post in this session."), 404)
    writable_session(viewer)
    mine = db.session.scalar(
        sa.select(Reaction).where(
            Reaction.post_id == post.id,
            Reaction.participant_id == viewer.participant_id,
            Reaction.kind == kind,
        )
    )
    event = None
    if on and mine is None:
        db.session.add(
            Reaction(
                session_id=post.session_id,
                post_id=post.id,
                participant_id=viewer.participant_id,
                kind=kind,
            )
        )
        db.session.flush()
    elif not on and mine is not None:
        db.session.delete(mine)
        db.session.flush()
    else:
        return (
            reaction_counts([post.id])[post.id],
            own_reactions(viewer, [post.id]).get(post.id, []),
            None,
        )
    counts = reaction_counts([post.id])[post.id]
    event = append_event(
        post.session_id,
        "reactions_changed",
        {
            "post_id": post.id,
            "reactions": counts,
            "participant_id": viewer.participant_id,
            "kind": kind,
            "on": on,
        },
    )
    return counts, own_reactions(viewer, [post.id]).get(post.id, []), event


def reaction_counts(post_ids: list[int]) -> dict[int, dict[str, int]]:
    """How many of each reaction the posts have (every kind, zeros included)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(REACTIONS, 0))
    for post_id in post_ids:
        counts[post_id]
    if not post_ids:
        return counts
    rows = db.session.execute(
        sa.select(Reaction.post_id, Reaction.kind, sa.func.count(Reaction.id))
        .where(Reaction.post_id.in_(post_ids))
        .group_by(Reaction.post_id, Reaction.kind)
    )
    for post_id, kind, count in rows:
        counts[post_id][kind] = count
    return counts


def own_reactions(viewer: Viewer, post_ids: list[int] | None = None) -> dict[int, list[str]]:
    """The viewer's own reactions in the session, by post id."""
    if viewer.participant_id is None:
        return {}
    query = (
        sa.select(Reaction.post_id, Reaction.kind)
        .join(Post, Post.id == Reaction.post_id)
        .where(
            Post.session_id == viewer.session_id, Reaction.participant_id == viewer.participant_id
        )
        .order_by(Reaction.id)
    )
    if post_ids is not None:
        query = query.where(Reaction.post_id.in_(post_ids))
    mine: dict[int, list[str]] = defaultdict(list)
    for post_id, kind in db.session.execute(query):
        mine[post_id].append(kind)
    return dict(mine)
