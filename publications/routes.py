"""Staff pages: request publications, follow the job, download, preview; upload photos."""

from pathlib import Path

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ponte.errors import PonteError
from ponte.extensions import db
from publications import bp, jobs, media, render
from publications.models import CONSENTS, Media, Publication, PublicationJob
from sessions import content
from sessions.access import require_account_may_run
from workshops.access import process_role, workshop_or_404
from workshops.audit import audit
from workshops.models import Person, Workshop


def _may_run(workshop: Workshop) -> None:
    # Putting things into a process's publications is for its trainer or staff.
    require_account_may_run(current_user, None, workshop)


def _may_see(kind: str, workshop: Workshop) -> None:
    # The report is complete and internal (every session, every note): the process's staff only.
    if kind == "report" and process_role(current_user, workshop) != "staff":
        abort(403, _("Only staff can make or download the report."))


@bp.route("/workshops/<int:workshop_id>/publications", methods=["GET", "POST"])
@login_required
def publications(workshop_id: int):
    workshop = workshop_or_404(current_user, workshop_id)
    if request.method == "POST":
        kind = request.form.get("kind", "")
        _may_see(kind, workshop)
        _may_run(workshop)
        try:
            job = jobs.enqueue(workshop, kind, request.form.get("edition", ""), current_user)
        except PonteError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            jobs.dispatch(job)
            flash(_("Queued: the worker renders it now. This page shows when it is ready."), "info")
            return redirect(
                url_for("publications.publications", workshop_id=workshop.id, job=job.id)
            )
    kept = db.session.scalars(
        sa.select(Publication)
        .where(Publication.workshop_id == workshop.id)
        .order_by(Publication.id.desc())
    ).all()
    waiting = db.session.scalars(
        sa.select(PublicationJob)
        .where(PublicationJob.workshop_id == workshop.id)
        .order_by(PublicationJob.id.desc())
        .limit(10)
    ).all()
    photos = db.session.scalars(
        sa.select(Media).where(Media.workshop_id == workshop.id).order_by(Media.id)
    ).all()
    # Before a bilingual booklet: what its second language would show in the original only.
    fallbacks = {
        language: content.process_coverage(workshop, language)
        for language in workshop.languages[1:]
    }
    editions = workshop.languages + [
        f"{a}+{b}" for a in workshop.languages[:1] for b in workshop.languages[1:]
    ]
    return render_template(
        "publications/index.html",
        workshop=workshop,
        kept=kept,
        jobs=waiting,
        photos=photos,
        editions=editions,
        consents=CONSENTS,
        fallbacks=fallbacks,
        can_report=process_role(current_user, workshop) == "staff",
        people=db.session.scalars(
            sa.select(Person)
            .where(
                Person.workshop_id == workshop.id,
                Person.erased_at.is_(None),
                Person.merged_into_id.is_(None),
            )
            .order_by(Person.display_name)
        ).all(),
    )


@bp.get("/api/publication-jobs/<int:job_id>")
def job_status(job_id: int):
    if not current_user.is_authenticated:  # an API: a JSON 401, not a redirect to the login page
        raise PonteError("unauthorized", _("Log in"), 401)
    job = db.get_or_404(PublicationJob, job_id)
    _may_see(job.kind, workshop_or_404(current_user, job.workshop_id))
    return job.to_dict()


@bp.get("/publications/<int:publication_id>/download")
@login_required
def download(publication_id: int):
    publication = db.get_or_404(Publication, publication_id)
    _may_see(publication.kind, workshop_or_404(current_user, publication.workshop_id))
    name = f"{publication.kind}-{publication.edition}-{publication.id}.pdf"
    # Files are kept under their hash: found in today's PONTE_FILES_DIR even after a move.
    kept = (
        Path(current_app.config["PONTE_FILES_DIR"]) / "publications" / f"{publication.sha256}.pdf"
    )
    path = kept if kept.exists() else Path(publication.path)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype="application/pdf", download_name=name, as_attachment=True)


@bp.get("/workshops/<int:workshop_id>/publications/preview/<kind>")
@login_required
def preview(workshop_id: int, kind: str):
    """The publication as a web page, from the PDF's own templates."""
    workshop = workshop_or_404(current_user, workshop_id)
    if kind not in render.TEMPLATES:
        abort(404)
    _may_see(kind, workshop)
    languages = jobs.parse_edition(workshop, request.args.get("edition", workshop.languages[0]))
    if kind == "report":
        languages = languages[:1]
    return render.publication_html(kind, workshop.id, languages, preview=True)


@bp.post("/workshops/<int:workshop_id>/photos")
@login_required
def upload_photo(workshop_id: int):
    workshop = workshop_or_404(current_user, workshop_id)
    _may_run(workshop)
    upload = request.files.get("photo")
    try:
        kept = media.store_photo(
            workshop,
            upload.read() if upload else b"",
            request.form.get("caption", ""),
            request.form.get("consent", "internal"),
            current_user,
        )
        kept.person_ids = _people_in_photo(workshop)
    except PonteError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Photo kept, without its metadata."), "info")
    return redirect(url_for("publications.publications", workshop_id=workshop.id))


def _people_in_photo(workshop: Workshop) -> list[int]:
    """The people ticked as recognisable in a photo: erasing one of them deletes it."""
    ids = {int(v) for v in request.form.getlist("people") if v.isdecimal() and len(v) < 19}
    if not ids:
        return []
    return sorted(
        db.session.scalars(
            sa.select(Person.id).where(Person.id.in_(ids), Person.workshop_id == workshop.id)
        )
    )


@bp.post("/workshops/<int:workshop_id>/photos/<name>/delete")
@login_required
def delete_photo(workshop_id: int, name: str):
    workshop = workshop_or_404(current_user, workshop_id)
    _may_run(workshop)
    item = db.session.scalar(
        sa.select(Media).where(Media.filename == name, Media.workshop_id == workshop.id)
    )
    if item is None:
        abort(404)
    (render.media_folder() / item.filename).unlink(missing_ok=True)
    audit(workshop.id, current_user, "photo_deleted", caption=item.caption[:80])
    db.session.delete(item)
    db.session.commit()
    flash(_("Photo deleted."), "info")
    return redirect(url_for("publications.publications", workshop_id=workshop.id))


@bp.get("/media/<name>")
@login_required
def photo(name: str):
    item = db.session.scalar(sa.select(Media).where(Media.filename == name))
    if item is None:
        abort(404)
    workshop = workshop_or_404(current_user, item.workshop_id)
    if item.consent not in ("named", "anonymous"):
        require_account_may_run(current_user, item.session_id, workshop)
    return send_file(render.media_folder() / item.filename, mimetype="image/jpeg")
