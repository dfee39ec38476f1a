"""The covers print what the process's settings say: partners' logos, the EU emblem with its
funding statement (AMIF/FAMI), the partners and the funding line."""

import io

from PIL import Image

from ponte.extensions import db
from publications.logos import logos_of
from tests.publications.conftest import pdf_reader, pdf_text
from workshops.models import Workshop


def cover_images(pdf: bytes) -> list[tuple[int, int]]:
    """The sizes of the raster images drawn on the first page."""
    page = pdf_reader(pdf).pages[0]
    return [(image.image.width, image.image.height) for image in page.images]


def test_the_demo_covers_print_the_city_logo_and_the_eu_statement(demo, make_pdf):
    workshop = db.session.get(Workshop, demo["workshop_id"])
    logo = logos_of(workshop.id)[0]
    for kind, edition in (("report", "it"), ("booklet", "it+en")):
        pdf = make_pdf(kind, workshop.id, edition)
        first_page = pdf_reader(pdf).pages[0].extract_text()
        assert "Cofinanziato dall'Unione europea" in first_page, kind
        assert (logo.width, logo.height) in cover_images(pdf), kind
        assert "Comune di Prato" in pdf_text(pdf)


def test_without_eu_funding_there_is_no_emblem_and_no_statement(demo, make_pdf):
    workshop = db.session.get(Workshop, demo["workshop_id"])
    workshop.eu_funded = False
    logo = logos_of(workshop.id)[0]
    size = (logo.width, logo.height)
    db.session.delete(logo)
    db.session.commit()
    pdf = make_pdf("report", workshop.id, "it")
    first_page = pdf_reader(pdf).pages[0].extract_text()
    assert "Cofinanziato" not in first_page and size not in cover_images(pdf)


def test_the_logo_on_the_cover_keeps_its_transparency(demo, make_pdf):
    workshop = db.session.get(Workshop, demo["workshop_id"])
    pdf = make_pdf("booklet", workshop.id, "it")
    image = next(i for i in pdf_reader(pdf).pages[0].images)
    with Image.open(io.BytesIO(image.data)) as drawn:
        assert drawn.mode in ("RGBA", "LA") or "transparency" in drawn.info
