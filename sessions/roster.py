"""The people of a session and of a process: consent answered on the tablet, someone added
without a device, and the counts of people (distinct) and presences the Report and the process
page show. Flush, never commit."""

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from sessions.access import Viewer
from sessions.models import Attendance, SessionEvent, WorkshopSession
from sessions.services import append_event, check_joiner, enter, writable_session
from workshops import people
from workshops.models import PARTICIPANT_ROLES, Participant, Person

ROLES = PARTICIPANT_ROLES


def answer_consent(viewer: Viewer, quote: object, photos: object) -> Person:
    """A person answers the consent question on their tablet (or changes their answer)."""
    viewer.require("consent")
    person = db.session.scalar(
        sa.select(Person)
        .join(Participant, Participant.person_id == Person.id)
        .where(Participant.id == viewer.participant_id)
    )
    return people.answer_consent(person, quote, photos)


def add_person(
    viewer: Viewer, name: object, language: object, role: object = "migrant"
) -> tuple[Participant, Person, SessionEvent]:
    """A trainer or mediator adds someone who has no device to the session: a mediator can
    then write for them (their notes count as theirs), and their badge lets them join a
    shared tablet later."""
    viewer.require("write_for")
    writable_session(viewer)
    if not all(isinstance(value, str) for value in (name, language, role)):
        raise PonteError("invalid_payload", _("Send a name, a role and a language."))
    name, role, language = check_joiner(name, role, language)
    ws = db.session.get(WorkshopSession, viewer.session_id)
    person = people.new_person(ws.workshop_id, name, role, language, without_device=True)
    # No tablet is given the token: someone without a device joins a shared one with a badge.
    participant, _token = enter(ws, person, name, role, language, waiting=False)
    event = append_event(ws.id, "participant_joined", {"participant": participant.to_dict()})
    return participant, person, event


# --- counts -----------------------------------------------------------------------------


def presences(workshop_id: int) -> list:
    """Who was in which session of the process: (session id, person id, role, language), once
    per person and session (their joinings merged), admitted and not removed."""
    return db.session.execute(
        sa.select(Attendance.session_id, Person.id, Person.role, Person.language)
        .join(Participant, Participant.id == Attendance.participant_id)
        .join(Person, Person.id == Participant.person_id)
        .where(
            Person.workshop_id == workshop_id,
            Attendance.removed_at.is_(None),
            Attendance.waiting.is_(False),
        )
        .distinct()
    ).all()


def process_figures(workshop_id: int) -> dict:
    """People by role, counted once each however many sessions they came to, with their
    presences (one per person and session) beside; trainers by the sessions they ran."""
    people_by_role = {role: set() for role in ROLES}
    presences_by_role = dict.fromkeys(ROLES, 0)
    for _session_id, person_id, role, _language in presences(workshop_id):
        people_by_role.setdefault(role, set()).add(person_id)
        presences_by_role[role] = presences_by_role.get(role, 0) + 1
    ran = db.session.execute(
        sa.select(WorkshopSession.trainer_id, sa.func.count(WorkshopSession.id))
        .where(
            WorkshopSession.workshop_id == workshop_id,
            WorkshopSession.trainer_id.is_not(None),
            WorkshopSession.opened_at.is_not(None),
        )
        .group_by(WorkshopSession.trainer_id)
    ).all()
    people_counts = {role: len(ids) for role, ids in people_by_role.items()}
    return {
        "people_by_role": people_counts,
        "presences_by_role": presences_by_role,
        "people": sum(people_counts.values()),
        "presences": sum(presences_by_role.values()),
        "trainers": len(ran),
        "sessions_run": sum(count for _trainer, count in ran),
    }


def people_in_session(session_id: int) -> dict[str, int]:
    """The people of one session by role: a person who joined twice counts once."""
    counts = dict.fromkeys(ROLES, 0)
    rows = db.session.execute(
        sa.select(Person.role, sa.func.count(sa.distinct(Person.id)))
        .join(Participant, Participant.person_id == Person.id)
        .join(Attendance, Attendance.participant_id == Participant.id)
        .where(
            Attendance.session_id == session_id,
            Attendance.removed_at.is_(None),
            Attendance.waiting.is_(False),
        )
        .group_by(Person.role)
    )
    for role, count in rows:
        counts[role] = count
    return counts


def session_people(ws: WorkshopSession) -> dict[str, int]:
    """The people of one session by role, and the trainer who ran it (for the Report)."""
    ran = ws.trainer_id is not None and ws.opened_at is not None
    return {**people_in_session(ws.id), "trainer": 1 if ran else 0}
