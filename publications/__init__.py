"""Publications: the Report (A4) and the Booklet (A5) of a process, rendered to PDF by a
worker process; photos with consent."""

from flask import Blueprint, Flask

bp = Blueprint("publications", __name__)


UPLOAD_ENDPOINTS = ("publications.upload_photo",)


def allow_large_uploads() -> None:
    """Let photo uploads (a few MB from a camera) past the app's 1 MB request limit.

    Registered before CSRFProtect, which reads the form, hence the limit, first.
    """
    from flask import request

    from publications.media import MAX_UPLOAD_BYTES

    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = MAX_UPLOAD_BYTES + 64 * 1024


def init_app(app: Flask) -> None:
    """Register the publication pages and the publish/worker commands."""
    from publications import cli, routes  # noqa: F401  (register views on bp)

    app.register_blueprint(bp)
    app.cli.add_command(cli.publish)
    app.cli.add_command(cli.worker)
    app.cli.add_command(cli.render_job)
