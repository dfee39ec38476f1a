"""Verbs on prototypes: create, edit a field, link evidence, revise, restore, give feedback,
change status, duplicate, export. They flush, never commit; each live change returns the
session log event to broadcast."""

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from prototypes.models import (
    CANVAS_FIELDS,
    FEEDBACK_KINDS,
    STATUSES,
    TRANSITIONS,
    Feedback,
    Prototype,
    PrototypeLink,
    PrototypeRevision,
)
from sessions import commitments
from sessions.access import Viewer, is_id
from sessions.models import Attendance, Cluster, Group, Post, SessionEvent, WorkshopSession
from sessions.services import append_event, clean_text, post_in_session, writable_session
from workshops.models import Workshop, utcnow

# Who may edit the canvas in which phase: groups build in "prototype", everyone can still
# mend it while presenting ("feedback"); trainers and staff may edit any time.
EDIT_PHASES = ("prototype", "feedback")


# --- reading -----------------------------------------------------------------------------


def prototype_in_session(viewer: Viewer, prototype_id: object, for_update: bool = False):
    """Return a prototype of the viewer's session, or refuse.

    :param for_update: lock its row until commit (PostgreSQL), so concurrent saves of its
        JSON canvas queue instead of overwriting each other; SQLite's write lock does this.
    """
    prototype = None
    if is_id(prototype_id):
        query = sa.select(Prototype).where(Prototype.id == prototype_id)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        prototype = db.session.scalar(query)
    if prototype is None or prototype.session_id != viewer.session_id:
        raise PonteError("unknown_prototype", _("No such prototype in this session."), 404)
    return prototype


def describe(prototype: Prototype, hidden_posts: bool = False) -> dict:
    """The prototype with its evidence (post ids, themes) and feedback, as the API gives it."""
    links = db.session.scalars(
        sa.select(PrototypeLink).where(PrototypeLink.prototype_id == prototype.id)
    ).all()
    visible = set(
        db.session.scalars(
            sa.select(Post.id).where(
                Post.id.in_([link.post_id for link in links if link.post_id]),
                sa.true() if hidden_posts else Post.hidden.is_(False),
            )
        )
    )
    feedback = db.session.scalars(
        sa.select(Feedback).where(Feedback.prototype_id == prototype.id).order_by(Feedback.id)
    )
    return {
        **prototype.to_dict(),
        "linked_post_ids": sorted(visible),
        "linked_cluster_ids": sorted(link.cluster_id for link in links if link.cluster_id),
        "links": [link.to_dict() for link in links if link.cluster_id or link.post_id in visible],
        "feedback": [f.to_dict() for f in feedback],
    }


def workshop_prototypes(workshop_id: int) -> list[dict]:
    """Every prototype of a process, described."""
    prototypes = db.session.scalars(
        sa.select(Prototype).where(Prototype.workshop_id == workshop_id).order_by(Prototype.id)
    )
    return [describe(p) for p in prototypes]


def prototypes_using_post(post_id: int) -> list[Prototype]:
    """Every prototype that a note is evidence for."""
    return list(
        db.session.scalars(
            sa.select(Prototype)
            .join(PrototypeLink, PrototypeLink.prototype_id == Prototype.id)
            .where(PrototypeLink.post_id == post_id)
            .order_by(Prototype.id)
        )
    )


def revisions(prototype: Prototype) -> list[PrototypeRevision]:
    return list(
        db.session.scalars(
            sa.select(PrototypeRevision)
            .where(PrototypeRevision.prototype_id == prototype.id)
            .order_by(PrototypeRevision.number.desc())
        )
    )


# --- the canvas --------------------------------------------------------------------------


def _revise(prototype: Prototype, change: str, author_name: str, author_role: str, **who) -> None:
    number = (
        db.session.scalar(
            sa.select(sa.func.max(PrototypeRevision.number)).where(
                PrototypeRevision.prototype_id == prototype.id
            )
        )
        or 0
    ) + 1
    db.session.add(
        PrototypeRevision(
            prototype_id=prototype.id,
            number=number,
            change=change,
            fields=dict(prototype.fields),
            author_name=author_name,
            author_role=author_role,
            **who,
        )
    )
    prototype.updated_at = utcnow()
    db.session.flush()


