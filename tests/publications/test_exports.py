"""The export for a spreadsheet: the demo's rows read back with openpyxl, consent kept."""

import csv
import io
import zipfile

from openpyxl import load_workbook

from publications.figures import funder_figures

NEVER = ("Vorrei che il Comune ascoltasse", "Uno sportello unico per permesso")


def rows_of(book, sheet):
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


def test_the_workbook_has_the_demo_s_rows_and_no_never_quote(client, demo):
    client.post("/login", data=demo["facilitator"])
    response = client.get(f"/workshops/{demo['workshop_id']}/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "notes",
        "prototypes",
        "commitments",
        "attendance",
        "activities",
        "activity_attendance",
        "figures",
    ]
    notes = rows_of(book, "notes")
    header, body = notes[0], notes[1:]
    texts = [row[header.index("text")] for row in body]
    assert "Il corso di italiano gratuito in biblioteca funziona bene." in texts
    assert "在学校和老师沟通很难，因为没有翻译。" in texts
    assert not any(never in text for text in texts for never in NEVER)  # Ardit said never
    authors = {row[header.index("author")] for row in body}
    assert "Fatou" not in authors and "Amina" not in authors  # pseudonyms by default
    assert all(a.startswith("P") or a in ("Trainer", "Staff") for a in authors)
    themes = {row[header.index("theme")] for row in body}
    assert "La lingua a scuola" in themes
    translated = next(row for row in body if row[header.index("text")].startswith("在学校"))
    assert "it: A scuola è difficile" in translated[header.index("translations")]
    prototypes = rows_of(book, "prototypes")
    assert [row[prototypes[0].index("title")] for row in prototypes[1:]] == [
        "Mediators at school meetings",
        "A migrants' council",
        "One desk for permits, residence and health",
    ]
    assert len(rows_of(book, "commitments")) == 1 + 3
    attendance = rows_of(book, "attendance")
    assert len(attendance) == 1 + 19  # one row per person and session
    names = {row[3] for row in attendance[1:]}
    assert len(names) == 9 and all(name.startswith("P") for name in names)
    figures = dict(rows_of(book, "figures")[1:])
    assert figures["people"] == 9 and figures["presences"] == 19
    assert figures["people_by_role: migrant"] == 6


def test_names_only_for_those_who_agreed_and_csv_files_in_a_zip(client, demo, runner, tmp_path):
    client.post("/login", data=demo["facilitator"])
    response = client.get(f"/workshops/{demo['workshop_id']}/export.zip?names=1")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == [
        "activities.csv",
        "activity_attendance.csv",
        "attendance.csv",
        "commitments.csv",
        "figures.csv",
        "notes.csv",
        "prototypes.csv",
    ]
    notes = list(csv.DictReader(io.StringIO(archive.read("notes.csv").decode("utf-8-sig"))))
    authors = {note["author"] for note in notes}
    assert "Fatou" in authors and "Marco" in authors  # agreed to be quoted by name
    assert "Amina" not in authors and "Li Wei" not in authors  # anonymous
    out = tmp_path / "process.xlsx"
    result = runner.invoke(
        args=["export", "--workshop", str(demo["workshop_id"]), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames[0] == "notes"
    bad = runner.invoke(args=["export", "--workshop", "1", "--out", str(tmp_path / "x.pdf")])
    assert bad.exit_code != 0


def test_a_cell_that_looks_like_a_formula_stays_text(client, demo, make_session, join, socket_for):
    from tests.conftest import new_client_id

    hostile = '=HYPERLINK("http://203.0.113.9","click")'
    ws = make_session()
    sio = socket_for(token=join(ws, "Eve", "migrant", "en")["token"])
    sio.emit("create_post", {"client_id": new_client_id(), "text": hostile}, callback=True)
    from ponte.extensions import db
    from publications import exports
    from workshops.models import Workshop

    book = load_workbook(io.BytesIO(exports.as_xlsx(db.session.get(Workshop, ws.workshop_id))))
    texts = [row[7] for row in rows_of(book, "notes")[1:]]
    assert texts == ["'" + hostile] and book["notes"]["H2"].data_type == "s"


def test_the_figures_page_computes_the_funder_figures(client, demo):
    figures = funder_figures(demo["workshop_id"])
    # Three sessions, 2.5, 2 and 3.5 hours by their times, and 20.5 hours of the programme
    # around them (ponte/demo.py): two mediators in the listening session, one in the workshop.
    assert (figures["sessions"], figures["hours"], figures["mediator_hours"]) == (3, 28.5, 8.5)
    assert figures["people_by_language"]["it"] == 3  # Marco, Ardit, the Assessora
    assert figures["commitments"] == 3 and figures["commitments_kept"] == 0
    client.post("/login", data=demo["facilitator"])
    client.set_cookie("ponte_lang", "en")
    page = client.get(f"/workshops/{demo['workshop_id']}/figures")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "9 people (19 presences)" in html and 'id="fig-mediator-hours">8.5<' in html
    assert 'id="fig-activities">6<' in html and 'id="fig-training-person-hours">35.0<' in html
