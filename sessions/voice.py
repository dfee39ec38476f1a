"""Voice notes: a short recording from a tablet, kept as a file and played on every screen.

A voice note is a ``Post`` of kind "voice": the recording is a file under
``PONTE_FILES_DIR/voice/``, its ``text`` is a transcription a mediator may add later. The
type is checked by the file's first bytes (not by what the browser claims), the size and the
length are bounded. Recordings are served only through a signed url that the board hands to
the screens that may see the note; the url of a hidden note works for staff only.
"""

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, url_for
from flask_babel import gettext as _

from ponte.errors import PonteError

MAX_VOICE_BYTES = 2 * 1024 * 1024
MAX_VOICE_SECONDS = 60
# The container types MediaRecorder produces (Chromium/Firefox: WebM or Ogg; Safari: MP4).
_SIGNATURES = (
    (b"\x1a\x45\xdf\xa3", 0, "audio/webm", "webm"),
    (b"OggS", 0, "audio/ogg", "ogg"),
    (b"ftyp", 4, "audio/mp4", "m4a"),
)


@dataclass(frozen=True)
class Recording:
    """A stored recording: its file (relative to the files directory), type and length."""

    path: str
    mime: str
    seconds: float


def sniff(data: bytes) -> tuple[str, str] | None:
    """Return (mime type, extension) of a recording from its first bytes, or None."""
    for signature_bytes, offset, mime, extension in _SIGNATURES:
        if data[offset : offset + len(signature_bytes)] == signature_bytes:
            return mime, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav", "wav"
    return None


def parse_seconds(value: object) -> float:
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = -1.0
    if not 0 < seconds <= MAX_VOICE_SECONDS + 1:
        raise PonteError(
            "invalid_seconds",
            _("A voice note lasts at most %(count)s seconds.", count=MAX_VOICE_SECONDS),
        )
    return round(min(seconds, MAX_VOICE_SECONDS), 1)


def store(data: bytes, seconds: object) -> Recording:
    """Check a recording and keep it as a file; refuse what is too big or not audio."""
    if len(data) > MAX_VOICE_BYTES:
        raise PonteError(
            "audio_too_large",
            _("A voice note can be at most %(mb)s MB.", mb=MAX_VOICE_BYTES // (1024 * 1024)),
            413,
        )
    if len(data) < 16:
        raise PonteError("audio_required", _("The recording is empty. Record again."))
    kind = sniff(data)
    if kind is None:
        raise PonteError(
            "unsupported_audio",
            _("This is not a recording Ponte can keep (WebM, Ogg, MP4, WAV)."),
            415,
        )
    length = parse_seconds(seconds)
    mime, extension = kind
    relative = f"voice/{uuid.uuid4().hex}.{extension}"
    target = files_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return Recording(path=relative, mime=mime, seconds=length)


def discard(recording: Recording | None) -> None:
    """Delete a stored recording that no note ended up using."""
    if recording is not None:
        (files_dir() / recording.path).unlink(missing_ok=True)


def files_dir() -> Path:
    return Path(current_app.config["PONTE_FILES_DIR"])


def file_of(path: str) -> Path:
    return files_dir() / path


def signature(post_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"voice:{post_id}".encode(), hashlib.sha256).hexdigest()[:32]


def signature_ok(post_id: int, sig: object) -> bool:
    # compare_digest() raises TypeError on a str with non-ASCII characters.
    return isinstance(sig, str) and sig.isascii() and hmac.compare_digest(sig, signature(post_id))


def with_audio_url(post: dict) -> dict:
    """Add the signed url of a voice note's recording to its post dict."""
    audio = post.get("audio")
    if not audio or "url" in audio:
        return post
    url = url_for("sessions.voice_file", post_id=post["id"], sig=signature(post["id"]))
    return {**post, "audio": {**audio, "url": url}}
