"""A generated Publication (kept, with its hash), the job that renders it, and photos."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ponte.extensions import db
from workshops.models import iso_utc, utcnow

KINDS = ("report", "booklet")
JOB_STATES = ("queued", "running", "done", "failed")
# How a person's words or face may be published: with their name, without it, only in the
# internal report, or nowhere at all.
CONSENTS = ("named", "anonymous", "internal", "never")


class PublicationJob(db.Model):
    """A request to render a publication, picked up by the worker process."""

    __tablename__ = "publication_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    language: Mapped[str] = mapped_column(sa.String(16))
    # "it", or two languages for a bilingual edition: "it+en".
    edition: Mapped[str] = mapped_column(sa.String(40))
    state: Mapped[str] = mapped_column(sa.String(10), default="queued", index=True)
    progress: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    publication_id: Mapped[int | None] = mapped_column(sa.ForeignKey("publication.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "edition": self.edition,
            "state": self.state,
            "progress": self.progress,
            "error": self.error,
            "publication_id": self.publication_id,
            "created_at": iso_utc(self.created_at),
        }


class Publication(db.Model):
    """A rendered PDF, kept on disk: who made it, when, which edition, its SHA-256."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    edition: Mapped[str] = mapped_column(sa.String(40))
    path: Mapped[str] = mapped_column(sa.String(300))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    pages: Mapped[int]
    seconds: Mapped[float]
    made_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Media(db.Model):
    """A photo of a session (a flipchart, the room), re-encoded without metadata."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workshop_session.id"))
    filename: Mapped[str] = mapped_column(sa.String(80))
    width: Mapped[int]
    height: Mapped[int]
    caption: Mapped[str] = mapped_column(sa.Text, default="")
    consent: Mapped[str] = mapped_column(sa.String(10), default="internal")
    # The people (person ids) who can be recognised in the photo: it is published only if each
    # of them allows photos; erasing one of them deletes it.
    person_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list, server_default="[]")
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PartnerLogo(db.Model):
    """A partner's logo for the covers of a process's Report and Booklet (PNG, alpha kept)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    # The partner's name: the logo's alternative text on the covers.
    name: Mapped[str] = mapped_column(sa.String(160))
    filename: Mapped[str] = mapped_column(sa.String(80))
    width: Mapped[int]
    height: Mapped[int]
    # Left to right on the cover, lowest first.
    position: Mapped[int] = mapped_column(default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
