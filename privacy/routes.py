"""Staff pages for the people of a process: consent, data copies, erasure, retention, audit."""

import io
import json

import segno
import sqlalchemy as sa
from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ponte.extensions import db
from privacy import bp, services
from privacy import data_copy as data_copies
from sessions.access import require_account_may_run
from sessions.broadcast import end_access, publish
from sessions.facilitation import removed_event
from sessions.models import Attendance, Post
from sessions.services import append_event, post_dict
from workshops import settings
from workshops.access import workshop_or_404
from workshops.audit import AUDITED_ACTIONS, AuditEntry
from workshops.models import Workshop
from workshops.people import badge_label, merge_people, person_of, split_person


def _process(workshop_id: int) -> Workshop:
    """The process, for its trainer or staff only: personal data is not for observers."""
    workshop = workshop_or_404(current_user, workshop_id)
    require_account_may_run(current_user, None, workshop)
    return workshop


@bp.get("/workshops/<int:workshop_id>/people")
@login_required
def people(workshop_id: int):
    workshop = _process(workshop_id)
    return render_template(
        "privacy/people.html",
        workshop=workshop,
        people=services.roster(workshop),
        consents=services.QUOTE_CONSENTS,
    )


@bp.post("/workshops/<int:workshop_id>/people/<int:person_id>/consent")
@login_required
def change_consent(workshop_id: int, person_id: int):
    workshop = _process(workshop_id)
    photos = request.form.get("photos")
    services.set_consent(
        current_user,
        workshop,
        person_id,
        request.form.get("consent", ""),
        None if photos is None else photos == "yes",
    )
    db.session.commit()
    flash(_("Consent changed. Publications made from now on follow it."), "success")
    return redirect(url_for("privacy.people", workshop_id=workshop.id))


@bp.post("/workshops/<int:workshop_id>/people/<int:person_id>/erase")
@login_required
def erase(workshop_id: int, person_id: int):
    workshop = _process(workshop_id)
    if request.form.get("confirm") != "erase":
        flash(_("Tick the box to confirm: erasing cannot be undone."), "error")
        return redirect(url_for("privacy.people", workshop_id=workshop.id))
    done = services.erase(current_user, workshop, person_id, request.form.get("notes", ""))
    # Screens of live sessions drop the deleted notes now; the person's tablets lose access.
    events = [
        append_event(session_id, "post_erased", {"post_id": post_id})
        for post_id, session_id in done.deleted_posts.items()
        if session_id in done.live_sessions
    ]
    events += [
        append_event(session_id, "post_edited", {"post": post_dict(db.session.get(Post, post_id))})
        for post_id, session_id in done.kept_posts.items()
        if session_id in done.live_sessions
    ]
    events += [
        removed_event(attendance.session_id, attendance)
        for attendance in db.session.scalars(
            sa.select(Attendance).where(
                Attendance.participant_id.in_(done.participant_ids),
                Attendance.session_id.in_(done.live_sessions),
            )
        )
    ]
    db.session.commit()
    for event in events:
        publish(event)
    for participant_id in done.participant_ids:
        end_access(participant_id)
    flash(
        _(
            "Erased. Notes kept anonymous: %(kept)s; notes deleted: %(deleted)s; voice notes "
            "deleted: %(voices)s; photos deleted: %(photos)s.",
            kept=done.notes_kept,
            deleted=done.notes_deleted,
            voices=done.voice_notes_deleted,
            photos=done.photos_deleted,
        ),
        "success",
    )
    return redirect(url_for("privacy.people", workshop_id=workshop.id))


@bp.get("/workshops/<int:workshop_id>/people/<int:person_id>/data.json")
@login_required
def data_copy(workshop_id: int, person_id: int):
    workshop = _process(workshop_id)
    copy = data_copies.data_copy(current_user, workshop, person_id)
    db.session.commit()
    body = json.dumps(copy, ensure_ascii=False, indent=2)
    filename = f"ponte-person-{copy['person']['id']}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/workshops/<int:workshop_id>/people/merge")
@login_required
def merge(workshop_id: int):
    """Two entries are the same human: the second's sessions count for the first."""
    workshop = _process(workshop_id)
    keep, other = request.form.get("keep", ""), request.form.get("other", "")
    if not (keep.isdecimal() and other.isdecimal()):
        flash(_("Choose the two entries that are the same person."), "error")
        return redirect(url_for("privacy.people", workshop_id=workshop.id))
    person = merge_people(current_user, workshop, int(keep), int(other))
    db.session.commit()
    flash(_("Merged: they count as one person from now on."), "success")
    return redirect(
        url_for("privacy.people", workshop_id=workshop.id, _anchor=f"person-{person.id}")
    )


@bp.post("/workshops/<int:workshop_id>/people/<int:person_id>/split")
@login_required
def split(workshop_id: int, person_id: int):
    """A wrong merge: the entry is its own person again."""
    workshop = _process(workshop_id)
    person = split_person(current_user, workshop, person_id)
    db.session.commit()
    flash(_("Split: they are two people again."), "success")
    return redirect(
        url_for("privacy.people", workshop_id=workshop.id, _anchor=f"person-{person.id}")
    )


@bp.get("/workshops/<int:workshop_id>/people/badges")
@login_required
def badges(workshop_id: int):
    """Printable badges (a QR code and a short code) for shared tablets and people without
    a phone; ``?person=ID`` for one person's."""
    workshop = _process(workshop_id)
    wanted = request.args.get("person", "")
    persons = [
        p
        for p in services.roster(workshop)
        if not p["erased"] and (not wanted or str(p["id"]) == wanted)
    ]
    if wanted and not persons:
        abort(404)
    return render_template(
        "privacy/badges.html",
        workshop=workshop,
        badges=[{**p, "url": _badge_url(p["badge"])} for p in persons],
    )


@bp.get("/workshops/<int:workshop_id>/people/<int:person_id>/badge.svg")
@login_required
def badge_qr(workshop_id: int, person_id: int):
    """The QR code of a person's badge: the join page with their badge filled in."""
    workshop = _process(workshop_id)
    person = person_of(workshop, person_id)
    if person.erased_at is not None:
        abort(404)
    buffer = io.BytesIO()
    url = _badge_url(badge_label(person.badge_code))
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False)
    return buffer.getvalue(), 200, {"Content-Type": "image/svg+xml", "Cache-Control": "no-store"}


def _badge_url(badge: str) -> str:
    public = current_app.config["PONTE_PUBLIC_URL"]
    if public:
        return public.rstrip("/") + url_for("sessions.join_page", badge=badge)
    return url_for("sessions.join_page", badge=badge, _external=True)


@bp.post("/workshops/<int:workshop_id>/retention")
@login_required
def retention(workshop_id: int):
    workshop = _process(workshop_id)
    months = request.form.get("months", "")
    settings.set_retention(current_user, workshop, int(months) if months.isdigit() else months)
    db.session.commit()
    flash(_("Retention period saved."), "success")
    return redirect(url_for("privacy.people", workshop_id=workshop.id))


@bp.get("/workshops/<int:workshop_id>/audit")
@login_required
def audit_log(workshop_id: int):
    workshop = _process(workshop_id)
    entries = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.workshop_id == workshop.id)
        .order_by(AuditEntry.id.desc())
        .limit(1000)
    ).all()
    return render_template(
        "privacy/audit.html", workshop=workshop, entries=entries, actions=AUDITED_ACTIONS
    )
