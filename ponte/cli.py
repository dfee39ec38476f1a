"""Command line: ``flask --app app serve``, ``seed-demo`` and ``copy-database``."""

import json
import os
import sys

import click
from flask import Flask


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--access-log", is_flag=True, help="Log every HTTP request.")
def serve(host: str, port: int, access_log: bool) -> None:
    """Run Ponte's production server (gevent + WebSocket)."""
    # gevent must patch the standard library before anything imports it, and the flask
    # command has already imported half of it: start a fresh interpreter that patches first.
    argv = [sys.executable, "-m", "ponte.server", "--host", host, "--port", str(port)]
    if access_log:
        argv.append("--access-log")
    sys.stdout.flush()
    os.execv(sys.executable, argv)


@click.command("seed-demo")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def seed_demo(as_json: bool) -> None:
    """Create the schema if needed and the Prato demo process (running it twice adds nothing)."""
    from flask_migrate import upgrade

    from ponte import demo
    from ponte.database import writing

    upgrade()
    with writing():
        result = demo.seed()
    if as_json:
        click.echo(json.dumps(result))
        return
    click.echo(f"Demo process {result['workshop_id']} (Prato)")
    click.echo(
        f"Trainer login: {result['facilitator']['email']} / {result['facilitator']['password']}"
    )
    click.echo(
        f"Admin login (accounts, settings): {result['admin']['email']} / "
        f"{result['admin']['password']}"
    )
    for item in result["sessions"]:
        click.echo(f"  {item['kind']:<14} session {item['id']:<3} join code {item['join_code']}")


@click.command("copy-database")
@click.argument("target_url")
def copy_database(target_url: str) -> None:
    """Copy everything into another, empty database (e.g. SQLite -> PostgreSQL).

    Stop Ponte first. TARGET_URL: postgresql+psycopg://user:password@host/name
    """
    from ponte.database_copy import CopyRefused
    from ponte.database_copy import copy_database as copy

    try:
        copied = copy(target_url, say=click.echo)
    except CopyRefused as refusal:
        raise click.ClickException(str(refusal)) from None
    click.echo(f"Copied {sum(copied.values())} rows in {len(copied)} tables.")


def init_app(app: Flask) -> None:
    """Register the commands on the app's CLI."""
    app.cli.add_command(serve)
    app.cli.add_command(seed_demo)
    app.cli.add_command(copy_database)
