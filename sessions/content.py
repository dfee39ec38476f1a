"""The words trainers and groups write, in every language of the process: one translation
model for all of them (a session's title, prompts, group names, themes, agenda items,
commitments, prototypes' canvas and status reasons).

Trainer content is written in the process's first language. The defaults (the three
prompts, the themed groups) are made from the interface's catalogs: in that language, with a
translation into every other process language the catalogs speak. Mediators translate the
rest (verified); a machine draft stays marked unverified until a mediator checks it; the
original is always kept. Flush, never commit.
"""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ponte.errors import PonteError
from ponte.extensions import db
from ponte.i18n import interface_languages
from sessions.models import AgendaItem, Cluster, Commitment, Group, Prompt, WorkshopSession
from workshops.models import Workshop, iso_utc, utcnow

DEFAULT_GROUPS = (_l("School"), _l("Participation"), _l("Services"))
DEFAULT_PROMPTS = (_l("What works?"), _l("What is hard?"), _l("What would you change?"))
CATALOG = "catalog"  # the translator role of a default's translation: Ponte's own catalogs
MAX_TEXT_CHARS = 4000


class ContentTranslation(db.Model):
    """One field of a subject (a prompt's text, a group's name…) in another language."""

    __tablename__ = "content_translation"
    __table_args__ = (
        sa.UniqueConstraint(
            "subject", "subject_id", "field", "language", name="uq_content_translation"
        ),
        sa.Index("ix_content_translation_subject", "subject", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    # The live session whose screens show it (None: a process's own, e.g. a commitment
    # recorded on the process page).
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workshop_session.id"), index=True)
    subject: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[int]
    field: Mapped[str] = mapped_column(sa.String(30))
    language: Mapped[str] = mapped_column(sa.String(16))
    text: Mapped[str] = mapped_column(sa.Text)
    translator_name: Mapped[str] = mapped_column(sa.String(120))
    translator_role: Mapped[str] = mapped_column(sa.String(20))
    translator_participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant.id"))
    translator_account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    machine: Mapped[bool] = mapped_column(default=False)
    verified: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def to_dict(self) -> dict:
        return {
            "subject": self.subject,
            "subject_id": self.subject_id,
            "field": self.field,
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
        return f"<ContentTranslation {self.subject}:{self.subject_id}.{self.field} {self.language}>"


# subject -> (model, the fields of it that are translated). Prototypes add theirs
# (prototypes/__init__.py): sessions know nothing of prototypes.
SUBJECTS: dict[str, tuple[type, tuple[str, ...]]] = {
    "session": (WorkshopSession, ("title",)),
    "prompt": (Prompt, ("text",)),
    "group": (Group, ("name",)),
    "cluster": (Cluster, ("name",)),
    "agenda_item": (AgendaItem, ("title",)),
    "commitment": (Commitment, ("what", "public_update")),
}


def register(subject: str, model: type, fields: tuple[str, ...]) -> None:
    """Let a domain above sessions make its own words translatable."""
    SUBJECTS[subject] = (model, fields)


def content_language(workshop: Workshop) -> str:
    """The language trainers write in: the process's first."""
    return (workshop.languages or ["it"])[0]


def original(subject: str, row, field: str) -> str:
    """The text of ``field`` as its author wrote it."""
    if subject == "prototype" and field != "status_reason":
        return row.fields.get(field, "")  # the canvas: one text per field
    return getattr(row, field) or ""


def session_of(subject: str, row) -> int | None:
    if subject == "session":
        return row.id
    return getattr(row, "session_id", None)


# --- the defaults, from the catalogs -----------------------------------------------------


def in_language(message, language: str) -> str:
    """A catalog message in ``language`` (English where the catalogs have none)."""
    with force_locale(language):
        return str(message)


def add_defaults(ws: WorkshopSession, workshop: Workshop) -> None:
    """Give a new session its default prompts or groups in the process language, translated
    into every other process language the interface's catalogs speak."""
    first = content_language(workshop)
    defaults = {"co_projecting": (Group, "name", DEFAULT_GROUPS)}
    defaults["listening"] = (Prompt, "text", DEFAULT_PROMPTS)
    if ws.kind not in defaults:
        return
    model, field, messages = defaults[ws.kind]
    subject = "group" if model is Group else "prompt"
    spoken = set(interface_languages())
    for position, message in enumerate(messages):
        row = model(session_id=ws.id, position=position, **{field: in_language(message, first)})
        db.session.add(row)
        db.session.flush()
        for language in workshop.languages[1:]:
            if language in spoken and language != first:
                db.session.add(
                    ContentTranslation(
                        workshop_id=workshop.id,
                        session_id=ws.id,
                        subject=subject,
                        subject_id=row.id,
                        field=field,
                        language=language,
                        text=in_language(message, language),
                        translator_name="Ponte",
                        translator_role=CATALOG,
                    )
                )
    db.session.flush()


# --- reading -----------------------------------------------------------------------------


class Words:
    """What the trainer and the groups wrote, in one language: the checked translation where
    there is one, else the original (the process's first language)."""

    def __init__(self, workshop: Workshop, language: str):
        self.language = language
        same = language == content_language(workshop)
        self._texts = {} if same else verified_texts(workshop.id, language)

    def __call__(self, subject: str, subject_id: int, field: str, text: str) -> str:
        return self._texts.get((subject, subject_id, field), text) if text else text

    def translated(self, subject: str, subject_id: int, field: str) -> str | None:
        """Only a translation (None where the original would show)."""
        return self._texts.get((subject, subject_id, field))


def of_session(session_id: int) -> list[dict]:
    """Every translation a session's screens show."""
    return [
        t.to_dict()
        for t in db.session.scalars(
            sa.select(ContentTranslation)
            .where(ContentTranslation.session_id == session_id)
            .order_by(ContentTranslation.id)
        )
    ]


def verified_texts(workshop_id: int, language: str) -> dict[tuple[str, int, str], str]:
    """(subject, id, field) -> the checked text in ``language`` (publications print these)."""
    return {
        (t.subject, t.subject_id, t.field): t.text
        for t in db.session.scalars(
            sa.select(ContentTranslation).where(
                ContentTranslation.workshop_id == workshop_id,
                ContentTranslation.language == language,
                ContentTranslation.verified.is_(True),
            )
        )
    }


def find(subject: object, subject_id: object, field: object):
    """The row and field a translation is about; refuse what is not translatable."""
    if subject not in SUBJECTS:
        raise PonteError(
            "invalid_subject",
            _("subject must be one of %(values)s.", values=", ".join(SUBJECTS)),
        )
    model, fields = SUBJECTS[subject]
    if not isinstance(field, str) or field not in fields:
        raise PonteError("invalid_field", _("This field cannot be translated."))
    row = db.session.get(model, subject_id) if isinstance(subject_id, int) else None
    if row is None:
        raise PonteError("unknown_subject", _("Not found in this session."), 404)
    return row


def coverage(session_id: int, language: str) -> list[dict]:
    """What of a session still lacks a checked translation into ``language``: its title, its
    prompts, groups, themes and agenda items, and its commitments."""
    ws = db.session.get(WorkshopSession, session_id)
    workshop = db.session.get(Workshop, ws.workshop_id)
    if language == content_language(workshop):
        return []
    done = {
        (t.subject, t.subject_id, t.field)
        for t in db.session.scalars(
            sa.select(ContentTranslation).where(
                ContentTranslation.session_id == session_id,
                ContentTranslation.language == language,
                ContentTranslation.verified.is_(True),
            )
        )
    }
    missing = []
    for subject, row in _rows_of(ws):
        for field in SUBJECTS[subject][1]:
            text = original(subject, row, field)
            if text and (subject, row.id, field) not in done:
                missing.append(
                    {"subject": subject, "subject_id": row.id, "field": field, "text": text}
                )
    return missing


def _rows_of(ws: WorkshopSession):
    yield "session", ws
    for subject, (model, _fields) in SUBJECTS.items():
        if subject == "session":
            continue
        order = (model.position, model.id) if hasattr(model, "position") else (model.id,)
        for row in db.session.scalars(
            sa.select(model).where(model.session_id == ws.id).order_by(*order)
        ):
            yield subject, row


def process_coverage(workshop: Workshop, language: str) -> list[dict]:
    """What of the whole process a publication in ``language`` would print in the original
    only, session by session (each item carries its session's title)."""
    missing = []
    for ws in db.session.scalars(
        sa.select(WorkshopSession)
        .where(WorkshopSession.workshop_id == workshop.id)
        .order_by(WorkshopSession.date, WorkshopSession.id)
    ):
        missing += [{**item, "session": ws.title} for item in coverage(ws.id, language)]
    return missing
