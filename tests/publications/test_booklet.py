"""The Booklet: editions in Italian, English or both; only consented quotes; every script
readable and searchable; fonts embedded."""

import pytest

from tests.publications.conftest import pdf_reader, pdf_text

# Ardit said "never", Mediatrice Chen left the default "internal": neither may be quoted.
NEVER = ("Vorrei che il Comune ascoltasse", "Uno sportello unico per permesso")
INTERNAL = "工厂工人需要晚上开放的服务时间"


@pytest.fixture
def booklet(demo, make_pdf):
    made = {}

    def get(edition):
        if edition not in made:
            pdf = make_pdf("booklet", demo["workshop_id"], edition)
            made[edition] = (pdf, pdf_text(pdf))
        return made[edition]

    return get


@pytest.mark.parametrize(
    ("edition", "present", "absent"),
    [
        (
            "it",
            ["La nostra storia", "Con le loro parole", "Che cosa è successo dopo"],
            ["Our story"],
        ),
        ("en", ["Our story", "In their own words", "What happened next"], ["La nostra storia"]),
        (
            "it+en",
            ["La nostra storia", "Our story", "Con le loro parole", "In their own words"],
            [],
        ),
    ],
)
def test_each_edition_speaks_its_languages(booklet, edition, present, absent):
    _, text = booklet(edition)
    for words in present:
        assert words in text, words
    for words in absent:
        assert words not in text, words


def test_the_story_is_told_from_the_figures(booklet):
    _, text = booklet("en")
    assert "Between January 2026 and March 2026, in Prato" in text
    assert "took part in 3 meetings" in text
    assert "we designed 3 concrete proposals" in text
    _, testo = booklet("it")
    assert "Tra gennaio 2026 e marzo 2026, a Prato" in testo


def test_the_booklet_has_the_cover_groups_prototypes_and_what_happened_next(booklet, demo):
    _, text = booklet("it+en")
    for words in (
        "EMBRACE Prato: migrant citizens in local policy",
        "Comune di Prato",
        "Funded by the European Union",
        "School",
        "Participation",
        "Services",
        "Mediators at school meetings",
        "A migrants' council",
        "Twelve mediators are in training.",
        "/next/",
    ):
        assert words in text, words
    assert "in corso / in progress" in text.lower()  # a commitment's status, in both languages


def test_only_consented_quotes_are_published(booklet):
    for edition in ("it", "en", "it+en"):
        _, text = booklet(edition)
        for words in NEVER:
            assert words not in text, (edition, words)
        assert INTERNAL not in text.replace(" ", "")
        assert "Ardit" not in text and "Mediatrice Chen" not in text
        # Fatou agreed to be quoted with her name
        assert "The letters from the school are only in Italian." in text
        assert "Fatou" in text


def test_chinese_and_arabic_are_real_searchable_text(booklet):
    _, text = booklet("it+en")
    compact = text.replace(" ", "")
    assert "在学校和老师沟通很难" in compact
    # Arabic may come out in another order: look for words, not the sentence
    for word in ("مكتب", "الهجرة", "البلدية"):
        assert word in text, word


def test_every_font_is_embedded(booklet):
    pdf, _ = booklet("it+en")
    fonts = 0
    for page in pdf_reader(pdf).pages:
        resources = page["/Resources"].get_object()
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
            fonts += 1
    assert fonts > 3


def test_the_booklet_is_a5_and_says_who_made_it(booklet):
    pdf, _ = booklet("it")
    reader = pdf_reader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (148, 210)
    assert reader.metadata.author == "Ponte"
    assert reader.metadata.title == "EMBRACE Prato: migrant citizens in local policy"


def test_a_language_without_strings_falls_back_to_english_once(booklet):
    _, text = booklet("ur+sq")
    assert text.count("English edition") == 1
    assert "Our story" in text


def test_chinese_and_arabic_editions_speak_their_language(booklet):
    _, text = booklet("zh+ar")
    flat = text.replace(" ", "")
    assert "中文版" in flat and "我们的故事" in flat and "2026年1月" in flat
    assert "النسخةالعربية" in flat and "قصتنا" in flat
    assert "English edition" not in text and "La nostra storia" not in text
    assert "在学校和老师沟通很难" in flat


def test_a_bilingual_booklet_prints_translated_prototypes_and_commitments_in_both(demo, make_pdf):
    """A mediator's checked translations of a prototype and a commitment reach the second
    language of the edition; an unchecked machine draft does not."""
    import sqlalchemy as sa

    from ponte.extensions import db
    from prototypes.models import Prototype
    from sessions.content import ContentTranslation
    from sessions.models import Commitment

    prototype = db.session.scalar(sa.select(Prototype).order_by(Prototype.id))
    commitment = db.session.scalar(sa.select(Commitment).order_by(Commitment.id))
    for subject, row, field, text, verified in (
        ("prototype", prototype, "title", "学校家长会上的调解员", True),
        ("prototype", prototype, "idea", "家长会上有受过培训的文化调解员。", False),
        ("commitment", commitment, "what", "五所学校的家长会配备调解员", True),
    ):
        db.session.add(
            ContentTranslation(
                workshop_id=demo["workshop_id"],
                session_id=row.session_id,
                subject=subject,
                subject_id=row.id,
                field=field,
                language="zh",
                text=text,
                translator_name="Chen",
                translator_role="mediator",
                machine=not verified,
                verified=verified,
            )
        )
    db.session.commit()
    text = pdf_text(make_pdf("booklet", demo["workshop_id"], "it+zh"))
    assert "Mediators at school meetings" in text  # the original (the process's words)
    assert "学校家长会上的调解员" in text  # its checked translation
    assert "五所学校的家长会配备调解员" in text
    assert "家长会上有受过培训的文化调解员。" not in text  # a machine draft: left out
