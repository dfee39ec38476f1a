"""Staff pages of a process's other activities (trainings, study visits, partnership meetings,
public events): list and add, edit, who took part and for how many hours, delete.

Reading needs a login; writing is for whoever may run the process (its creator, or staff)."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ponte.errors import PonteError
from ponte.extensions import db
from sessions import bp
from sessions.access import require_account_may_run
from sessions.forms import ActionForm
from workshops import activities
from workshops.access import workshop_or_404
from workshops.forms import ActivityForm, AttendeeForm
from workshops.models import ACCOUNT_ROLES, Account, Person, Workshop

# Which field of a form shows a refusal from the services.
ERROR_FIELDS = {
    "invalid_kind": "kind",
    "invalid_title": "title",
    "invalid_date": "date",
    "invalid_times": "end_time",
    "invalid_hours": "hours",
    "invalid_name": "name",
    "invalid_role": "role",
    "invalid_language": "language",
}


def _show(form, error: PonteError) -> None:
    """Put a refusal beside the field it is about (nothing typed is lost)."""
    if error.status == 404:
        abort(404, error.message)
    db.session.rollback()
    field = getattr(form, ERROR_FIELDS.get(error.code, ""), None) or getattr(form, "who", None)
    if field is None:
        field = form.title
    field.errors = [*field.errors, error.message]


def _fields(form: ActivityForm) -> dict:
    return {
        "kind": form.kind.data,
        "title": form.title.data,
        "date": form.date.data,
        "start_time": form.start_time.data,
        "end_time": form.end_time.data,
        "place": form.place.data or "",
        "course": form.course.data or "",
    }


@bp.route("/workshops/<int:workshop_id>/activities", methods=["GET", "POST"])
@login_required
def activities_page(workshop_id: int):
    """The process's other activities; the form adds one."""
    workshop = workshop_or_404(current_user, workshop_id)
    form = ActivityForm()
    if request.method == "POST":
        require_account_may_run(current_user, None, workshop)
        if form.validate_on_submit():
            try:
                activity = activities.add_activity(current_user, workshop, **_fields(form))
            except PonteError as error:
                _show(form, error)
            else:
                db.session.commit()
                flash(_("Activity added."), "info")
                return redirect(
                    url_for("sessions.activity", workshop_id=workshop.id, activity_id=activity.id)
                )
    return render_template(
        "sessions/activities.html",
        workshop=workshop,
        activities=activities.listing(workshop.id),
        courses=activities.courses(workshop.id),
        form=form,
    )


def _attendee_form(workshop: Workshop) -> AttendeeForm:
    """The form that adds someone, offering the people of the process and the staff."""
    form = AttendeeForm()
    people = db.session.execute(
        sa.select(Person.id, Person.display_name)
        .where(
            Person.workshop_id == workshop.id,
            Person.merged_into_id.is_(None),
            Person.erased_at.is_(None),
        )
        .order_by(Person.display_name)
    ).all()
    accounts = db.session.execute(
        sa.select(Account.id, Account.name)
        .where(
            Account.role.in_(ACCOUNT_ROLES),
            Account.organisation_id == workshop.organisation_id,
            Account.active.is_(True),
        )
        .order_by(Account.name)
    ).all()
    form.who.choices = [
        ("new", _("Someone new (give a name below)")),
        *((f"person:{pid}", name) for pid, name in people),
        *((f"account:{aid}", f"{name} ({_('trainer or staff')})") for aid, name in accounts),
    ]
    return form


def _page(workshop, activity, form=None, attendee_form=None):
    return render_template(
        "sessions/activity.html",
        workshop=workshop,
        activity=activity,
        form=form or ActivityForm(obj=activity),
        attendee_form=attendee_form or _attendee_form(workshop),
        attendees=activities.attendee_rows(activity),
        action_form=ActionForm(),
    )


@bp.route("/workshops/<int:workshop_id>/activities/<int:activity_id>", methods=["GET", "POST"])
@login_required
def activity(workshop_id: int, activity_id: int):
    """One activity: its details (the form changes them) and who took part."""
    workshop = workshop_or_404(current_user, workshop_id)
    item = _activity(workshop, activity_id)
    if request.method == "GET":
        return _page(workshop, item)
    require_account_may_run(current_user, None, workshop)
    form = ActivityForm()
    if form.validate_on_submit():
        try:
            activities.update_activity(current_user, item, **_fields(form))
        except PonteError as error:
            _show(form, error)
            item = _activity(workshop, activity_id)
        else:
            db.session.commit()
            flash(_("Activity saved."), "info")
            return redirect(
                url_for("sessions.activity", workshop_id=workshop.id, activity_id=item.id)
            )
    return _page(workshop, item, form=form)


def _activity(workshop: Workshop, activity_id: int):
    try:
        return activities.activity_of(workshop, activity_id)
    except PonteError as error:
        abort(404, error.message)


@bp.post("/workshops/<int:workshop_id>/activities/<int:activity_id>/attendees")
@login_required
def add_attendee(workshop_id: int, activity_id: int):
    """Someone took part: a person of the process, a trainer, or someone new."""
    workshop = workshop_or_404(current_user, workshop_id)
    item = _activity(workshop, activity_id)
    require_account_may_run(current_user, None, workshop)
    form = _attendee_form(workshop)
    if form.validate_on_submit():
        hours = float(form.hours.data) if form.hours.data is not None else None
        kind, _colon, number = form.who.data.partition(":")
        try:
            if kind == "new":
                activities.add_new_person(
                    current_user,
                    item,
                    form.name.data or "",
                    form.role.data or "migrant",
                    (form.language.data or "").strip(),
                    hours,
                )
            elif kind == "person":
                activities.add_attendee(current_user, item, person_id=int(number), hours=hours)
            else:
                activities.add_attendee(current_user, item, account_id=int(number), hours=hours)
        except PonteError as error:
            _show(form, error)
            item = _activity(workshop, activity_id)
        else:
            db.session.commit()
            return redirect(
                url_for("sessions.activity", workshop_id=workshop.id, activity_id=item.id)
                + "#attendees"
            )
    return _page(workshop, item, attendee_form=form)


@bp.post(
    "/workshops/<int:workshop_id>/activities/<int:activity_id>/attendees/<int:attendance_id>/remove"
)
@login_required
def remove_attendee(workshop_id: int, activity_id: int, attendance_id: int):
    """Take someone off the list of an activity."""
    workshop = workshop_or_404(current_user, workshop_id)
    item = _activity(workshop, activity_id)
    require_account_may_run(current_user, None, workshop)
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired. Reload the page and try again."))
    try:
        activities.remove_attendee(current_user, item, attendance_id)
    except PonteError as error:
        abort(error.status, error.message)
    db.session.commit()
    return redirect(
        url_for("sessions.activity", workshop_id=workshop.id, activity_id=item.id) + "#attendees"
    )


@bp.post("/workshops/<int:workshop_id>/activities/<int:activity_id>/delete")
@login_required
def delete_activity(workshop_id: int, activity_id: int):
    """Delete an activity and its list of who took part."""
    workshop = workshop_or_404(current_user, workshop_id)
    item = _activity(workshop, activity_id)
    require_account_may_run(current_user, None, workshop)
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired. Reload the page and try again."))
    activities.delete_activity(current_user, item)
    db.session.commit()
    flash(_("Activity deleted."), "info")
    return redirect(url_for("sessions.workshop_overview", workshop_id=workshop.id) + "#activities")
