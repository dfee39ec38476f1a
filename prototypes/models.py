"""A Prototype (the canvas), its revisions, its links to notes and themes, and feedback."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ponte.extensions import db
from workshops.models import iso_utc, utcnow

# The canvas, in the order a group fills it in. Each field is edited on its own, with its
# own version, so two tablets typing in different fields never collide.
CANVAS_FIELDS = {
    "title": ("Title", 200),
    "problem": ("The problem, here", 4000),
    "affected": ("Who is affected", 2000),
    "idea": ("The idea", 4000),
    "how_it_works": ("How it would work, step by step", 4000),
    "actors": ("Who must act", 2000),
    "resources": ("What it needs", 2000),
    "first_steps": ("First steps", 2000),
    "risks": ("Risks", 2000),
    "success_measure": ("How we would know it works", 2000),
}
STATUSES = ("draft", "presented", "under_consideration", "adopted", "piloted", "not_pursued")
# Which status may follow which: the life of a proposal in front of a city.
TRANSITIONS = {
    "draft": {"presented"},
    "presented": {"under_consideration", "draft"},
    "under_consideration": {"adopted", "piloted", "not_pursued", "presented"},
    "adopted": {"under_consideration"},
    "piloted": {"adopted", "not_pursued", "under_consideration"},
    "not_pursued": {"under_consideration"},
}
FEEDBACK_KINDS = ("support", "concern", "question")


class Prototype(db.Model):
    """A possible solution a themed group builds, and what became of it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    # The co-projecting session it was built in (its log carries the live edits).
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workshop_session.id"))
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("group.id"))
    # {"title": "...", "problem": "...", ...}: the current text of every canvas field.
    fields: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # {"title": 3, ...}: bumped on every change of that field; an edit names the version
    # it was typed on, and a stale one is refused as a conflict, never silently lost.
    versions: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")
    duplicated_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("prototype.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "workshop_id": self.workshop_id,
            "session_id": self.session_id,
            "group_id": self.group_id,
            "fields": {name: self.fields.get(name, "") for name in CANVAS_FIELDS},
            "versions": {name: self.versions.get(name, 0) for name in CANVAS_FIELDS},
            "status": self.status,
            "status_reason": self.status_reason,
            "duplicated_from_id": self.duplicated_from_id,
            "updated_at": iso_utc(self.updated_at),
        }

    def __repr__(self) -> str:
        return f"<Prototype {self.id} {self.status}>"


class PrototypeRevision(db.Model):
    """Every save of a prototype: the whole canvas after it, who saved, when, what changed."""

    __tablename__ = "prototype_revision"
    __table_args__ = (
        sa.UniqueConstraint("prototype_id", "number", name="uq_prototype_revision_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prototype_id: Mapped[int] = mapped_column(sa.ForeignKey("prototype.id"), index=True)
    number: Mapped[int]
    # A canvas field name, or "created", "restored", "duplicated".
    change: Mapped[str] = mapped_column(sa.String(40))
    fields: Mapped[dict] = mapped_column(sa.JSON)
    author_name: Mapped[str] = mapped_column(sa.String(120))
    author_role: Mapped[str] = mapped_column(sa.String(20))
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"))
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "change": self.change,
            "fields": self.fields,
            "author": {"name": self.author_name, "role": self.author_role},
            "created_at": iso_utc(self.created_at),
        }


class PrototypeLink(db.Model):
    """Evidence: a note from the board, or a theme carried forward, that a prototype answers."""

    __tablename__ = "prototype_link"
    __table_args__ = (
        sa.UniqueConstraint("prototype_id", "post_id", name="uq_prototype_link_post"),
        sa.UniqueConstraint("prototype_id", "cluster_id", name="uq_prototype_link_cluster"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prototype_id: Mapped[int] = mapped_column(sa.ForeignKey("prototype.id"), index=True)
    # A removed theme takes its links with it (sessions/ does not know about prototypes).
    post_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("post.id", ondelete="CASCADE"), index=True
    )
    cluster_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cluster.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict:
        return {"id": self.id, "post_id": self.post_id, "cluster_id": self.cluster_id}


class Feedback(db.Model):
    """A decision maker's reaction to a prototype: support, a concern or a question."""

    id: Mapped[int] = mapped_column(primary_key=True)
    prototype_id: Mapped[int] = mapped_column(sa.ForeignKey("prototype.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    text: Mapped[str] = mapped_column(sa.Text)
    author_name: Mapped[str] = mapped_column(sa.String(120))
    author_role: Mapped[str] = mapped_column(sa.String(20))
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"))
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    commitment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("commitment.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "prototype_id": self.prototype_id,
            "kind": self.kind,
            "text": self.text,
            "author": {"name": self.author_name, "role": self.author_role},
            "commitment_id": self.commitment_id,
            "created_at": iso_utc(self.created_at),
        }
