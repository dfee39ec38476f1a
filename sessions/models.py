"""A live session (WorkshopSession), its groups, prompts, attendance, posts and event log."""

import datetime as dt
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ponte.extensions import db
from workshops.models import iso_utc, utcnow

SESSION_KINDS = ("listening", "face_to_face", "co_projecting")
# The phases of a co-projecting workshop, in order; the other kinds have no phases.
PHASES = ("frame", "ideas", "vote", "prototype", "feedback")
PHASE_LABELS = {
    "frame": "Frame the problem",
    "ideas": "Ideas",
    "vote": "Vote",
    "prototype": "Prototype",
    "feedback": "Feedback",
}
COMMITMENT_STATUSES = ("open", "in_progress", "done", "dropped")
GROUP_CHOICES = ("trainer", "self")
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
    # When it starts and ends, local time (the process's time zone); the Report's hours.
    start_time: Mapped[dt.time | None]
    end_time: Mapped[dt.time | None]
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    # Set while the session is live; a closed session keeps its last code, which no longer works.
    join_code: Mapped[str | None] = mapped_column(sa.String(12), unique=True)
    # The seq of the newest event in this session's log; the next event gets last_seq + 1.
    last_seq: Mapped[int] = mapped_column(default=0)
    # The account running the session; other trainers may watch, not facilitate.
    trainer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    # Opens the read-only projector view without a login.
    projector_key: Mapped[str | None] = mapped_column(sa.String(43))
    phase: Mapped[str | None] = mapped_column(sa.String(20))
    timer_ends_at: Mapped[datetime | None]
    timer_seconds: Mapped[int | None]
    locked: Mapped[bool] = mapped_column(default=False)
    anonymous: Mapped[bool] = mapped_column(default=False)
    # None: every prompt is shown; otherwise only this one (ids, not foreign keys: no cycles).
    current_prompt_id: Mapped[int | None]
    current_agenda_item_id: Mapped[int | None]
    spotlight_post_id: Mapped[int | None]
    votes_per_participant: Mapped[int] = mapped_column(default=3)
    votes_revealed: Mapped[bool] = mapped_column(default=False)
    group_choice: Mapped[str] = mapped_column(sa.String(10), default="trainer")
    # "open": a code lets people in; "approval": the trainer admits each person who joins.
    admission: Mapped[str] = mapped_column(sa.String(10), default="open", server_default="open")
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
            "start_time": f"{self.start_time:%H:%M}" if self.start_time else None,
            "end_time": f"{self.end_time:%H:%M}" if self.end_time else None,
            "place": self.place,
            "status": self.status,
            "phase": self.phase,
            "timer": {
                "ends_at": iso_utc(self.timer_ends_at),
                "seconds": self.timer_seconds,
            },
            "locked": self.locked,
            "anonymous": self.anonymous,
            "current_prompt_id": self.current_prompt_id,
            "current_agenda_item_id": self.current_agenda_item_id,
            "spotlight_post_id": self.spotlight_post_id,
            "votes_per_participant": self.votes_per_participant,
            "votes_revealed": self.votes_revealed,
            "group_choice": self.group_choice,
            "admission": self.admission,
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
    # The themed group this participant works in (co-projecting workshops).
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("group.id"))
    # Joined a session that needs the trainer's approval, not admitted yet: the token opens
    # nothing but the question "am I in?".
    waiting: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    def __repr__(self) -> str:
        return f"<Attendance {self.id} session={self.session_id} p={self.participant_id}>"


class StaffAttendance(db.Model):
    """A trainer or staff member who ran or watched a session, counted once."""

    __tablename__ = "staff_attendance"
    __table_args__ = (sa.UniqueConstraint("session_id", "account_id", name="uq_staff_attendance"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_session.id"), index=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class Cluster(db.Model):
    """A need or theme the trainer groups notes into; may be carried forward in the process."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_session.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
    carried_forward: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "position": self.position,
            "carried_forward": self.carried_forward,
        }

    def __repr__(self) -> str:
        return f"<Cluster {self.id} {self.name!r}>"


class AgendaItem(db.Model):
    """A topic of a face-to-face meeting; questions and answers are posted under it."""

    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_session.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    # The carried-forward theme this item came from, if any.
    cluster_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cluster.id"))

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "position": self.position,
            "cluster_id": self.cluster_id,
        }

    def __repr__(self) -> str:
        return f"<AgendaItem {self.id} {self.title!r}>"


class Commitment(db.Model):
    """What a decision maker committed to: what, who, by when, and how it is going."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workshop_session.id"))
    agenda_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_item.id"))
    what: Mapped[str] = mapped_column(sa.Text)
    who: Mapped[str] = mapped_column(sa.String(200))
    by_when: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(sa.String(20), default="open")
    public_update: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_name: Mapped[str] = mapped_column(sa.String(120))
    recorded_by_role: Mapped[str] = mapped_column(sa.String(20))
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"))
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "workshop_id": self.workshop_id,
            "session_id": self.session_id,
            "agenda_item_id": self.agenda_item_id,
            "what": self.what,
            "who": self.who,
            "by_when": self.by_when.isoformat() if self.by_when else None,
            "status": self.status,
            "public_update": self.public_update,
            "recorded_by": {"name": self.recorded_by_name, "role": self.recorded_by_role},
            "updated_at": iso_utc(self.updated_at),
        }

    def __repr__(self) -> str:
        return f"<Commitment {self.id} {self.status}>"


