"""Socket.IO handlers for the people of a session: consent on the tablet, someone added
without a device."""

from ponte.extensions import socketio
from sessions import roster
from sessions.access import Viewer
from sessions.events import commit_and_publish, field, session_event
from workshops.people import badge_label


@socketio.on("set_consent")
@session_event(writes=True)
def on_set_consent(viewer: Viewer, data: dict):
    """A person says on their tablet how they may be quoted (``quote``) and whether photos of
    them may be published (``photos``); asked once, changeable from the menu."""
    person = roster.answer_consent(viewer, data.get("quote"), data.get("photos"))
    return commit_and_publish(None, consent=person.consent_dict())


@socketio.on("add_person")
@session_event(writes=True)
def on_add_person(viewer: Viewer, data: dict):
    """A trainer or mediator adds someone without a device (``name``, ``language``, ``role``);
    the room gets participant_joined, the sender their badge."""
    participant, person, event = roster.add_person(
        viewer,
        field(data, "name", str, required=True),
        field(data, "language", str, required=True),
        data.get("role", "migrant"),
    )
    return commit_and_publish(
        event,
        participant=participant.to_dict(),
        person_id=person.id,
        badge=badge_label(person.badge_code),
    )
