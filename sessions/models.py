"""A live session (WorkshopSession), its groups, prompts, attendance, posts and event log."""

import datetime as dt
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ponte.extensions import db
from workshops.models import utcnow

SESSION_KINDS = ("listening", "face_to_face", "co_projecting")
SESSION_STATUSES = ("draft", "live", "closed")
KIND_LABELS = {
    "listening": "Listening session",
    "face_to_face": "Face-to-face meeting",
    "co_projecting": "Co-projecting workshop",
}


class WorkshopSession(db.Model):
    """One live activity of a process: a listening session, a meeting or a workshop."""

    __tablename__ = "workshop_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(200))
    date: Mapped[dt.date | None]
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    # Set while the session is live; a closed session keeps its last code, which no longer works.
    join_code: Mapped[str | None] = mapped_column(sa.String(12), unique=True)
    # The seq of the newest event in this session's log; the next event gets last_seq + 1.
    last_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    @property
    def is_live(self) -> bool:
        return self.status == "live"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "workshop_id": self.workshop_id,
            "kind": self.kind,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "place": self.place,
            "status": self.status,
        }

    def __repr__(self) -> str:
        return f"<WorkshopSession {self.id} {self.kind} {self.status}>"


class Group(db.Model):
    """A themed group of a session (School, Participation, Services...), with its own board."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_session.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "position": self.position}

    def __repr__(self) -> str:
        return f"<Group {self.id} {self.name!r}>"


class Prompt(db.Model):
    """A question participants answer with notes, e.g. "What is hard?"."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_session.id"), index=True)
    text: Mapped[str] = mapped_column(sa.String(300))
    position: Mapped[int] = mapped_column(default=0)

    def to_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "position": self.position}

    def __repr__(self) -> str:
        return f"<Prompt {self.id} {self.text!r}>"


class Attendance(db.Model):
    """A participant's presence in one session; its token opens that session and no other."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_session.id"), index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    # sha256 of the bearer token: a leaked database does not hand out working tokens.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<Attendance {self.id} session={self.session_id} p={self.participant_id}>"


class Post(db.Model):
    """A note on the board, written by a participant or by a trainer."""

    __table_args__ = (sa.UniqueConstraint("session_id", "client_id", name="uq_post_client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_session.id"), index=True)
    # Chosen by the tablet (a uuid); resending the same client_id never makes a second post.
    client_id: Mapped[str] = mapped_column(sa.String(36))
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"))
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    author_name: Mapped[str] = mapped_column(sa.String(120))
    author_role: Mapped[str] = mapped_column(sa.String(20))
    text: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(16))
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("group.id"))
    prompt_id: Mapped[int | None] = mapped_column(sa.ForeignKey("prompt.id"))
    hidden: Mapped[bool] = mapped_column(default=False)
    seq: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "session_id": self.session_id,
            "client_id": self.client_id,
            "text": self.text,
            "language": self.language,
            "author": {
                "name": self.author_name,
                "role": self.author_role,
                "participant_id": self.participant_id,
            },
            "group_id": self.group_id,
            "prompt_id": self.prompt_id,
            "hidden": self.hidden,
            "seq": self.seq,
            "created_at": self.created_at.isoformat() + "Z",
        }

    def __repr__(self) -> str:
        return f"<Post {self.id} session={self.session_id} seq={self.seq}>"


class SessionEvent(db.Model):
    """One change to a session, in order: the log that ``sync`` replays to reconnecting tablets."""

    __tablename__ = "session_event"
    __table_args__ = (sa.UniqueConstraint("session_id", "seq", name="uq_session_event_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_session.id"))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(sa.String(40))
    data: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict:
        return {"seq": self.seq, "type": self.type, "data": self.data}

    def __repr__(self) -> str:
        return f"<SessionEvent {self.session_id}#{self.seq} {self.type}>"
