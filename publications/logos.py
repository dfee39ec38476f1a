"""Partners' logos for the covers: the photos' checks, re-encoded as PNG (transparency kept,
metadata dropped), at most MAX_LOGO_SIDE pixels. Verbs flush, never commit."""

import secrets

import sqlalchemy as sa
from flask_babel import gettext as _
from PIL import Image

from ponte.errors import PonteError
from ponte.extensions import db
from publications.media import read_image
from publications.models import PartnerLogo
from publications.render import media_folder

MAX_LOGO_SIDE = 1200
MAX_LOGOS = 12


def logos_of(workshop_id: int) -> list[PartnerLogo]:
    return list(
        db.session.scalars(
            sa.select(PartnerLogo)
            .where(PartnerLogo.workshop_id == workshop_id)
            .order_by(PartnerLogo.position, PartnerLogo.id)
        )
    )


def store_logo(workshop, data: bytes, name: str, account) -> PartnerLogo:
    name = " ".join(name.split())
    if not name or len(name) > 160:
        raise PonteError("invalid", _("Give the partner's name (it is the logo's text)."))
    existing = logos_of(workshop.id)
    if len(existing) >= MAX_LOGOS:
        raise PonteError("too_many", _("A cover holds at most %(count)s logos.", count=MAX_LOGOS))
    image = read_image(data).convert("RGBA")
    image.thumbnail((MAX_LOGO_SIDE, MAX_LOGO_SIDE))
    clean = Image.new("RGBA", image.size)
    clean.paste(image)  # a fresh image: no info dict, no EXIF, no ICC
    filename = f"logo-{secrets.token_hex(16)}.png"
    clean.save(media_folder() / filename, "PNG", optimize=True)
    logo = PartnerLogo(
        workshop_id=workshop.id,
        name=name,
        filename=filename,
        width=clean.width,
        height=clean.height,
        position=max((item.position for item in existing), default=-1) + 1,
        uploaded_by_id=account.id if account else None,
    )
    db.session.add(logo)
    db.session.flush()
    return logo


def delete_logo(logo: PartnerLogo) -> None:
    (media_folder() / logo.filename).unlink(missing_ok=True)
    db.session.delete(logo)
    db.session.flush()


def move_logo(logo: PartnerLogo, step: int) -> None:
    """Move a logo one place left (-1) or right (+1) on the covers."""
    logos = logos_of(logo.workshop_id)
    index = next(i for i, item in enumerate(logos) if item.id == logo.id)
    other = index + (1 if step > 0 else -1)
    if 0 <= other < len(logos):
        logos[index], logos[other] = logos[other], logos[index]
    for position, item in enumerate(logos):
        item.position = position
    db.session.flush()