class Vote(db.Model):
    """One dot a participant put on a note; several dots may go on the same note."""

    __table_args__ = (sa.Index("ix_vote_session_participant", "session_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_session.id"))
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("post.id"), index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Vote {self.id} post={self.post_id} p={self.participant_id}>"


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
    cluster_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cluster.id"))
    agenda_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_item.id"))
    # The co-projecting phase the note was written in ("frame", "ideas"...), if any.
    phase: Mapped[str | None] = mapped_column(sa.String(20))
    hidden: Mapped[bool] = mapped_column(default=False)
    # Overrides the author's consent for this one note (None: the author's choice holds).
    quote_consent: Mapped[str | None] = mapped_column(sa.String(10))
    # "text", or "voice": a recording in ``audio_path``; ``text`` is then its transcription.
    kind: Mapped[str] = mapped_column(sa.String(10), default="text", server_default="text")
    audio_path: Mapped[str | None] = mapped_column(sa.String(300))
    audio_mime: Mapped[str | None] = mapped_column(sa.String(40))
    audio_seconds: Mapped[float | None]
    transcriber_name: Mapped[str | None] = mapped_column(sa.String(120))
    transcriber_role: Mapped[str | None] = mapped_column(sa.String(20))
    # A mediator who wrote the note for its author ("said by P3, written by the mediator").
    scribe_participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"))
    scribe_account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    scribe_name: Mapped[str | None] = mapped_column(sa.String(120))
    scribe_role: Mapped[str | None] = mapped_column(sa.String(20))
    seq: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]

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
            "cluster_id": self.cluster_id,
            "agenda_item_id": self.agenda_item_id,
            "phase": self.phase,
            "hidden": self.hidden,
            "kind": self.kind,
            # The url of a recording is added where it is presented (it is signed).
            "audio": (
                {"seconds": self.audio_seconds, "mime": self.audio_mime}
                if self.kind == "voice"
                else None
            ),
            "transcriber": (
                {"name": self.transcriber_name, "role": self.transcriber_role}
                if self.transcriber_name
                else None
            ),
            "scribe": (
                {
                    "name": self.scribe_name,
                    "role": self.scribe_role,
                    "participant_id": self.scribe_participant_id,
                }
                if self.scribe_name
                else None
            ),
            "seq": self.seq,
            "created_at": iso_utc(self.created_at),
            "edited_at": iso_utc(self.edited_at),
        }

    def __repr__(self) -> str:
        return f"<Post {self.id} session={self.session_id} seq={self.seq}>"


class PostTranslation(db.Model):
    """A note in another language, by a mediator or drafted by a machine until one checks it."""

    __tablename__ = "post_translation"
    __table_args__ = (sa.UniqueConstraint("post_id", "language", name="uq_post_translation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("post.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(sa.String(16))
    text: Mapped[str] = mapped_column(sa.Text)
    translator_name: Mapped[str] = mapped_column(sa.String(120))
    translator_role: Mapped[str] = mapped_column(sa.String(20))
    translator_participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"))
    translator_account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    # Drafted by a machine-translation provider; shown as such until a mediator confirms it.
    machine: Mapped[bool] = mapped_column(default=False)
    verified: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict:
        return {
            "post_id": self.post_id,
            "language": self.language,
            "text": self.text,
            "translator": {
                "name": self.translator_name,
                "role": self.translator_role,
                "participant_id": self.translator_participant_id,
            },
            "machine": self.machine,
            "verified": self.verified,
            "updated_at": iso_utc(self.updated_at),
        }

    def __repr__(self) -> str:
        return f"<PostTranslation post={self.post_id} {self.language}>"


REACTIONS = ("agree", "disagree", "unclear", "important")


class Reaction(db.Model):
    """A pictogram reaction of one participant to one note (agree, disagree, unclear, important)."""

    __table_args__ = (
        sa.UniqueConstraint("post_id", "participant_id", "kind", name="uq_reaction_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_session.id"), index=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("post.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"))
    kind: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Reaction {self.kind} post={self.post_id} p={self.participant_id}>"


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
