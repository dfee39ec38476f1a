"""Staff pages for a process's data and figures: the spreadsheet export and the funder page."""

from flask import Response, render_template, request
from flask_login import current_user, login_required

from ponte.extensions import db
from publications import bp, exports
from publications.figures import funder_figures
from sessions.access import require_account_may_run
from workshops.access import workshop_or_404
from workshops.audit import audit
from workshops.models import Workshop

KINDS = {
    "zip": ("application/zip", exports.as_zip),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.as_xlsx,
    ),
}


def _process(workshop_id: int) -> Workshop:
    """The process, for its trainer or staff only: the export holds what people said."""
    workshop = workshop_or_404(current_user, workshop_id)
    require_account_may_run(current_user, None, workshop)
    return workshop


@bp.get("/workshops/<int:workshop_id>/export.<any(zip, xlsx):kind>")
@login_required
def export(workshop_id: int, kind: str):
    """Notes, prototypes, commitments, attendance and figures: CSV files in a zip, or one
    workbook. Pseudonyms; ``?names=1`` names only those who agreed to be quoted by name."""
    workshop = _process(workshop_id)
    names = request.args.get("names") == "1"
    mime, make = KINDS[kind]
    body = make(workshop, names=names)
    audit(workshop.id, current_user, "data_exported", format=kind, names=names)
    db.session.commit()
    return Response(
        body,
        mimetype=mime,
        headers={
            "Content-Disposition": f'attachment; filename="ponte-process-{workshop.id}.{kind}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/workshops/<int:workshop_id>/figures")
@login_required
def figures(workshop_id: int):
    """The funder's figures, computed from the records: nobody's identity in them."""
    workshop = _process(workshop_id)
    return render_template(
        "publications/figures.html", workshop=workshop, f=funder_figures(workshop.id)
    )
