"""Mediators translate what the trainer and the groups wrote (a prompt, a group's name, an
agenda item…) into a language of the process; every screen of the session then shows it in
its viewer's language, live. The rules of notes hold: a mediator's translation is verified,
a machine draft is not until a mediator checks it, the original stays. Flush, never commit."""

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from sessions import content
from sessions.access import Viewer
from sessions.content import ContentTranslation
from sessions.models import SessionEvent, WorkshopSession
from sessions.services import append_event, clean_text
from workshops.models import Workshop, utcnow


def translate_content(
    viewer: Viewer, subject: object, subject_id: object, field: object, language: object, text
) -> tuple[ContentTranslation, SessionEvent]:
    """A mediator (or trainer, or staff) translates one field of the session's content."""
    viewer.require("translate")
    row = content.find(subject, subject_id, field)
    ws = db.session.get(WorkshopSession, viewer.session_id)
    if content.session_of(subject, row) != ws.id:
        raise PonteError("unknown_subject", _("Not found in this session."), 404)
    workshop = db.session.get(Workshop, ws.workshop_id)
    if language not in workshop.languages:
        raise PonteError(
            "not_a_process_language",
            _(
                "Translate into a language of this process: %(languages)s.",
                languages=", ".join(workshop.languages),
            ),
        )
    if language == content.content_language(workshop):
        raise PonteError("same_language", _("This is already in that language."))
    if not isinstance(text, str) or not (text := clean_text(text)):
        raise PonteError("text_required", _("Write something before saving."))
    if len(text) > content.MAX_TEXT_CHARS:
        raise PonteError(
            "text_too_long",
            _("A translation can have at most %(count)s characters.", count=content.MAX_TEXT_CHARS),
            413,
        )
    translation = db.session.scalar(
        sa.select(ContentTranslation).where(
            ContentTranslation.subject == subject,
            ContentTranslation.subject_id == row.id,
            ContentTranslation.field == field,
            ContentTranslation.language == language,
        )
    )
    if translation is None:
        translation = ContentTranslation(
            workshop_id=workshop.id,
            session_id=ws.id,
            subject=subject,
            subject_id=row.id,
            field=field,
            language=language,
        )
        db.session.add(translation)
    translation.text = text
    translation.machine, translation.verified = False, True
    translation.translator_name, translation.translator_role = viewer.name, viewer.role
    translation.translator_participant_id = viewer.participant_id
    translation.translator_account_id = viewer.account_id
    translation.updated_at = utcnow()
    db.session.flush()
    return translation, append_event(
        ws.id, "content_translated", {"translation": translation.to_dict()}
    )


def original_changed(subject: str, row_id: int, session_id: int | None) -> list[SessionEvent]:
    """The author rewrote the original: its translations no longer say the same. The
    catalogs' go (they translated the default); the rest wait, unverified, for a mediator."""
    events = []
    for translation in db.session.scalars(
        sa.select(ContentTranslation).where(
            ContentTranslation.subject == subject, ContentTranslation.subject_id == row_id
        )
    ):
        if translation.translator_role == content.CATALOG:
            db.session.delete(translation)
            data = {"translation": {**translation.to_dict(), "text": None}}
        elif translation.verified:
            translation.verified = False
            data = {"translation": translation.to_dict()}
        else:
            continue
        if session_id is not None:
            events.append(append_event(session_id, "content_translated", data))
    db.session.flush()
    return events


def carry_translations(theme, item) -> list[dict]:
    """An agenda item made from a carried-forward theme, with the theme's words, takes the
    theme's translations with it (for the item's own session)."""
    if item.title != theme.name:
        return []
    copied = []
    for source in db.session.scalars(
        sa.select(ContentTranslation).where(
            ContentTranslation.subject == "cluster",
            ContentTranslation.subject_id == theme.id,
            ContentTranslation.field == "name",
        )
    ):
        translation = ContentTranslation(
            workshop_id=source.workshop_id,
            session_id=item.session_id,
            subject="agenda_item",
            subject_id=item.id,
            field="title",
            language=source.language,
            text=source.text,
            translator_name=source.translator_name,
            translator_role=source.translator_role,
            translator_participant_id=source.translator_participant_id,
            translator_account_id=source.translator_account_id,
            machine=source.machine,
            verified=source.verified,
        )
        db.session.add(translation)
        copied.append(translation)
    db.session.flush()
    return [t.to_dict() for t in copied]
