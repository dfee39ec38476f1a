"""The Report: complete figures from the database, every chapter, nobody's name."""

import re

import pytest
import sqlalchemy as sa

from ponte.extensions import db
from prototypes.models import Prototype
from sessions.models import Commitment, WorkshopSession
from tests.publications.conftest import DEMO_NAMES, pdf_reader, pdf_text


@pytest.fixture
def report(demo, make_pdf):
    pdf = make_pdf("report", demo["workshop_id"], "en")
    return pdf, pdf_text(pdf)


def test_the_report_has_every_section(report):
    _, text = report
    for title in (
        "Contents",
        "The process in figures",
        "Sessions by kind",
        "People by role",
        "Timeline of activities",
        "Listening session: living in Prato",
        "Face-to-face meeting with the city council",
        "Co-projecting workshop: School, Participation, Services",
        "What was said",
        "Vote results",
        "Mediators at school meetings",
        "The canvas",
        "Evidence: the notes it comes from",
        "Feedback from decision makers",
        "Commitments and follow-up",
        "Methodology: the EMBRACE method",
        "Pseudonymisation",
        "Consent",
    ):
        assert title in text, title


def test_the_figures_are_the_database_s(demo, report):
    _, text = report
    workshop_id = demo["workshop_id"]

    def count(model):
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(model).where(model.workshop_id == workshop_id)
        )

    sessions, prototypes, commitments = count(WorkshopSession), count(Prototype), count(Commitment)
    assert (sessions, prototypes, commitments) == (3, 3, 3)
    assert re.search(rf"Sessions held {sessions}\b", text)
    assert re.search(rf"Prototypes {prototypes}\b", text)
    assert re.search(rf"Commitments {commitments}\b", text)
    # one chapter per session and per prototype
    assert len(re.findall(r"session \d of 3", text, re.I)) == sessions
    assert len(re.findall(r"prototype \d of 3", text, re.I)) == prototypes


def test_nobody_is_named_in_the_report(report):
    pdf, text = report
    metadata = " ".join(str(value) for value in (pdf_reader(pdf).metadata or {}).values())
    for name in DEMO_NAMES:
        assert name not in text, name
        assert name not in metadata, name
    # One pseudonym per person: the demo's nine people came back session after session.
    assert re.search(r"\bP1\b", text) and re.search(r"\bP9\b", text)
    assert not re.search(r"\bP10\b", text)


def test_the_report_counts_people_once_and_their_presences_beside(report):
    _, text = report
    flat = " ".join(text.split())
    assert "9 people (19 presences) took part: 6 migrants, 1 decision maker, 2 mediators." in flat
    assert "1 trainer ran 3 sessions." in flat


def test_the_metadata_is_the_process_not_a_person(demo, report):
    pdf, _ = report
    metadata = pdf_reader(pdf).metadata
    assert metadata.title == "EMBRACE Prato: migrant citizens in local policy"
    assert metadata.author == "Ponte"


def test_pages_are_numbered_x_of_y_with_a_table_of_contents(report):
    pdf, text = report
    pages = len(pdf_reader(pdf).pages)
    assert pages >= 8
    assert f"Page 2 of {pages}" in text  # the cover has no running footer
    assert f"Page {pages} of {pages}" in text
    # the contents give each session chapter a page number (target-counter)
    assert re.search(r"January 17, 2026 · Listening session: living in Prato[ .]*\d+", text)


def test_a_never_note_is_left_out_of_the_notes(report):
    _, text = report
    # Ardit refused any use; his note without a vote is nowhere in the report.
    assert "Vorrei che il Comune ascoltasse" not in text


def test_a_never_note_is_nowhere_in_the_report(report):
    _, text = report
    # Ardit's idea got votes and is linked to a prototype: his "never" still holds there.
    assert "Uno sportello unico per permesso" not in text


def test_translations_voice_notes_and_scribes_reach_the_report(report):
    """An Italian reader understands what was said in Chinese and Arabic (ponte/demo.py)."""
    _, text = report
    flat = " ".join(text.split())
    # A mediator's Italian under the Chinese original, and who wrote it down.
    assert "在学校和老师沟通很难" in flat
    assert "A scuola è difficile parlare con gli insegnanti: non c'è un interprete." in flat
    assert "written down by a mediator" in flat
    assert "Lavoro di notte e di giorno gli uffici sono chiusi." in flat
    # The voice note: marked, its transcription and its translation.
    assert "VOICE NOTE, 2 S" in flat.upper()
    assert "Ho bisogno di un medico che parli arabo." in flat


# The Report's own words, in English: an Italian Report has none of them.
ENGLISH_HEADINGS = (
    "Contents",
    "The process in figures",
    "Timeline of activities",
    "What was said",
    "Commitments and follow-up",
    "Methodology: the EMBRACE method",
    "Pseudonymisation",
    "People by role",
    "Sessions by kind",
    "Page 2 of",
)
ITALIAN_HEADINGS = (
    "Indice",
    "Il percorso in numeri",
    "Cronologia delle attività",
    "Che cosa è stato detto",
    "Impegni e seguito",
    "Metodologia: il metodo EMBRACE",
    "Pseudonimizzazione",
    "Persone per ruolo",
    "Sessioni per tipo",
    "Pagina 2 di",
)


def test_the_italian_report_speaks_italian_with_italian_dates(demo, make_pdf, report):
    italian = pdf_text(make_pdf("report", demo["workshop_id"], "it"))
    _, english = report
    for heading in ITALIAN_HEADINGS:
        assert heading in italian, heading
        assert heading not in english, heading
    for heading in ENGLISH_HEADINGS:
        assert heading not in italian, heading
        assert heading in english, heading
    # Dates in the locale's own format; figures and plurals through the catalogs.
    assert "17 gennaio 2026" in italian and "January 17, 2026" in english
    assert "Hanno partecipato 9 persone (19 presenze): 6 migranti, 1 decisore, 2 mediatori." in (
        italian
    )
    assert "1 formatore ha condotto 3 sessioni." in italian


def test_the_report_language_is_a_choice_of_the_command_line(demo, runner, tmp_path):
    out = tmp_path / "rapporto.pdf"
    result = runner.invoke(
        args=[
            "publish",
            "report",
            "--workshop",
            str(demo["workshop_id"]),
            "--lang",
            "it",
            "--out",
            str(out),
        ]  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    assert "Il percorso in numeri" in pdf_text(out.read_bytes())
    both = runner.invoke(
        args=[
            "publish",
            "report",
            "--workshop",
            str(demo["workshop_id"]),
            "--lang",
            "it+en",
            "--out",
            str(out),
        ]  # fmt: skip
    )
    assert both.exit_code != 0 and "one language" in both.output


def test_the_trainers_words_follow_the_report_language(demo, make_pdf, report):
    """The demo process is Italian: its groups and themes are written in Italian, with
    English from the catalogs (the default groups) and from the trainer (the themes)."""
    italian = pdf_text(make_pdf("report", demo["workshop_id"], "it"))
    _, english = report
    assert "Gruppi tematici SCUOLA PARTECIPAZIONE SERVIZI" in italian  # pills: capitals
    assert "Themed groups SCHOOL PARTICIPATION SERVICES" in english
    assert "La lingua a scuola" in italian and "La lingua a scuola" not in english
    assert "Language at school" in english and "Language at school" not in italian
    assert "Sessione di ascolto: vivere a Prato" in italian
    assert "Listening session: living in Prato" in english
