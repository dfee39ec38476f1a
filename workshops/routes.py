"""Staff pages: log in and out, list and create processes."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ponte.errors import PonteError
from ponte.extensions import db, limiter
from workshops import bp
from workshops.access import visible_workshops
from workshops.forms import LoginForm, WorkshopForm
from workshops.models import Organisation
from workshops.services import authenticate, create_workshop


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("workshops.list_workshops"))
    return render_template("workshops/index.html")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PONTE_LOGIN_LIMIT"], methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        account = authenticate(form.email.data, form.password.data)
        if account is not None:
            login_user(account)
            return redirect(url_for("workshops.list_workshops"))
        flash(_("Wrong email or password."), "error")
    return render_template("workshops/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("workshops.index"))


@bp.route("/workshops", methods=["GET", "POST"])
@login_required
def list_workshops():
    form = WorkshopForm()
    if form.validate_on_submit():
        try:
            workshop = create_workshop(
                form.title.data, form.city.data, form.languages.data, current_user
            )
        except PonteError as error:
            form.languages.errors.append(error.message)
        else:
            db.session.commit()
            return redirect(url_for("sessions.workshop_overview", workshop_id=workshop.id))
    organisation = db.session.get(Organisation, current_user.organisation_id)
    return render_template(
        "workshops/list.html",
        workshops=db.session.scalars(visible_workshops(current_user)).all(),
        organisation=organisation,
        form=form,
    )
