"""Notes in many languages: a mediator's translation of a note, or a machine's draft of one.

Every note keeps the language it was written (or said) in. A mediator (or staff) adds a
translation into any language of the process; each screen then shows a note in its viewer's
language when there is a translation, with the original one tap away. A machine draft, when a
provider is configured (``sessions.machine_translation``), is marked "machine translation,
not verified" until a mediator confirms it. A voice note's transcription is its text.
"""

from collections import defaultdict

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.database import writing
from ponte.errors import PonteError
from ponte.extensions import db
from sessions import machine_translation
from sessions.access import Viewer
from sessions.models import Post, PostTranslation, SessionEvent, WorkshopSession
from sessions.services import (
    MAX_POST_CHARS,
    append_event,
    clean_text,
    post_dict,
    post_in_session,
)
from workshops.models import Workshop, utcnow
from workshops.services import LANGUAGE_CODE


def translations_of(post_ids: list[int]) -> dict[int, list[dict]]:
    """The translations of these posts, by post id, in language order."""
    found: dict[int, list[dict]] = defaultdict(list)
    if not post_ids:
        return found
    rows = db.session.scalars(
        sa.select(PostTranslation)
        .where(PostTranslation.post_id.in_(post_ids))
        .order_by(PostTranslation.post_id, PostTranslation.language)
    )
    for row in rows:
        found[row.post_id].append(row.to_dict())
    return found


def translate(
    viewer: Viewer, post_id: object, language: object, text: object
) -> tuple[PostTranslation, SessionEvent]:
    """A mediator translates a note into a process language (replacing one already there)."""
    viewer.require("translate")
    post, language = _target(viewer, post_id, language)
    text = _clean_translation(text)
    translation = _translation(post.id, language)
    translation.text = text
    translation.machine = False
    translation.verified = True
    _signed_by(translation, viewer)
    return translation, _published(post, translation)


def machine_draft(
    viewer: Viewer, post_id: object, language: object
) -> tuple[PostTranslation, SessionEvent]:
    """Ask the configured provider for a draft; it stays 'not verified' until confirmed.

    The provider may take seconds: it is asked with no transaction open (so no write lock
    held), and the draft is stored in a writing transaction afterwards. Call it outside
    ``writing()``.
    """
    viewer.require("translate")
    provider = machine_translation.provider()
    if provider is None:
        raise PonteError(
            "machine_translation_off", _("Machine translation is not set up here."), 409
        )
    post, language = _draftable(viewer, post_id, language)
    text, source = post.text, post.language
    db.session.rollback()
    draft = _clean_translation(provider.translate(text, source=source, target=language))
    with writing():
        post, language = _draftable(viewer, post_id, language)
        translation = _translation(post.id, language)
        translation.text = draft
        translation.machine = True
        translation.verified = False
        translation.translator_name = provider.name
        translation.translator_role = "machine"
        translation.translator_participant_id = None
        translation.translator_account_id = None
        translation.updated_at = utcnow()
        db.session.flush()
        return translation, _published(post, translation)


def _draftable(viewer: Viewer, post_id: object, language: object) -> tuple[Post, str]:
    post, language = _target(viewer, post_id, language)
    existing = _existing(post.id, language)
    if existing is not None and existing.verified:
        raise PonteError(
            "already_translated", _("This note already has a checked translation."), 409
        )
    if not post.text:
        raise PonteError("nothing_to_translate", _("Transcribe the voice note first."), 409)
    return post, language


def confirm(
    viewer: Viewer, post_id: object, language: object, text: object = None
) -> tuple[PostTranslation, SessionEvent]:
    """A mediator checks a machine draft (correcting it if needed): it becomes verified."""
    viewer.require("translate")
    post, language = _target(viewer, post_id, language)
    translation = _existing(post.id, language)
    if translation is None:
        raise PonteError("unknown_translation", _("There is no translation to confirm."), 404)
    if text is not None:
        translation.text = _clean_translation(text)
    translation.verified = True
    _signed_by(translation, viewer)
    return translation, _published(post, translation)


def transcribe(viewer: Viewer, post_id: object, text: object) -> tuple[Post, SessionEvent]:
    """A mediator writes down what a voice note says; its text becomes the transcription."""
    viewer.require("translate")
    post = post_in_session(viewer, post_id)
    if post.kind != "voice":
        raise PonteError("not_a_voice_note", _("Only voice notes are transcribed."), 409)
    post.text = _clean_translation(text)
    post.transcriber_name = viewer.name
    post.transcriber_role = viewer.role
    db.session.flush()
    return post, append_event(post.session_id, "post_edited", {"post": post_dict(post)})


def _target(viewer: Viewer, post_id: object, language: object) -> tuple[Post, str]:
    post = post_in_session(viewer, post_id)
    if post.hidden and not viewer.is_staff:
        raise PonteError("unknown_post", _("No such post in this session."), 404)
    if not isinstance(language, str) or not LANGUAGE_CODE.match(language):
        raise PonteError(
            "invalid_language", _("language must be a code like 'it', 'en', 'zh' or 'ar'.")
        )
    languages = process_languages(post.session_id)
    if languages and language not in languages:
        raise PonteError(
            "not_a_process_language",
            _(
                "Translate into a language of this process: %(languages)s.",
                languages=", ".join(languages),
            ),
        )
    if language == post.language:
        raise PonteError("same_language", _("The note is already in this language."))
    return post, language


def process_languages(session_id: int) -> list[str]:
    return list(
        db.session.scalar(
            sa.select(Workshop.languages)
            .join(WorkshopSession, WorkshopSession.workshop_id == Workshop.id)
            .where(WorkshopSession.id == session_id)
        )
        or []
    )


def _existing(post_id: int, language: str) -> PostTranslation | None:
    return db.session.scalar(
        sa.select(PostTranslation).where(
            PostTranslation.post_id == post_id, PostTranslation.language == language
        )
    )


def _translation(post_id: int, language: str) -> PostTranslation:
    translation = _existing(post_id, language)
    if translation is None:
        translation = PostTranslation(post_id=post_id, language=language)
        db.session.add(translation)
    return translation


def _signed_by(translation: PostTranslation, viewer: Viewer) -> None:
    translation.translator_name = viewer.name
    translation.translator_role = viewer.role
    translation.translator_participant_id = viewer.participant_id
    translation.translator_account_id = viewer.account_id
    translation.updated_at = utcnow()
    db.session.flush()


def _clean_translation(text: object) -> str:
    if not isinstance(text, str):
        raise PonteError("invalid_text", _("'text' must be a string."))
    text = clean_text(text)
    if not text:
        raise PonteError("text_required", _("Write something before saving."))
    if len(text) > MAX_POST_CHARS:
        raise PonteError(
            "text_too_long",
            _("A note can have at most %(count)s characters.", count=MAX_POST_CHARS),
            413,
        )
    return text


def _published(post: Post, translation: PostTranslation) -> SessionEvent:
    data = {"post_id": post.id, "translation": translation.to_dict()}
    if post.hidden:
        data["hidden"] = True
    return append_event(post.session_id, "post_translated", data)
