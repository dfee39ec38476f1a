"""The admin page: an organisation's accounts (invite, reset a password, deactivate), its
name, other organisations; and the page a password link opens."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ponte.errors import PonteError
from ponte.extensions import db
from workshops import accounts, bp
from workshops.forms import (
    ORGANISATION_WORDS,
    ROLE_WORDS,
    AccountForm,
    ButtonForm,
    OrganisationForm,
    PasswordForm,
    RenameForm,
)
from workshops.models import Organisation


def _page(account_form=None, organisation_form=None, link=None, status=200):
    accounts.require_admin(current_user)
    organisation = db.session.get(Organisation, current_user.organisation_id)
    rename = RenameForm(organisation=organisation.name, kind=organisation.kind)
    return (
        render_template(
            "workshops/admin.html",
            organisation=organisation,
            accounts=accounts.accounts_of(current_user),
            account_form=account_form or AccountForm(),
            organisation_form=organisation_form or OrganisationForm(),
            rename_form=rename,
            role_words=ROLE_WORDS,
            button=ButtonForm(),
            organisation_words=ORGANISATION_WORDS,
            link=link,
        ),
        status,
    )


@bp.get("/admin")
@login_required
def admin():
    return _page()


@bp.post("/admin/accounts")
@login_required
def invite_account():
    accounts.require_admin(current_user)
    form = AccountForm()
    if not form.validate_on_submit():
        return _page(account_form=form, status=400)
    try:
        account, link = accounts.invite(
            current_user, form.email.data, form.name.data, form.role.data
        )
    except PonteError as error:
        db.session.rollback()
        form.email.errors.append(error.message)
        return _page(account_form=form, status=error.status)
    db.session.commit()
    flash(_("%(name)s can now set a password with the link below.", name=account.name), "success")
    return _page(link={"name": account.name, "email": account.email, "url": link})


@bp.post("/admin/accounts/<int:account_id>/reset")
@login_required
def reset_password(account_id: int):
    account = accounts.managed_account(current_user, account_id)
    if not ButtonForm().validate_on_submit():
        return _page(status=400)
    link = accounts.reset_link(current_user, account)
    db.session.commit()
    flash(_("The old password of %(name)s no longer works.", name=account.name), "info")
    return _page(link={"name": account.name, "email": account.email, "url": link})


@bp.post("/admin/accounts/<int:account_id>/active")
@login_required
def set_active(account_id: int):
    account = accounts.managed_account(current_user, account_id)
    if not ButtonForm().validate_on_submit():
        return _page(status=400)
    active = request.form.get("active") == "1"
    accounts.set_active(current_user, account, active)
    db.session.commit()
    flash(
        _("%(name)s can log in again.", name=account.name)
        if active
        else _("%(name)s can no longer log in.", name=account.name),
        "info",
    )
    return redirect(url_for("workshops.admin"))


@bp.post("/admin/organisation")
@login_required
def rename_organisation():
    accounts.require_admin(current_user)
    form = RenameForm()
    organisation = db.session.get(Organisation, current_user.organisation_id)
    if form.validate_on_submit():
        name = " ".join(form.organisation.data.split())
        taken = db.session.scalar(
            sa.select(Organisation).where(
                Organisation.name == name, Organisation.id != organisation.id
            )
        )
        if taken:
            flash(_("An organisation with this name exists."), "error")
            return _page(status=409)
        organisation.name, organisation.kind = name, form.kind.data
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for("workshops.admin"))


@bp.post("/admin/organisations")
@login_required
def invite_organisation():
    accounts.require_admin(current_user)
    form = OrganisationForm()
    if not form.validate_on_submit():
        return _page(organisation_form=form, status=400)
    try:
        organisation, account, link = accounts.invite_organisation(
            current_user, form.organisation.data, form.kind.data, form.email.data, form.name.data
        )
    except PonteError as error:
        db.session.rollback()
        form.organisation.errors.append(error.message)
        return _page(organisation_form=form, status=error.status)
    db.session.commit()
    flash(
        _(
            "%(organisation)s exists; its admin sets a password with the link below.",
            organisation=organisation.name,
        ),
        "success",
    )
    return _page(link={"name": account.name, "email": account.email, "url": link})


@bp.route("/password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Set a password from an invitation or reset link (no login needed)."""
    account = accounts.account_of_link(token)
    form = PasswordForm()
    if form.validate_on_submit():
        if form.password.data != form.again.data:
            form.again.errors.append(_("The two passwords differ."))
        else:
            try:
                accounts.set_password(account, form.password.data)
            except PonteError as error:
                form.password.errors.append(error.message)
            else:
                db.session.commit()
                logout_user()
                flash(_("Your password is set. Log in with it."), "success")
                return redirect(url_for("workshops.login"))
    return render_template("workshops/password.html", form=form, account=account)
