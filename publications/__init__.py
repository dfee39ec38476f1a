"""Publications: the Report (A4) and the Booklet (A5) of a process, rendered to PDF by a
worker process; photos with consent."""

from flask import Blueprint, Flask

bp = Blueprint("publications", __name__)


def init_app(app: Flask) -> None:
    """Register the publication pages and the publish/worker commands."""
    from publications import calendar, cli, export_routes, logo_routes, render, routes  # noqa: F401

    app.register_blueprint(bp)
    app.add_template_filter(render.css_content, "css_content")
    app.cli.add_command(cli.publish)
    app.cli.add_command(cli.worker)
    app.cli.add_command(cli.render_job)
    app.cli.add_command(cli.export)
