"""``flask purge-expired``: erase personal data past each process's retention period."""

import datetime as dt

import click
from flask import Flask

from ponte.database import writing
from ponte.extensions import db
from privacy import retention


def init_app(app: Flask) -> None:
    @app.cli.command("purge-expired")
    @click.option("--dry-run", is_flag=True, help="Say what would be erased; change nothing.")
    @click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Pretend today is this date (YYYY-MM-DD).",
    )
    def purge_expired(dry_run: bool, today: dt.datetime | None) -> None:
        """Erase the people of every process whose retention period has passed since its last
        session (their notes stay, as an anonymous participant's). Run it daily (cron)."""
        day = today.date() if today else dt.date.today()
        with writing():
            found = retention.expired(day) if dry_run else retention.purge_expired(day)
            if dry_run:
                db.session.rollback()
            else:
                db.session.commit()
        verb = "would erase" if dry_run else "erased"
        if not found:
            click.echo(f"Nothing to purge on {day}.")
        for item in found:
            click.echo(
                f"Process {item.workshop_id} ({item.title}): last activity {item.last_activity}; "
                f"{verb} {item.participants} people."
            )
