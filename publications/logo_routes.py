"""The partners' logos page of a process: upload, order, delete; the logo files."""

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ponte.errors import PonteError
from ponte.extensions import db
from publications import bp, logos
from publications.media import MAX_UPLOAD_BYTES
from publications.models import PartnerLogo
from publications.render import media_folder
from workshops.access import workshop_or_404
from workshops.forms import ButtonForm


def _logo(workshop_id: int, logo_id: int) -> PartnerLogo:
    logo = db.session.get(PartnerLogo, logo_id)
    if logo is None or logo.workshop_id != workshop_id:
        abort(404)
    return logo


@bp.route("/workshops/<int:workshop_id>/logos", methods=["GET", "POST"])
@login_required
def logos_page(workshop_id: int):
    workshop = workshop_or_404(current_user, workshop_id, run=request.method == "POST")
    form = ButtonForm()
    status = 200
    if request.method == "POST":
        upload = request.files.get("logo")
        try:
            if not form.validate_on_submit():
                raise PonteError("bad_form", _("The form expired. Reload the page and try again."))
            logos.store_logo(
                workshop,
                upload.read() if upload else b"",
                request.form.get("name", ""),
                current_user,
            )
        except PonteError as error:
            db.session.rollback()
            flash(error.message, "error")
            status = 400
        else:
            db.session.commit()
            flash(_("Logo kept; the covers print it."), "success")
            return redirect(url_for("publications.logos_page", workshop_id=workshop.id))
    return (
        render_template(
            "publications/logos.html",
            workshop=workshop,
            logos=logos.logos_of(workshop.id),
            form=form,
            max_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
        ),
        status,
    )


@bp.post("/workshops/<int:workshop_id>/logos/<int:logo_id>/<any(delete, left, right):action>")
@login_required
def change_logo(workshop_id: int, logo_id: int, action: str):
    workshop = workshop_or_404(current_user, workshop_id, run=True)
    logo = _logo(workshop.id, logo_id)
    if not ButtonForm().validate_on_submit():
        abort(400, _("The form expired. Reload the page and try again."))
    if action == "delete":
        logos.delete_logo(logo)
    else:
        logos.move_logo(logo, -1 if action == "left" else 1)
    db.session.commit()
    return redirect(url_for("publications.logos_page", workshop_id=workshop.id))


@bp.get("/workshops/<int:workshop_id>/logos/<int:logo_id>.png")
@login_required
def logo_file(workshop_id: int, logo_id: int):
    workshop = workshop_or_404(current_user, workshop_id)
    logo = _logo(workshop.id, logo_id)
    return send_file(media_folder() / logo.filename, mimetype="image/png")