def _by(viewer: Viewer) -> dict:
    return {
        "author_name": viewer.name,
        "author_role": viewer.role,
        "participant_id": viewer.participant_id,
        "account_id": viewer.account_id,
    }


def _field_text(field: object, text: object) -> tuple[str, str]:
    if not isinstance(field, str) or field not in CANVAS_FIELDS:  # a list is unhashable
        raise PonteError(
            "invalid_field", _("field must be one of %(values)s.", values=", ".join(CANVAS_FIELDS))
        )
    if not isinstance(text, str):
        raise PonteError("invalid_text", _("'%(name)s' must be a text.", name="text"))
    text = clean_text(text)
    limit = CANVAS_FIELDS[field][1]
    if len(text) > limit:
        raise PonteError(
            "text_too_long",
            _("This field can have at most %(count)s characters.", count=limit),
            413,
        )
    return field, text


def _can_build(viewer: Viewer, ws: WorkshopSession, group_id: int | None = None) -> None:
    """Refuse who may not write on a canvas now: not a builder, not the phase, not their group."""
    viewer.require("post")
    if viewer.can("facilitate"):
        return
    if viewer.role == "decision_maker":
        raise PonteError("forbidden", _("Decision makers give feedback; the groups write."), 403)
    if ws.phase not in EDIT_PHASES:
        raise PonteError("phase_forbids", _("Prototypes are built in the prototype phase."), 409)
    own = _own_group(viewer, ws)
    if own is not None and group_id is not None and group_id != own:
        raise PonteError("not_your_group", _("This prototype belongs to another group."), 403)


def _own_group(viewer: Viewer, ws: WorkshopSession) -> int | None:
    if viewer.participant_id is None:
        return None
    return db.session.scalar(
        sa.select(Attendance.group_id).where(
            Attendance.session_id == ws.id, Attendance.participant_id == viewer.participant_id
        )
    )


def create_prototype(viewer: Viewer, title: object, group_id: int | None = None):
    """Start a prototype for a themed group (a participant's own group by default)."""
    ws = writable_session(viewer)
    _can_build(viewer, ws, group_id)
    if ws.kind != "co_projecting":
        raise PonteError(
            "no_prototypes", _("Prototypes are built in co-projecting workshops."), 409
        )
    title = _field_text("title", title)[1]
    if not title:
        raise PonteError("invalid_text", _("Give the prototype a title."))
    if group_id is None:
        group_id = _own_group(viewer, ws)
    if group_id is not None:
        owner = db.session.scalar(sa.select(Group.session_id).where(Group.id == group_id))
        if owner != ws.id:
            raise PonteError("unknown_group", _("No such group in this session."), 404)
    prototype = Prototype(
        workshop_id=ws.workshop_id,
        session_id=ws.id,
        group_id=group_id,
        fields={"title": title},
        versions={"title": 1},
    )
    db.session.add(prototype)
    db.session.flush()
    _revise(prototype, "created", **_by(viewer))
    return prototype, append_event(ws.id, "prototype_created", {"prototype": describe(prototype)})


def edit_field(
    viewer: Viewer, prototype_id: object, field: object, text: object, base_version: object
):
    """Save one field, typed on ``base_version``; a stale version is a conflict, not a loss.

    On a conflict nothing is saved and the refusal carries the field's current text and
    version, so the tablet can show both and let its author merge.
    """
    ws = writable_session(viewer)
    prototype = prototype_in_session(viewer, prototype_id, for_update=True)
    _can_build(viewer, ws, prototype.group_id)
    field, text = _field_text(field, text)
    if not isinstance(base_version, int) or isinstance(base_version, bool):
        raise PonteError(
            "invalid_base_version", _("'base_version' must be the version you edited.")
        )
    current = prototype.versions.get(field, 0)
    if base_version != current:
        raise ConflictError(field, prototype.fields.get(field, ""), current)
    if prototype.fields.get(field, "") == text:
        return prototype, None
    prototype.fields = {**prototype.fields, field: text}
    prototype.versions = {**prototype.versions, field: current + 1}
    _revise(prototype, field, **_by(viewer))
    return prototype, append_event(
        ws.id,
        "prototype_field_updated",
        {
            "prototype_id": prototype.id,
            "field": field,
            "text": text,
            "version": current + 1,
            "author": {"name": viewer.name, "role": viewer.role},
        },
    )


