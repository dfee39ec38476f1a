"""Session pages (trainer console, join page, tablet board) and the JSON API."""

import io

import segno
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

from ponte.database import writing
from ponte.errors import PonteError
from ponte.extensions import csrf, db, limiter
from sessions import board, bp, commitments, roster, services, voice
from sessions.access import (
    Viewer,
    is_id,
    require_account_may_run,
    viewer_for_account,
    viewer_for_projector,
    viewer_for_token,
)
from sessions.broadcast import publish
from sessions.forms import ActionForm, CommitmentUpdateForm, SessionForm
from sessions.models import COMMITMENT_STATUSES, Commitment, Post, WorkshopSession
from workshops import activities, people
from workshops.access import workshop_or_404
from workshops.forms import ActivityForm
from workshops.models import Person, Workshop

# --- staff pages -------------------------------------------------------------------------


@bp.route("/workshops/<int:workshop_id>", methods=["GET", "POST"])
@login_required
def workshop_overview(workshop_id: int):
    """A process and its sessions; the form adds a session."""
    workshop = workshop_or_404(current_user, workshop_id)
    form = SessionForm()
    if request.method == "POST":
        # Adding a session makes one its trainer: for the process's creator or staff only.
        require_account_may_run(current_user, None, workshop)
    if form.validate_on_submit():
        try:
            ws = services.create_session(
                workshop,
                form.kind.data,
                form.title.data,
                form.date.data,
                form.place.data or "",
                trainer_id=current_user.id,
                start_time=form.start_time.data,
                end_time=form.end_time.data,
            )
        except PonteError as error:  # the times do not fit: the form keeps what was typed
            db.session.rollback()
            form.end_time.errors.append(error.message)
        else:
            db.session.commit()
            return redirect(url_for("sessions.console", session_id=ws.id))
    sessions = db.session.scalars(
        sa.select(WorkshopSession)
        .where(WorkshopSession.workshop_id == workshop.id)
        .order_by(WorkshopSession.date, WorkshopSession.id)
    )
    return render_template(
        "sessions/workshop.html",
        workshop=workshop,
        sessions=sessions,
        form=form,
        figures=roster.process_figures(workshop.id),
        activities=activities.listing(workshop.id),
        activity_form=ActivityForm(),
    )


@bp.get("/sessions/<int:session_id>")
@login_required
def console(session_id: int):
    """The trainer's console: status, code, QR, and the live board with moderation."""
    with writing():
        ws, workshop = _visible_session(session_id)
        joined = services.record_staff_attendance(ws, current_user)
        db.session.commit()
    publish(joined)
    return render_template(
        "sessions/console.html",
        ws=ws,
        workshop=workshop,
        join_url=_join_url(ws.join_code) if ws.is_live else None,
        unreachable_qr=_join_url_is_loopback(),
        projector_url=_projector_url(ws),
        form=ActionForm(),
    )


@bp.post("/sessions/<int:session_id>/open")
@login_required
def open_session(session_id: int):
    return _change_status(session_id, services.open_session)


@bp.post("/sessions/<int:session_id>/close")
@login_required
def close_session(session_id: int):
    return _change_status(session_id, services.close_session)


def _visible_session(session_id: int) -> tuple[WorkshopSession, Workshop]:
    """The session and its process, if the logged-in account may see them (404 otherwise)."""
    ws = db.get_or_404(WorkshopSession, session_id)
    return ws, workshop_or_404(current_user, ws.workshop_id)


def _change_status(session_id: int, change):
    ws, _workshop = _visible_session(session_id)
    require_account_may_run(current_user, ws.id)
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired. Reload the page and try again."))
    try:
        event = change(ws)
    except PonteError as error:  # a double tap, or another screen was quicker: show the state
        db.session.rollback()
        flash(error.message, "info")
    else:
        db.session.commit()
        publish(event)
    return redirect(url_for("sessions.console", session_id=ws.id))


@bp.get("/sessions/<int:session_id>/qr.svg")
@login_required
def join_qr(session_id: int):
    """The QR code tablets scan to reach the join page with the code filled in."""
    ws, _workshop = _visible_session(session_id)
    if not ws.is_live:
        abort(404, _("This session is not live, so it has no join code."))
    return _qr_svg(ws)


def _qr_svg(ws: WorkshopSession):
    buffer = io.BytesIO()
    segno.make(_join_url(ws.join_code), error="m").save(
        buffer, kind="svg", scale=8, border=2, xmldecl=False
    )
    return buffer.getvalue(), 200, {"Content-Type": "image/svg+xml", "Cache-Control": "no-store"}


def _join_url_is_loopback() -> bool:
    """True when the QR code would send tablets to this very laptop's loopback address."""
    if current_app.config["PONTE_PUBLIC_URL"]:
        return False
    host = request.host.rsplit(":", 1)[0].strip("[]")
    return host in ("localhost", "::1") or host.startswith("127.")


