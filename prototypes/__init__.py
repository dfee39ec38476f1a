"""Prototypes of policy solutions: the canvas, revisions, links to voices, feedback, status."""

from flask import Blueprint, Flask

bp = Blueprint("prototypes", __name__)


def init_app(app: Flask) -> None:
    """Register the prototype pages, the JSON API and the Socket.IO events."""
    from prototypes import events, routes  # noqa: F401  (register handlers on bp and socketio)
    from prototypes.models import CANVAS_FIELDS, Prototype
    from sessions import content

    app.register_blueprint(bp)
    # A prototype's canvas and status reason are translated like the trainer's words.
    content.register("prototype", Prototype, (*CANVAS_FIELDS, "status_reason"))
