"""The few requests allowed past the app's 1 MB request limit: photos and voice notes."""

from flask import request


def _limits() -> dict[str, int]:
    from publications.media import MAX_UPLOAD_BYTES
    from sessions.voice import MAX_VOICE_BYTES

    return {
        "publications.upload_photo": MAX_UPLOAD_BYTES,
        "publications.logos_page": MAX_UPLOAD_BYTES,
        "sessions.api_voice": MAX_VOICE_BYTES,
    }


def allow_large_uploads() -> None:
    """Raise the request limit for upload endpoints (a form's other fields fit in 64 KB).

    Registered before CSRFProtect, which reads the form, hence the limit, first.
    """
    limit = _limits().get(request.endpoint or "")
    if limit is not None:
        request.max_content_length = limit + 64 * 1024