def _projector_url(ws: WorkshopSession) -> str:
    return url_for("sessions.projector", session_id=ws.id, key=ws.projector_key)


def _join_url(code: str) -> str:
    public = current_app.config["PONTE_PUBLIC_URL"]
    if public:
        return public.rstrip("/") + url_for("sessions.join_page", code=code)
    return url_for("sessions.join_page", code=code, _external=True)


@bp.route("/workshops/<int:workshop_id>/commitments", methods=["GET", "POST"])
@login_required
def process_commitments(workshop_id: int):
    """Every commitment of a process, with its follow-up status and public update."""
    workshop = workshop_or_404(current_user, workshop_id)
    form = CommitmentUpdateForm()
    if form.validate_on_submit():
        commitment = (
            db.session.get(Commitment, form.commitment_id.data)
            if is_id(form.commitment_id.data)
            else None
        )
        if commitment is None or commitment.workshop_id != workshop.id:
            abort(404)
        require_account_may_run(current_user, commitment.session_id, workshop)
        event = commitments.update_commitment(commitment, form.status.data, form.public_update.data)
        db.session.commit()
        publish(event)
        flash(_("Commitment updated."), "info")
        return redirect(url_for("sessions.process_commitments", workshop_id=workshop.id))
    return render_template(
        "sessions/commitments.html",
        workshop=workshop,
        commitments=commitments.process_commitments(workshop.id),
        statuses=COMMITMENT_STATUSES,
    )


# --- the projector -----------------------------------------------------------------------


@bp.get("/sessions/<int:session_id>/projector/qr.svg")
def projector_qr(session_id: int):
    """The join QR code for the wall: the projector link's key opens it, no login."""
    ws = db.session.get(WorkshopSession, session_id)
    if viewer_for_projector(session_id, request.args.get("key", "")) is None or not ws.is_live:
        abort(404, _("No join code to show."))
    return _qr_svg(ws)


@bp.get("/sessions/<int:session_id>/projector")
def projector(session_id: int):
    """The wall view: read-only, big type, no login; opened by the link with the session's key."""
    key = request.args.get("key", "")
    if viewer_for_projector(session_id, key) is None:
        abort(404, _("This projector link is not valid. Copy it again from the trainer's console."))
    return render_template("sessions/projector.html", session_id=session_id, key=key)


# --- participant pages -------------------------------------------------------------------


@bp.get("/join")
def join_page():
    """The join page a tablet opens (or reaches through the QR code)."""
    code = services.normalize_code(request.args.get("code", ""))[:12]
    ended = None
    if code:
        ws = db.session.scalar(sa.select(WorkshopSession).where(WorkshopSession.join_code == code))
        if ws is not None and ws.status == "closed":
            # The same link, later: lead participants to what became of their ideas.
            workshop = db.session.get(Workshop, ws.workshop_id)
            ended = url_for("prototypes.what_happened_next", key=workshop.public_key)
    badge = people.normalize_badge(request.args.get("badge", ""))
    badge = people.badge_label(badge) if len(badge) == people.BADGE_LENGTH else ""
    return render_template("sessions/join.html", code=code, ended=ended, badge=badge)


@bp.get("/sessions/<int:session_id>/tablet")
def tablet(session_id: int):
    """The tablet board. It shows nothing by itself: its script loads the board with the token."""
    return render_template("sessions/tablet.html", session_id=session_id)


# --- JSON API ----------------------------------------------------------------------------


