"""A process's data for the synthesis staff do in a spreadsheet: notes (with their themes,
groups, votes, reactions and checked translations), prototypes, commitments, attendance and
the funder figures — as CSV files in a zip, or one XLSX workbook (openpyxl).

Consent holds: notes whose author said "never" (or the note itself) are left out, hidden
notes too, and people appear by pseudonym (P1, P2…) unless ``names`` is asked for, and even
then only those who agreed to be quoted with their name are named.
"""

import csv
import io
import zipfile

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Font

from ponte.extensions import db
from prototypes.models import CANVAS_FIELDS, Feedback, Prototype, PrototypeLink
from publications.context import Pseudonyms, _consent, persons_by_joining
from publications.figures import funder_figures
from sessions.models import (
    AgendaItem,
    Attendance,
    Cluster,
    Commitment,
    Group,
    Post,
    PostTranslation,
    Prompt,
    Vote,
    WorkshopSession,
)
from sessions.reactions import REACTIONS, reaction_counts
from workshops import activities, people
from workshops.models import Account, Participant, Person, Workshop

SHEETS = (
    "notes",
    "prototypes",
    "commitments",
    "attendance",
    "activities",
    "activity_attendance",
    "figures",
)


def tables(workshop: Workshop, names: bool = False) -> dict[str, list[list]]:
    """Every sheet of the export: a header row, then one row per record."""
    return {
        "notes": _notes(workshop, names),
        "prototypes": _prototypes(workshop),
        "commitments": _commitments(workshop),
        "attendance": _attendance(workshop),
        "activities": _activities(workshop),
        "activity_attendance": _activity_attendance(workshop, names),
        "figures": _figures(workshop),
    }


