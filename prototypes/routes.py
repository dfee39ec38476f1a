"""Prototype pages for staff, the public "what happened next" page, and the JSON API."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ponte.errors import PonteError
from ponte.extensions import db
from ponte.i18n import current_language
from prototypes import bp, services
from prototypes.models import CANVAS_FIELDS, STATUSES, Prototype
from sessions import content
from sessions.access import (
    Viewer,
    account_may_run,
    is_id,
    require_account_may_run,
    viewer_for_token,
)
from sessions.audiences import PUBLIC, for_audience
from sessions.broadcast import publish
from sessions.commitments import process_commitments
from sessions.models import Post, WorkshopSession
from workshops.access import process_role, visible_workshops, workshop_or_404
from workshops.models import Workshop


@bp.get("/api/workshops/<int:workshop_id>/prototypes")
def api_prototypes(workshop_id: int):
    """The process's prototypes, for staff or a participant token of one of its sessions."""
    workshop = db.session.get(Workshop, workshop_id)
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        viewer = viewer_for_token(header.removeprefix("Bearer ").strip())
        if viewer is None:
            raise PonteError("unauthorized", _("This token is not valid. Join again."), 401)
        ws = db.session.get(WorkshopSession, viewer.session_id)
        if workshop is None or ws.workshop_id != workshop.id:
            raise PonteError("forbidden", _("This token belongs to another process."), 403)
    elif not current_user.is_authenticated:
        raise PonteError("unauthorized", _("Send 'Authorization: Bearer <token>' or log in."), 401)
    elif workshop is not None and process_role(current_user, workshop) is None:
        workshop = None  # not theirs to see: as if it did not exist
    if workshop is None:
        raise PonteError("unknown_workshop", _("No such process."), 404)
    prototypes = services.workshop_prototypes(workshop.id)
    if not current_user.is_authenticated:
        # In anonymous sessions participants see no names, here either.
        sessions = {
            p["session_id"]: db.session.get(WorkshopSession, p["session_id"]) for p in prototypes
        }
        prototypes = [
            for_audience(p, sessions[p["session_id"]], PUBLIC) if sessions[p["session_id"]] else p
            for p in prototypes
        ]
    return {"prototypes": prototypes}


@bp.get("/workshops/<int:workshop_id>/prototypes")
@login_required
def list_prototypes(workshop_id: int):
    workshop = workshop_or_404(current_user, workshop_id)
    return render_template(
        "prototypes/list.html",
        workshop=workshop,
        prototypes=services.workshop_prototypes(workshop.id),
    )


@bp.get("/prototypes/<int:prototype_id>")
@login_required
def detail(prototype_id: int):
    """The canvas, the voices behind it, feedback, revisions (with restore), reuse."""
    prototype = db.get_or_404(Prototype, prototype_id)
    workshop = workshop_or_404(current_user, prototype.workshop_id)
    described = services.describe(prototype, hidden_posts=True)
    evidence = db.session.scalars(
        sa.select(Post).where(Post.id.in_(described["linked_post_ids"])).order_by(Post.seq)
    ).all()
    # Where it may be copied: the other processes this account runs.
    others = [
        other
        for other in db.session.scalars(visible_workshops(current_user))
        if other.id != workshop.id and account_may_run(current_user, None, other)
    ]
    return render_template(
        "prototypes/detail.html",
        prototype=described,
        workshop=workshop,
        canvas=CANVAS_FIELDS,
        evidence=evidence,
        revisions=services.revisions(prototype),
        statuses=STATUSES,
        other_workshops=others,
    )


def _managed(prototype_id: int) -> Prototype:
    """The prototype, if the logged-in account may manage it (its trainer, or staff)."""
    prototype = db.get_or_404(Prototype, prototype_id)
    workshop = workshop_or_404(current_user, prototype.workshop_id)
    require_account_may_run(current_user, prototype.session_id, workshop)
    return prototype


def _staff_viewer(prototype: Prototype) -> Viewer:
    """The logged-in account as a Viewer that may restore (checked by ``_managed``)."""
    return Viewer(
        session_id=prototype.session_id or 0,
        role="staff" if current_user.is_staff else "trainer",
        name=current_user.name,
        language="it",
        account_id=current_user.id,
    )


@bp.post("/prototypes/<int:prototype_id>/status")
@login_required
def change_status(prototype_id: int):
    prototype = _managed(prototype_id)
    try:
        event = services.change_status(
            None, prototype, request.form.get("status"), request.form.get("reason", "")
        )
    except PonteError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        publish(event)
        flash(_("Status changed."), "info")
    return redirect(url_for("prototypes.detail", prototype_id=prototype_id))


@bp.post("/prototypes/<int:prototype_id>/restore")
@login_required
def restore(prototype_id: int):
    prototype = _managed(prototype_id)
    number = request.form.get("number", type=int)
    event = services.restore(_staff_viewer(prototype), prototype, number)
    db.session.commit()
    publish(event)
    flash(_("Restored."), "info")
    return redirect(url_for("prototypes.detail", prototype_id=prototype_id))


@bp.post("/prototypes/<int:prototype_id>/duplicate")
@login_required
def duplicate(prototype_id: int):
    prototype = db.get_or_404(Prototype, prototype_id)
    workshop_or_404(current_user, prototype.workshop_id)
    into_id = request.form.get("workshop_id", type=int)
    if not is_id(into_id):
        abort(400, _("Choose the process to copy the prototype into."))
    into = workshop_or_404(current_user, into_id)
    require_account_may_run(current_user, None, into)
    copy = services.duplicate(prototype, into, current_user)
    db.session.commit()
    flash(_("Copied into %(process)s.", process=into.title), "info")
    return redirect(url_for("prototypes.detail", prototype_id=copy.id))


@bp.get("/prototypes/<int:prototype_id>.json")
@login_required
def export(prototype_id: int):
    prototype = db.get_or_404(Prototype, prototype_id)
    workshop_or_404(current_user, prototype.workshop_id)
    response = services.export(prototype)
    return (
        response,
        200,
        {"Content-Disposition": f'attachment; filename="prototype-{prototype.id}.json"'},
    )


@bp.get("/next/<key>")
def what_happened_next(key: str):
    """Public: what became of the process's prototypes and commitments (the booklet's QR)."""
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.public_key == key))
    if workshop is None or len(key) < 20:
        abort(404, _("This link is not valid."))
    return render_template(
        "prototypes/next.html",
        workshop=workshop,
        prototypes=services.workshop_prototypes(workshop.id),
        commitments=[c for c in process_commitments(workshop.id)],
        # In the visitor's language where a mediator translated it.
        say=content.Words(workshop, current_language()),
    )
