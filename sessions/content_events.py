"""Socket.IO handlers for the words of the session in every language."""

from ponte.extensions import socketio
from sessions.access import Viewer
from sessions.content_translations import translate_content
from sessions.events import commit_and_publish, field, id_field, session_event


@socketio.on("translate_content")
@session_event(writes=True)
def on_translate_content(viewer: Viewer, data: dict):
    """A mediator translates a field of the session's content (``subject``, ``subject_id``,
    ``field``, ``language``, ``text``); the room gets content_translated."""
    translation, event = translate_content(
        viewer,
        field(data, "subject", str, required=True),
        id_field(data, "subject_id"),
        field(data, "field", str, required=True),
        data.get("language"),
        field(data, "text", str, required=True),
    )
    return commit_and_publish(event, translation=translation.to_dict())