def as_zip(workshop: Workshop, names: bool = False) -> bytes:
    """The sheets as CSV files (UTF-8 with a byte-order mark: spreadsheets open it right)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for sheet, rows in tables(workshop, names).items():
            text = io.StringIO()
            csv.writer(text).writerows(rows)
            archive.writestr(f"{sheet}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()


def as_xlsx(workshop: Workshop, names: bool = False) -> bytes:
    """The sheets as one workbook, a sheet each, header rows bold and frozen."""
    book = Workbook()
    book.remove(book.active)
    for sheet, rows in tables(workshop, names).items():
        page = book.create_sheet(sheet)
        for row in rows:
            page.append([_cell(value) for value in row])
        for cell in page[1]:
            cell.font = Font(bold=True)
        page.freeze_panes = "A2"
    book.properties.title = workshop.title
    book.properties.creator = "Ponte"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value):
    # A cell that starts like a formula is text, not a formula (CSV/formula injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


# --- the sheets ----------------------------------------------------------------------------


def _sessions(workshop: Workshop) -> dict[int, WorkshopSession]:
    return {
        ws.id: ws
        for ws in db.session.scalars(
            sa.select(WorkshopSession)
            .where(WorkshopSession.workshop_id == workshop.id)
            .order_by(WorkshopSession.date, WorkshopSession.id)
        )
    }


def _names_of(model, session_ids, column) -> dict[int, str]:
    if not session_ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(model.id, column).where(model.session_id.in_(session_ids))
        ).all()
    )


def _notes(workshop: Workshop, names: bool) -> list[list]:
    sessions = _sessions(workshop)
    ids = list(sessions)
    groups = _names_of(Group, ids, Group.name)
    prompts = _names_of(Prompt, ids, Prompt.text)
    themes = _names_of(Cluster, ids, Cluster.name)
    agenda = _names_of(AgendaItem, ids, AgendaItem.title)
    people = persons_by_joining(workshop.id)
    pseudonym = Pseudonyms(workshop.id)
    posts = [
        post
        for post in db.session.scalars(
            sa.select(Post)
            .where(Post.session_id.in_(ids), Post.hidden.is_(False))
            .order_by(Post.session_id, Post.seq)
        )
        if _consent(post, people) != "never"
    ]
    post_ids = [p.id for p in posts]
    votes = dict(
        db.session.execute(
            sa.select(Vote.post_id, sa.func.count(Vote.id))
            .where(Vote.post_id.in_(post_ids))
            .group_by(Vote.post_id)
        ).all()
    )
    reactions = reaction_counts(post_ids)
    translations: dict[int, list[str]] = {}
    for t in db.session.scalars(
        sa.select(PostTranslation)
        .where(PostTranslation.post_id.in_(post_ids), PostTranslation.verified.is_(True))
        .order_by(PostTranslation.language)
    ):
        translations.setdefault(t.post_id, []).append(f"{t.language}: {t.text}")
    rows = [
        [
            "note_id",
            "session",
            "kind",
            "date",
            "author",
            "role",
            "language",
            "text",
            "voice_seconds",
            "group",
            "prompt",
            "theme",
            "agenda_item",
            "phase",
            "votes",
            *(f"reactions_{kind}" for kind in REACTIONS),
            "translations",
            "created_at",
        ]  # fmt: skip
    ]
    for post in posts:
        ws = sessions[post.session_id]
        named = names and _consent(post, people) == "named" and not ws.anonymous
        rows.append(
            [
                post.id,
                ws.title,
                ws.kind,
                ws.date.isoformat() if ws.date else "",
                post.author_name if named else pseudonym(post.participant_id, post.author_role),
                post.author_role,
                post.language,
                post.text,
                post.audio_seconds if post.kind == "voice" else "",
                groups.get(post.group_id, ""),
                prompts.get(post.prompt_id, ""),
                themes.get(post.cluster_id, ""),
                agenda.get(post.agenda_item_id, ""),
                post.phase or "",
                votes.get(post.id, 0),
                *(reactions[post.id][kind] for kind in REACTIONS),
                " | ".join(translations.get(post.id, [])),
                post.created_at.isoformat(timespec="seconds"),
            ]
        )
    return rows


def _prototypes(workshop: Workshop) -> list[list]:
    groups = _names_of(Group, list(_sessions(workshop)), Group.name)
    rows = [
        ["prototype_id", "group", "status", "status_reason", *CANVAS_FIELDS, "notes", "feedback"]
    ]
    for prototype in db.session.scalars(
        sa.select(Prototype).where(Prototype.workshop_id == workshop.id).order_by(Prototype.id)
    ):
        rows.append(
            [
                prototype.id,
                groups.get(prototype.group_id, ""),
                prototype.status,
                prototype.status_reason,
                *(prototype.fields.get(field, "") for field in CANVAS_FIELDS),
                _count(
                    PrototypeLink,
                    PrototypeLink.prototype_id == prototype.id,
                    PrototypeLink.post_id.is_not(None),
                ),  # fmt: skip
                _count(Feedback, Feedback.prototype_id == prototype.id),
            ]
        )
    return rows


def _count(model, *conditions) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)).where(*conditions)) or 0


def _commitments(workshop: Workshop) -> list[list]:
    sessions = _sessions(workshop)
    rows = [["commitment_id", "session", "what", "who", "by_when", "status", "public_update"]]
    for c in db.session.scalars(
        sa.select(Commitment).where(Commitment.workshop_id == workshop.id).order_by(Commitment.id)
    ):
        ws = sessions.get(c.session_id)
        rows.append(
            [
                c.id,
                ws.title if ws else "",
                c.what,
                c.who,
                c.by_when.isoformat() if c.by_when else "",
                c.status,
                c.public_update,
            ]
        )
    return rows


def _attendance(workshop: Workshop) -> list[list]:
    """One row per person and session: pseudonyms, roles and languages, never names."""
    sessions = _sessions(workshop)
    pseudonym = Pseudonyms(workshop.id)
    rows = [["session", "kind", "date", "person", "role", "language"]]
    seen = set()
    for session_id, participant_id, person_id, role, language in db.session.execute(
        sa.select(Attendance.session_id, Participant.id, Person.id, Person.role, Person.language)
        .join(Participant, Participant.id == Attendance.participant_id)
        .join(Person, Person.id == Participant.person_id)
        .where(
            Attendance.session_id.in_(list(sessions)),
            Attendance.removed_at.is_(None),
            Attendance.waiting.is_(False),
        )
        .order_by(Attendance.session_id, Person.id)
    ):
        if (session_id, person_id) in seen:
            continue  # a person who joined twice is one presence
        seen.add((session_id, person_id))
        ws = sessions[session_id]
        rows.append(
            [
                ws.title,
                ws.kind,
                ws.date.isoformat() if ws.date else "",
                pseudonym(participant_id, role),
                role,
                language,
            ]
        )
    return rows


def _activities(workshop: Workshop) -> list[list]:
    """One row per activity that is not a live session: when, where, how many, how long."""
    rows = [
        [
            "activity_id",
            "kind",
            "title",
            "course",
            "date",
            "start_time",
            "end_time",
            "place",
            "hours",
            "people",
            "person_hours",
        ]  # fmt: skip
    ]
    for row in activities.listing(workshop.id):
        a = row["activity"]
        rows.append(
            [
                a.id,
                a.kind,
                a.title,
                a.course,
                a.date.isoformat(),
                f"{a.start_time:%H:%M}" if a.start_time else "",
                f"{a.end_time:%H:%M}" if a.end_time else "",
                a.place,
                a.duration or 0,
                row["people"],
                row["person_hours"],
            ]
        )
    return rows


def _activity_attendance(workshop: Workshop, names: bool) -> list[list]:
    """One row per person (or trainer) and activity, with their hours: pseudonyms, unless
    ``names`` and they agreed to be quoted with their name."""
    pseudonym = people.pseudonyms(workshop.id)
    rows = [["activity_id", "activity", "kind", "date", "person", "role", "language", "hours"]]
    found = activities.activities_of(workshop.id)
    present = activities.attendances([a.id for a in found])
    for activity in found:
        for attendance in present[activity.id]:
            if attendance.person_id is not None:
                person = db.session.get(Person, attendance.person_id)
                named = names and person.quote_consent == "named" and person.erased_at is None
                number = person.merged_into_id or person.id
                who = person.display_name if named else pseudonym.get(number, "P0")
                role, language = person.role, person.language
            else:
                account = db.session.get(Account, attendance.account_id)
                who, role, language = account.role.capitalize(), account.role, ""
            rows.append(
                [
                    activity.id,
                    activity.title,
                    activity.kind,
                    activity.date.isoformat(),
                    who,
                    role,
                    language,
                    attendance.hours_for(activity),
                ]
            )
    return rows


def _figures(workshop: Workshop) -> list[list]:
    figures = funder_figures(workshop.id)
    rows = [["figure", "value"]]
    for name, value in figures.items():
        if isinstance(value, dict):
            rows += [[f"{name}: {key}", count] for key, count in value.items()]
        else:
            rows.append([name, value])
    return rows