class ConflictError(PonteError):
    """Someone saved the field since this tablet loaded it."""

    def __init__(self, field: str, text: str, version: int):
        super().__init__(
            "conflict",
            _("Someone else changed this field meanwhile. Compare and save again."),
            409,
        )
        self.current = {"field": field, "text": text, "version": version}

    def to_dict(self) -> dict:
        return {**super().to_dict(), "current": self.current}


def restore(viewer: Viewer, prototype: Prototype, number: object) -> SessionEvent | None:
    """Staff bring back the canvas of an older revision (itself saved as a new revision)."""
    viewer.require("facilitate")
    revision = (
        db.session.scalar(
            sa.select(PrototypeRevision).where(
                PrototypeRevision.prototype_id == prototype.id, PrototypeRevision.number == number
            )
        )
        if is_id(number)
        else None
    )
    if revision is None:
        raise PonteError("unknown_revision", _("No such revision of this prototype."), 404)
    changed = [
        f for f in CANVAS_FIELDS if revision.fields.get(f, "") != prototype.fields.get(f, "")
    ]
    prototype.fields = dict(revision.fields)
    prototype.versions = {
        f: prototype.versions.get(f, 0) + (1 if f in changed else 0) for f in CANVAS_FIELDS
    }
    _revise(prototype, f"restored {revision.number}", **_by(viewer))
    if prototype.session_id is None:
        return None
    return append_event(
        prototype.session_id, "prototype_restored", {"prototype": describe(prototype)}
    )


# --- evidence ----------------------------------------------------------------------------


def link(viewer: Viewer, prototype_id: object, post_id: object = None, cluster_id: object = None):
    """Link a note of the board, or a theme carried forward, as evidence."""
    ws = writable_session(viewer)
    prototype = prototype_in_session(viewer, prototype_id, for_update=True)
    _can_build(viewer, ws, prototype.group_id)
    if (post_id is None) == (cluster_id is None):
        raise PonteError("invalid_link", _("Link either a note (post_id) or a theme (cluster_id)."))
    if post_id is not None:
        post = post_in_session(viewer, post_id)
        if post.hidden:
            raise PonteError("unknown_post", _("No such post in this session."), 404)
        where = PrototypeLink.post_id == post.id
        new = PrototypeLink(prototype_id=prototype.id, post_id=post.id)
    else:
        theme = db.session.get(Cluster, cluster_id) if is_id(cluster_id) else None
        source = db.session.get(WorkshopSession, theme.session_id) if theme else None
        usable = theme is not None and (
            theme.session_id == ws.id
            or (theme.carried_forward and source.workshop_id == ws.workshop_id)
        )
        if not usable:
            raise PonteError("unknown_cluster", _("No such theme here."), 404)
        where = PrototypeLink.cluster_id == theme.id
        new = PrototypeLink(prototype_id=prototype.id, cluster_id=theme.id)
    if db.session.scalar(
        sa.select(PrototypeLink.id).where(PrototypeLink.prototype_id == prototype.id, where)
    ):
        return prototype, None
    db.session.add(new)
    db.session.flush()
    return prototype, append_event(
        ws.id, "prototype_linked", {"prototype_id": prototype.id, "link": new.to_dict()}
    )


def unlink(viewer: Viewer, prototype_id: object, link_id: object):
    ws = writable_session(viewer)
    prototype = prototype_in_session(viewer, prototype_id, for_update=True)
    _can_build(viewer, ws, prototype.group_id)
    row = db.session.get(PrototypeLink, link_id) if is_id(link_id) else None
    if row is None or row.prototype_id != prototype.id:
        raise PonteError("unknown_link", _("No such link on this prototype."), 404)
    gone = row.to_dict()
    db.session.delete(row)
    db.session.flush()
    return prototype, append_event(
        ws.id,
        "prototype_unlinked",
        {
            "prototype_id": prototype.id,
            "link_id": link_id,
            "post_id": gone["post_id"],
            "cluster_id": gone["cluster_id"],
        },
    )


# --- feedback and status -----------------------------------------------------------------


