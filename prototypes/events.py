"""Socket.IO handlers for the prototype canvas: thin, like ``sessions/events.py``."""

from ponte.extensions import socketio
from prototypes import services
from sessions.access import Viewer
from sessions.events import commit_and_publish, field, id_field, session_event


@socketio.on("create_prototype")
@session_event(writes=True)
def on_create_prototype(viewer: Viewer, data: dict):
    """A group (or the trainer) starts a prototype; the room gets prototype_created."""
    prototype, event = services.create_prototype(
        viewer, data.get("title"), id_field(data, "group_id")
    )
    return commit_and_publish(event, prototype=services.describe(prototype))


@socketio.on("edit_prototype_field")
@session_event(writes=True)
def on_edit_prototype_field(viewer: Viewer, data: dict):
    """A tablet saves one canvas field typed on ``base_version``; prototype_field_updated.

    A stale ``base_version`` is refused with ``conflict`` and the field's current text.
    """
    prototype, event = services.edit_field(
        viewer,
        data.get("prototype_id"),
        data.get("field"),
        field(data, "text", str, required=True),
        data.get("base_version"),
    )
    name = data["field"]
    return commit_and_publish(
        event,
        prototype_id=prototype.id,
        field=name,
        version=prototype.versions.get(name, 0),
        text=prototype.fields.get(name, ""),
    )


@socketio.on("link_evidence")
@session_event(writes=True)
def on_link_evidence(viewer: Viewer, data: dict):
    """A group links a note or a carried theme to its prototype; prototype_linked."""
    prototype, event = services.link(
        viewer, data.get("prototype_id"), data.get("post_id"), data.get("cluster_id")
    )
    return commit_and_publish(event, prototype=services.describe(prototype))


@socketio.on("unlink_evidence")
@session_event(writes=True)
def on_unlink_evidence(viewer: Viewer, data: dict):
    """A group removes a link; prototype_unlinked."""
    prototype, event = services.unlink(viewer, data.get("prototype_id"), data.get("link_id"))
    return commit_and_publish(event, prototype=services.describe(prototype))


@socketio.on("give_feedback")
@session_event(writes=True)
def on_give_feedback(viewer: Viewer, data: dict):
    """A decision maker reacts, maybe commits; feedback_given (and commitment_recorded)."""
    feedback, events = services.give_feedback(
        viewer,
        data.get("prototype_id"),
        data.get("kind"),
        data.get("text"),
        data.get("commitment"),
    )
    return commit_and_publish(events, feedback=feedback.to_dict())


@socketio.on("set_prototype_status")
@session_event(writes=True)
def on_set_prototype_status(viewer: Viewer, data: dict):
    """The trainer moves a prototype along (presented, adopted...); prototype_status_changed."""
    prototype = services.prototype_in_session(viewer, data.get("prototype_id"), for_update=True)
    event = services.change_status(viewer, prototype, data.get("status"), data.get("reason", ""))
    return commit_and_publish(event, prototype=services.describe(prototype))


@socketio.on("restore_prototype")
@session_event(writes=True)
def on_restore_prototype(viewer: Viewer, data: dict):
    """The trainer brings back an older revision; prototype_restored."""
    prototype = services.prototype_in_session(viewer, data.get("prototype_id"), for_update=True)
    event = services.restore(viewer, prototype, data.get("number"))
    return commit_and_publish(event, prototype=services.describe(prototype))
