"""The process settings page (its staff, or a trainer on its team)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ponte.errors import PonteError
from ponte.extensions import db
from workshops import bp, services, settings
from workshops.access import process_role, workshop_or_404
from workshops.forms import SettingsForm
from workshops.models import Organisation


@bp.route("/workshops/<int:workshop_id>/settings", methods=["GET", "POST"])
@login_required
def process_settings(workshop_id: int):
    workshop = workshop_or_404(current_user, workshop_id, run=True)
    staff = process_role(current_user, workshop) == "staff"
    form = SettingsForm(obj=workshop if request.method == "GET" else None)
    if request.method == "GET":
        form.languages.data = ", ".join(workshop.languages)
        form.team.data = [a.id for a in services.team(workshop)]
        form.shares.data = [o.id for o in services.shared_with(workshop)]
    form.team.choices = settings.team_choices(workshop)
    form.shares.choices = settings.share_choices(workshop)
    status = 200
    if form.validate_on_submit():
        try:
            settings.update_settings(
                current_user,
                workshop,
                title=form.title.data,
                city=form.city.data,
                languages=form.languages.data,
                partners=form.partners.data or "",
                funding_line=form.funding_line.data or "",
                eu_funded=form.eu_funded.data,
                eu_statement=form.eu_statement.data or "",
                retention_months=form.retention_months.data,
                consent_wording=form.consent_wording.data or "",
                # Only staff choose the team and the sharing; a trainer keeps them as they are.
                team=form.team.data if staff else [a.id for a in services.team(workshop)],
                shares=form.shares.data
                if staff
                else [o.id for o in services.shared_with(workshop)],
            )
        except PonteError as error:
            db.session.rollback()
            workshop = workshop_or_404(current_user, workshop_id, run=True)
            flash(error.message, "error")
            status = 400
        else:
            db.session.commit()
            flash(_("Settings saved."), "success")
            return redirect(url_for("workshops.process_settings", workshop_id=workshop.id))
    elif request.method == "POST":
        status = 400
    return (
        render_template(
            "workshops/settings.html",
            workshop=workshop,
            form=form,
            staff=staff,
            organisation=db.session.get(Organisation, workshop.organisation_id),
        ),
        status,
    )
