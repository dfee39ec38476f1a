"""What each audience may see of a session event: staff see all, others a public view.

The log stores every event whole. Before an event reaches a screen (live, through
``broadcast.publish``, or replayed by ``sync`` and the board), it is presented for its
audience: in anonymous mode authors' names are removed for everyone but staff, and dot votes
stay private to their voter (and staff) until the trainer reveals the results.
"""

from dataclasses import dataclass

from sessions.models import WorkshopSession

POST_EVENTS = ("post_created", "post_unhidden", "post_edited")
VOTE_EVENTS = ("vote_cast", "vote_retracted")


@dataclass(frozen=True)
class Audience:
    """Who receives a view: staff, one participant, or the public room (participant_id None)."""

    staff: bool = False
    participant_id: int | None = None


STAFF = Audience(staff=True)
PUBLIC = Audience()


def present_post(post: dict, ws: WorkshopSession, audience: Audience) -> dict:
    """Return the post as this audience may see it."""
    if not ws.anonymous or audience.staff:
        return post
    return {
        **post,
        "author": {"name": None, "role": post["author"]["role"], "participant_id": None},
    }


def present(event_type: str, data: dict, ws: WorkshopSession, audience: Audience) -> dict | None:
    """Return the event's data for ``audience``, or None when it must not see the event."""
    if audience.staff:
        return data
    if event_type in POST_EVENTS:
        if data["post"]["hidden"]:
            return None  # e.g. its author edited a note the trainer had hidden
        return {**data, "post": present_post(data["post"], ws, audience)}
    if event_type == "participant_joined" and ws.anonymous:
        return {"participant": {"role": data["participant"]["role"]}}
    if event_type in VOTE_EVENTS:
        own = (
            audience.participant_id is not None
            and audience.participant_id == data["participant_id"]
        )
        if own:
            return data if ws.votes_revealed else {k: v for k, v in data.items() if k != "tally"}
        if ws.votes_revealed:
            return {"post_id": data["post_id"], "tally": data["tally"]}
        return None
    if event_type == "votes_revealed" and not ws.votes_revealed:
        return {"revealed": False, "tallies": {}}
    return data