@bp.post("/api/join")
@csrf.exempt
@limiter.limit(
    lambda: current_app.config["PONTE_JOIN_FAILURES_LIMIT"],
    deduct_when=lambda response: response.status_code == 404,
)
@limiter.limit(
    lambda: current_app.config["PONTE_JOIN_FAILURES_GLOBAL_LIMIT"],
    key_func=lambda: "all-addresses",
    scope="join-failures-everywhere",
    deduct_when=lambda response: response.status_code == 404,
)
def api_join():
    """Join a live session by code: ``{code, name, role, language}``, and ``person_key`` (kept
    from an earlier join of the process) or ``badge`` -> a participant token and the person."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise PonteError("invalid_payload", _("Send a JSON object: code, name, role, language."))
    badge = body.get("badge")
    if badge is not None and not isinstance(badge, str):
        raise PonteError("invalid_badge", _("'%(name)s' must be a text.", name="badge"))
    fields = {}
    for name in ("code", "name", "role", "language"):
        value = body.get(name, "" if badge and name != "code" else None)
        if not isinstance(value, str):
            raise PonteError(
                f"missing_{name}", _("'%(name)s' is required and must be a string.", name=name)
            )
        fields[name] = value
    participant, ws, token, event = services.join(
        **fields, person_key=body.get("person_key"), badge=badge
    )
    person = db.session.get(Person, participant.person_id)
    key = people.person_key(person)
    db.session.commit()
    publish(event)
    return {
        "participant_id": participant.id,
        "session_id": ws.id,
        "workshop_id": ws.workshop_id,
        "token": token,
        "waiting": event.type == "participant_waiting",
        "person_id": person.id,
        "person_key": key,
        "name": participant.display_name,
        "role": participant.role,
        "language": participant.language,
        "consent": person.consent_dict(),
    }


@bp.get("/api/sessions/<int:session_id>/admission")
def api_admission(session_id: int):
    """A tablet waiting for the trainer's approval asks whether it is in: ``{"state":
    "waiting" | "admitted" | "refused"}``."""
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None
    return {"state": services.admission_of(token, session_id)}


@bp.get("/api/sessions/<int:session_id>/board")
def api_board(session_id: int):
    """The whole board of a session, for a participant token of it or a staff login."""
    viewer = _api_viewer(session_id)
    return board.board(viewer)


@bp.post("/api/sessions/<int:session_id>/voice")
@csrf.exempt  # a participant's token in the Authorization header, never a cookie
def api_voice(session_id: int):
    """A tablet sends a voice note: multipart ``audio``, ``client_id``, ``seconds``,
    optional ``said_by`` and ``language``. The same client_id again returns the first note."""
    viewer = _token_viewer(session_id)
    client_id = request.form.get("client_id", "")
    existing = services.own_post_by_client_id(viewer, services.parse_client_id(client_id))
    if existing is None:
        upload = request.files.get("audio")
        if upload is None:
            raise PonteError("audio_required", _("Send the recording as 'audio'."))
        said_by = request.form.get("said_by")
        where = {name: _form_id(name) for name in ("group_id", "prompt_id", "agenda_item_id")}
        recording = voice.store(upload.read(voice.MAX_VOICE_BYTES + 1), request.form.get("seconds"))
        try:
            post, event = services.create_post(
                viewer,
                client_id=client_id,
                text="",
                # isdecimal, not isdigit: int() refuses "²", which isdigit() accepts.
                said_by=int(said_by) if said_by and said_by.isdecimal() else said_by or None,
                language=request.form.get("language") or None,
                recording=recording,
                **where,
            )
            db.session.commit()
        except BaseException:
            db.session.rollback()
            voice.discard(recording)
            raise
        publish(event)
    else:
        post = existing
    return {"ok": True, "post": voice.with_audio_url(services.post_dict(post)), "seq": post.seq}


@bp.get("/media/voice/<int:post_id>")
def voice_file(post_id: int):
    """A voice note's recording, for a url the board signed; a hidden note's, for staff only."""
    post = db.session.get(Post, post_id)
    if (
        post is None
        or post.kind != "voice"
        or not voice.signature_ok(post_id, request.args.get("sig"))
    ):
        abort(404)
    if post.hidden and (
        not current_user.is_authenticated
        or viewer_for_account(current_user, post.session_id) is None
    ):
        abort(404)  # a hidden note is for the staff side of its own process
    path = voice.file_of(post.audio_path)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=post.audio_mime, conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _form_id(name: str) -> int | None:
    """An optional id field of a multipart form: absent, or a positive whole number."""
    value = request.form.get(name, "")
    if not value:
        return None
    if not value.isdigit() or not is_id(int(value)):
        raise PonteError(
            f"invalid_{name}", _("'%(name)s' must be a positive whole number.", name=name)
        )
    return int(value)


def _token_viewer(session_id: int) -> Viewer:
    """The participant whose token is in the Authorization header, in this session."""
    header = request.headers.get("Authorization", "")
    viewer = (
        viewer_for_token(header.removeprefix("Bearer ").strip())
        if header.startswith("Bearer ")
        else None
    )
    if viewer is None:
        raise PonteError("unauthorized", _("This token is not valid. Join again."), 401)
    if viewer.session_id != session_id:
        raise PonteError("forbidden", _("This token belongs to another session."), 403)
    return viewer


def _api_viewer(session_id: int) -> Viewer:
    header = request.headers.get("Authorization", "")
    projector_key = request.headers.get("X-Projector-Key")
    if projector_key:
        viewer = viewer_for_projector(session_id, projector_key)
        if viewer is None:
            raise PonteError("unauthorized", _("This projector link is not valid."), 401)
        return viewer
    if header.startswith("Bearer "):
        viewer = viewer_for_token(header.removeprefix("Bearer ").strip())
        if viewer is None:
            raise PonteError("unauthorized", _("This token is not valid. Join again."), 401)
        if viewer.session_id != session_id:
            raise PonteError("forbidden", _("This token belongs to another session."), 403)
        return viewer
    if current_user.is_authenticated:
        viewer = viewer_for_account(current_user, session_id)
        if viewer is None:
            raise PonteError("unknown_session", _("No such session."), 404)
        return viewer
    raise PonteError("unauthorized", _("Send 'Authorization: Bearer <token>' or log in."), 401)
