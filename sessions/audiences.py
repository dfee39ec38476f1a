"""What each audience may see of a session event: staff see all, others a public view.

The log stores every event whole. Before an event reaches a screen (live, through
``broadcast.publish``, or replayed by ``sync`` and the board), it is presented for its
audience: in anonymous mode every name of a person (authors of notes, edits and feedback,
who recorded a commitment, who joined) is removed for everyone but staff; hidden notes stay
with staff; dot votes stay private to their voter (and staff) until the trainer reveals the
results.
"""

from dataclasses import dataclass

from sessions.models import WorkshopSession
from sessions.voice import with_audio_url

POST_EVENTS = ("post_created", "post_unhidden", "post_edited")
VOTE_EVENTS = ("vote_cast", "vote_retracted")
# Keys under which the protocol puts a person; their "name" goes in anonymous mode.
PERSON_KEYS = (
    "author",
    "recorded_by",
    "participant",
    "trainer",
    "scribe",
    "transcriber",
    "translator",
)


@dataclass(frozen=True)
class Audience:
    """Who receives a view: staff, one participant, or the public room (participant_id None)."""

    staff: bool = False
    participant_id: int | None = None


STAFF = Audience(staff=True)
PUBLIC = Audience()


def anonymize(data):
    """Return ``data`` with every person's name and participant id removed, at any depth."""
    if isinstance(data, list):
        return [anonymize(item) for item in data]
    if not isinstance(data, dict):
        return data
    cleaned = {}
    for key, value in data.items():
        if key in PERSON_KEYS and isinstance(value, dict):
            value = {**value, "name": None, "participant_id": None}
        cleaned[key] = anonymize(value)
    return cleaned


def for_audience(data, ws: WorkshopSession, audience: Audience):
    """Data about the session's people (posts, commitments, feedback) as the audience may see it."""
    return anonymize(data) if ws.anonymous and not audience.staff else data


def present_post(post: dict, ws: WorkshopSession, audience: Audience) -> dict:
    """Return the post as this audience may see it (a voice note with its signed url)."""
    return with_audio_url(for_audience(post, ws, audience))


def _with_media(data: dict) -> dict:
    if isinstance(data.get("post"), dict):
        return {**data, "post": with_audio_url(data["post"])}
    return data


def present(event_type: str, data: dict, ws: WorkshopSession, audience: Audience) -> dict | None:
    """Return the event's data for ``audience``, or None when it must not see the event."""
    if audience.staff:
        return _with_media(data)
    if event_type in POST_EVENTS and data["post"]["hidden"]:
        return None  # e.g. its author edited a note the trainer had hidden
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
    if event_type == "post_translated" and data.get("hidden"):
        return None
    if event_type == "participant_waiting":
        return None  # who waits at the door is the trainer's business
    if event_type == "participant_removed" and ws.anonymous:
        return {**data, "participant_id": None}
    if event_type == "join_code_changed":
        return None  # staff and the wall only (see broadcast.publish)
    if event_type == "reactions_changed":
        return {"post_id": data["post_id"], "reactions": data["reactions"]}
    return _with_media(for_audience(data, ws, audience))