def give_feedback(
    viewer: Viewer, prototype_id: object, kind: object, text: object, commitment: dict | None = None
):
    """A decision maker reacts in the feedback phase, optionally committing to act."""
    if viewer.role not in ("decision_maker", "trainer", "staff"):
        raise PonteError("forbidden", _("Decision makers give feedback on prototypes."), 403)
    ws = writable_session(viewer)
    if ws.phase != "feedback" and not viewer.can("facilitate"):
        raise PonteError("phase_forbids", _("Feedback opens in the feedback phase."), 409)
    prototype = prototype_in_session(viewer, prototype_id)
    if kind not in FEEDBACK_KINDS:
        raise PonteError(
            "invalid_kind", _("kind must be one of %(values)s.", values=", ".join(FEEDBACK_KINDS))
        )
    if not isinstance(text, str) or not clean_text(text) or len(clean_text(text)) > 2000:
        raise PonteError("invalid_text", _("Write 1 to 2,000 characters."))
    events = []
    commitment_id = None
    if commitment is not None:
        if not isinstance(commitment, dict):
            raise PonteError("invalid_commitment", _("'commitment' must be {what, who, by_when}."))
        recorded, event = commitments.record_commitment(
            viewer, commitment.get("what"), commitment.get("who"), commitment.get("by_when")
        )
        commitment_id = recorded.id
        events.append(event)
    feedback = Feedback(
        prototype_id=prototype.id,
        kind=kind,
        text=clean_text(text),
        commitment_id=commitment_id,
        **_by(viewer),
    )
    db.session.add(feedback)
    db.session.flush()
    events.append(append_event(ws.id, "feedback_given", {"feedback": feedback.to_dict()}))
    return feedback, events


def status_word(status: str) -> str:
    """A prototype status as people read it, in the request's language."""
    words = {
        "draft": _("draft"),
        "presented": _("presented"),
        "under_consideration": _("under consideration"),
        "adopted": _("adopted"),
        "piloted": _("piloted"),
        "not_pursued": _("not pursued"),
    }
    return words.get(status, status)


def change_status(viewer: Viewer | None, prototype: Prototype, status: object, reason: object = ""):
    """Move a prototype along its life; "not pursued" needs a reason. Staff and trainers only.

    :param viewer: who asks, live; None when a logged-in staff page asks.
    """
    if viewer is not None:
        viewer.require("facilitate")
    if status not in STATUSES:
        raise PonteError(
            "invalid_status", _("status must be one of %(values)s.", values=", ".join(STATUSES))
        )
    if status == prototype.status:
        return None
    if status not in TRANSITIONS[prototype.status]:
        raise PonteError(
            "invalid_transition",
            _(
                "A prototype cannot go from %(old)s to %(new)s.",
                old=status_word(prototype.status),
                new=status_word(status),
            ),
            409,
        )
    reason = clean_text(reason) if isinstance(reason, str) else ""
    if status == "not_pursued" and not reason:
        raise PonteError("reason_required", _("Say why the prototype is not pursued."))
    prototype.status = status
    prototype.status_reason = reason[:2000]
    prototype.updated_at = utcnow()
    db.session.flush()
    if prototype.session_id is None:
        return None
    return append_event(
        prototype.session_id,
        "prototype_status_changed",
        {"prototype_id": prototype.id, "status": status, "reason": prototype.status_reason},
    )


# --- reuse -------------------------------------------------------------------------------


def duplicate(prototype: Prototype, into: Workshop, account) -> Prototype:
    """Copy a prototype's canvas into another process, as a new draft without evidence."""
    copy = Prototype(
        workshop_id=into.id,
        fields=dict(prototype.fields),
        versions={f: 1 for f in prototype.fields},
        duplicated_from_id=prototype.id,
    )
    db.session.add(copy)
    db.session.flush()
    _revise(copy, "duplicated", account.name, account.role, account_id=account.id)
    return copy


def export(prototype: Prototype) -> dict:
    """A self-contained JSON record: canvas, evidence texts, feedback, revisions."""
    described = describe(prototype)
    posts = db.session.scalars(sa.select(Post).where(Post.id.in_(described["linked_post_ids"])))
    return {
        "format": "ponte.prototype/1",
        "prototype": described,
        "evidence": [
            {"id": p.id, "text": p.text, "language": p.language, "author_role": p.author_role}
            for p in posts
        ],
        "revisions": [r.to_dict() for r in revisions(prototype)],
    }
