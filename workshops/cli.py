"""``flask --app app create-account``: an organisation's first admin (or any account)."""

import sys

import click
from flask import current_app

from ponte.errors import PonteError
from ponte.extensions import db
from workshops import accounts, services
from workshops.models import ACCOUNT_ROLES, ORGANISATION_KINDS


@click.command("create-account")
@click.option("--email", required=True)
@click.option("--name", required=True, help="The person's name, as pages show it.")
@click.option("--organisation", required=True, help="Created if there is none of this name.")
@click.option(
    "--kind",
    type=click.Choice(ORGANISATION_KINDS),
    default="city",
    show_default=True,
    help="The kind of a new organisation.",
)
@click.option("--role", type=click.Choice(ACCOUNT_ROLES), default="admin", show_default=True)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input; without it, print a link that sets one.",
)
def create_account(email, name, organisation, kind, role, password_stdin):
    """Create an account; print the link that sets its password (valid 7 days, once)."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        home = services.organisation_named(organisation, kind)
        account = services.create_account(email, name, password, role, home)
    except PonteError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"{account.role} {account.email} of {home.name} (account {account.id})")
    if password is None:
        base = current_app.config["PONTE_PUBLIC_URL"] or "http://127.0.0.1:5000"
        with current_app.test_request_context(base_url=base):
            click.echo(f"Set the password at: {accounts.password_link(account)}")
