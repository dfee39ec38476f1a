"""Photos: uploaded from a phone, kept without EXIF, in the booklet only with consent."""

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from ponte.extensions import db
from publications import render
from publications.logos import logos_of
from publications.models import Media
from tests.publications.conftest import image_count, pdf_text

REFUSED = "This file is not a photo Ponte can read."


def jpeg_with_gps(color="red") -> bytes:
    image = Image.new("RGB", (320, 240), color)
    exif = Image.Exif()
    exif[0x0110] = "Spy Camera 3000"  # camera model
    exif.get_ifd(0x8825).update(
        {1: "N", 2: (43.0, 52.0, 48.0), 3: "E", 4: (11.0, 5.0, 50.0)}  # Prato
    )
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the GPS really is there
    return data


@pytest.fixture
def upload(client, demo):
    client.post("/login", data=demo["facilitator"])  # the process's own trainer

    def send(data: bytes, caption="The School group's canvas", consent="named", name="p.jpg"):
        return client.post(
            f"/workshops/{demo['workshop_id']}/photos",
            data={"photo": (io.BytesIO(data), name), "caption": caption, "consent": consent},
            content_type="multipart/form-data",
            follow_redirects=True,
        )

    return send


def test_a_photo_is_kept_without_its_exif(upload):
    response = upload(jpeg_with_gps())
    assert response.status_code == 200
    assert "Photo kept, without its metadata." in response.get_data(as_text=True)
    media = db.session.scalar(sa.select(Media))
    stored = (render.media_folder() / media.filename).read_bytes()
    assert b"Exif" not in stored and b"Spy Camera" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert len(image.getexif()) == 0
        assert "exif" not in image.info
        assert image.size == (320, 240)


def test_a_file_that_is_not_a_photo_is_refused_with_a_message(upload):
    response = upload(b"%PDF-1.7 this is not a photo", name="notes.pdf")
    assert REFUSED in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Media)) == 0


def test_the_staff_page_lists_photos_and_serves_them(upload, client, demo):
    upload(jpeg_with_gps(), caption="Flipchart of the Services group")
    page = client.get(f"/workshops/{demo['workshop_id']}/publications").get_data(as_text=True)
    assert "Flipchart of the Services group" in page
    media = db.session.scalar(sa.select(Media))
    served = client.get(f"/media/{media.filename}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"


def cover_logos(demo) -> int:
    """The partners' logos the cover draws (the demo has the city's): not photos."""
    return len(logos_of(demo["workshop_id"]))


def test_only_consented_photos_reach_the_booklet(upload, demo, make_pdf):
    upload(jpeg_with_gps("navy"), caption="Everyone agreed to this one", consent="named")
    upload(jpeg_with_gps("green"), caption="Somebody refused this one", consent="never")
    upload(jpeg_with_gps("gray"), caption="Only for the report team", consent="internal")
    pdf = make_pdf("booklet", demo["workshop_id"], "it")
    assert image_count(pdf) == 1 + cover_logos(demo)
    text = pdf_text(pdf)
    assert "Everyone agreed to this one" in text
    assert "Somebody refused this one" not in text
    assert "Only for the report team" not in text


def test_without_a_consented_photo_the_booklet_has_no_image(upload, demo, make_pdf):
    upload(jpeg_with_gps(), consent="never")
    assert image_count(make_pdf("booklet", demo["workshop_id"], "en")) == cover_logos(demo)


def test_a_photo_is_published_only_if_everyone_recognised_in_it_allows_it(upload, demo):
    """The uploader's consent is not enough: a person who said no photos keeps them out."""
    from publications.context import booklet_context
    from workshops.models import Person

    people = {p.display_name: p for p in db.session.scalars(sa.select(Person))}
    fatou, marco, ardit = people["Fatou"], people["Marco"], people["Ardit"]
    assert fatou.photo_consent and marco.photo_consent and not ardit.photo_consent  # the demo
    for caption, who in (
        ("Fatou and Marco at the board", [fatou, marco]),
        ("Marco with Ardit", [marco, ardit]),
        ("The empty room", []),
    ):
        upload(jpeg_with_gps(), caption=caption, consent="named")
        media = db.session.scalar(sa.select(Media).where(Media.caption == caption))
        media.person_ids = [p.id for p in who]
    db.session.commit()
    captions = {p["caption"] for p in booklet_context(demo["workshop_id"], ["it"])["photos"]}
    assert captions == {"Fatou and Marco at the board", "The empty room"}
    # Marco changes his mind on his tablet: the next booklet leaves his photos out too.
    marco.photo_consent = False
    db.session.commit()
    captions = {p["caption"] for p in booklet_context(demo["workshop_id"], ["it"])["photos"]}
    assert captions == {"The empty room"}
