"""The programme around the sessions in the Report, the funder figures and the export: the
demo's training course, study visit, partnership meeting and public event."""

import io
import re

import pytest
from openpyxl import load_workbook

from ponte.extensions import db
from publications import exports
from publications.figures import funder_figures
from tests.publications.conftest import DEMO_NAMES, pdf_text
from workshops.models import Workshop


def test_the_demo_s_figures_count_the_activities(demo):
    f = funder_figures(demo["workshop_id"])
    # Sessions with their times: 2.5 h + 2 h + 3.5 h; the mediators were at the listening
    # session (both) and the workshop (Chen).
    assert (f["session_hours"], f["mediator_hours"]) == (8.0, 8.5)
    # A course of 3 meetings x 4 h, a 4 h visit, a 2 h meeting, a 2.5 h event.
    assert f["activities_by_kind"] == {
        "training": 3,
        "study_visit": 1,
        "partnership_meeting": 1,
        "public_event": 1,
    }
    assert (f["activity_hours"], f["hours"]) == (20.5, 28.5)
    # Two mediators and the trainer, 12 h each, but Karim left an hour early once.
    assert (f["training_hours"], f["training_person_hours"]) == (12.0, 35.0)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            [
                "Training",
                "Study visit",
                "Partnership meeting",
                "Public event",
                "Other activities by kind",
                "Training hours per person (person-hours)",
                "Formazione dei mediatori: a 12-hour course in 3 meetings, 35 person-hours.",
            ],
        ),
        (
            "it",
            [
                "Formazione",
                "Visita di studio",
                "Incontro di partenariato",
                "Evento pubblico",
                "Altre attività per tipo",
                "Ore di formazione per persona (ore-persona)",
                "Formazione dei mediatori: un corso di 12 ore in 3 incontri, 35 ore-persona.",
            ],
        ),
    ],
)
def test_the_report_lists_the_training_in_its_timeline(demo, make_pdf, language, words):
    text = pdf_text(make_pdf("report", demo["workshop_id"], language))
    # The timeline starts with the listening session's time (the chapters print durations).
    timeline = text[text.index("10:00–12:30") :][:2500]
    english = language == "en"
    # The course's meetings, with their time, between the sessions, in the order they happened.
    order = [
        timeline.find("Listening session: living" if english else "Sessione di ascolto: vivere"),
        timeline.find("Formazione dei mediatori: incontro 1"),
        timeline.find("Formazione dei mediatori: incontro 3"),
        timeline.find("Face-to-face meeting with" if english else "Incontro faccia a faccia"),
        timeline.find("Visita di studio allo sportello multilingue di Firenze"),
        timeline.find("Incontro dei partner EMBRACE"),
        timeline.find("Co-projecting workshop:" if english else "Laboratorio di co-progettazione"),
        timeline.find("Evento pubblico: i prototipi presentati alla città"),
    ]
    assert -1 not in order and order == sorted(order), order
    assert "14:00–18:00" in timeline
    flat = " ".join(text.split())
    for word in words:
        assert word in flat, word
    for name in DEMO_NAMES:
        assert name not in text, name


def test_the_export_has_the_activities_and_who_took_part_by_pseudonym(demo):
    workshop = db.session.get(Workshop, demo["workshop_id"])
    book = load_workbook(io.BytesIO(exports.as_xlsx(workshop)))
    activities = list(book["activities"].iter_rows(values_only=True))
    assert activities[0][:3] == ("activity_id", "kind", "title")
    assert [row[1] for row in activities[1:]] == [
        "training",
        "training",
        "training",
        "study_visit",
        "partnership_meeting",
        "public_event",
    ]
    assert activities[1][5:7] == ("14:00", "18:00") and activities[1][8] == 4
    present = list(book["activity_attendance"].iter_rows(values_only=True))
    assert present[0] == (
        "activity_id", "activity", "kind", "date", "person", "role", "language", "hours"
    )  # fmt: skip
    people = {row[4] for row in present[1:]}
    assert "Trainer" in people and all(re.fullmatch(r"P\d+|Trainer", p) for p in people)
    assert not any(name in str(present) for name in DEMO_NAMES)
    assert sorted(row[7] for row in present[1:4]) == [4, 4, 4]
    assert 3 in [row[7] for row in present[1:]]  # Karim left an hour early once


@pytest.mark.parametrize(("language", "word"), [("zh", "每人培训时数（人时）"), ("ar", "35")])
def test_the_report_s_programme_renders_in_chinese_and_arabic(demo, make_pdf, language, word):
    text = pdf_text(make_pdf("report", demo["workshop_id"], language))
    assert word in text
    assert "Formazione dei mediatori: incontro 1" in text
