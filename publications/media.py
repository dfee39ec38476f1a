"""Photos: re-encoded by Pillow so that no EXIF (GPS, camera, time) survives, size bounded."""

import io
import secrets

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ponte.errors import PonteError
from ponte.extensions import db
from publications.models import CONSENTS, Media
from publications.render import media_folder

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_SIDE = 2000
MAX_PIXELS = 40_000_000  # checked before decoding: refuses decompression bombs


def read_image(data: bytes) -> Image.Image:
    """Decode an uploaded image, bounded in bytes and pixels, upright, without its EXIF."""
    if not data or len(data) > MAX_UPLOAD_BYTES:
        raise PonteError(
            "invalid_photo",
            _("Send a photo of at most %(mb)s MB.", mb=MAX_UPLOAD_BYTES // (1024 * 1024)),
            413,
        )
    try:
        with Image.open(io.BytesIO(data)) as original:
            if original.width * original.height > MAX_PIXELS:
                raise PonteError("invalid_photo", _("This photo has too many pixels."), 413)
            original.verify()
        with Image.open(io.BytesIO(data)) as original:
            image = ImageOps.exif_transpose(original)  # keep the orientation, drop the EXIF
            image.load()
            return image
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise PonteError("invalid_photo", _("This file is not a photo Ponte can read.")) from None


def store_photo(
    workshop, data: bytes, caption: str, consent: str, account, session_id=None
) -> Media:
    """Check, re-encode without metadata and keep a photo. Flushes, never commits."""
    if consent not in CONSENTS:
        raise PonteError(
            "invalid_consent", _("consent must be one of %(values)s.", values=", ".join(CONSENTS))
        )
    image = read_image(data).convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new("RGB", image.size)
    clean.paste(image)  # a fresh image: no info dict, no EXIF, no XMP, no ICC
    filename = f"{secrets.token_hex(16)}.jpg"
    clean.save(media_folder() / filename, "JPEG", quality=85, optimize=True)
    media = Media(
        workshop_id=workshop.id,
        session_id=session_id,
        filename=filename,
        width=clean.width,
        height=clean.height,
        caption=caption.strip()[:500],
        consent=consent,
        uploaded_by_id=account.id if account else None,
    )
    db.session.add(media)
    db.session.flush()
    return media
