"""What a screen loads: the whole board of a session, as one viewer may see it."""

import sqlalchemy as sa
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from ponte.i18n import current_language, interface_languages, language_name
from sessions import content, machine_translation
from sessions.access import Viewer
from sessions.audiences import for_audience, present_post
from sessions.models import (
    AgendaItem,
    Attendance,
    Cluster,
    Commitment,
    Group,
    Post,
    Prompt,
    StaffAttendance,
    Vote,
    WorkshopSession,
)
from sessions.reactions import own_reactions, reaction_counts
from sessions.roster import people_in_session
from sessions.services import audience_of, wrote
from sessions.translations import translations_of
from workshops.models import Participant, Person, Workshop, utcnow

CARRIED_NOTES_SHOWN = 5
SHOWS_CODE = ("trainer", "staff", "observer", "projector")


def board(viewer: Viewer) -> dict:
    """Return everything a screen needs to draw the board, as this viewer may see it."""
    viewer.require("read")
    ws = db.session.get(WorkshopSession, viewer.session_id)
    if ws is None:
        raise PonteError("unknown_session", _("No such session."), 404)
    audience = audience_of(viewer)
    posts_query = sa.select(Post).where(Post.session_id == ws.id).order_by(Post.seq)
    if not viewer.is_staff:
        posts_query = posts_query.where(Post.hidden.is_(False))
    posts = db.session.scalars(posts_query).all()
    post_ids = [p.id for p in posts]
    translations = translations_of(post_ids)
    reactions = reaction_counts(post_ids)
    workshop = db.session.get(Workshop, ws.workshop_id)
    languages = list(workshop.languages or []) if workshop else []
    counts = attendance(ws.id)
    return {
        "session": ws.to_dict(),
        "workshop": workshop.to_dict() if workshop else None,
        "groups": _rows(Group, ws.id),
        "prompts": _rows(Prompt, ws.id),
        "clusters": _rows(Cluster, ws.id),
        "agenda": _rows(AgendaItem, ws.id),
        # What the trainer wrote, in the process's first language, and its translations.
        "content_language": content.content_language(workshop) if workshop else "it",
        "content_translations": content.of_session(ws.id),
        "posts": [
            present_post(
                {**p.to_dict(), "translations": translations[p.id], "reactions": reactions[p.id]},
                ws,
                audience,
            )
            for p in posts
        ],
        "mine": [p.id for p in posts if wrote(viewer, p)],
        "my_reactions": {str(k): v for k, v in own_reactions(viewer).items()},
        "commitments": for_audience(
            [
                c.to_dict()
                for c in db.session.scalars(
                    sa.select(Commitment)
                    .where(Commitment.session_id == ws.id)
                    .order_by(Commitment.id)
                )
            ],
            ws,
            audience,
        ),
        "votes": _votes(ws, viewer),
        "attendance": counts,
        # Participants who joined (trainers are counted in attendance, not here).
        "people": counts["migrant"] + counts["decision_maker"] + counts["mediator"],
        "carried_themes": carried_themes(ws) if ws.kind != "listening" else [],
        "participants": _participants(ws.id) if viewer.is_staff else [],
        # People at the door of a session that needs approval (see facilitation.admit).
        "waiting": _participants(ws.id, waiting=True) if viewer.is_staff else [],
        # Mediators write for people in the room, so they see who is here.
        "participants_for_mediator": (
            _people_for_mediator(ws.id) if viewer.can("write_for") else []
        ),
        "machine_translation": machine_translation.provider() is not None,
        "language_names": {
            code: language_name(code)
            for code in sorted({*languages, *interface_languages(), *(p.language for p in posts)})
        },
        "projector_key": ws.projector_key if viewer.can("facilitate") else None,
        # The wall and the trainer show how to join; tablets already have.
        "join_code": ws.join_code if ws.is_live and viewer.role in SHOWS_CODE else None,
        "seq": ws.last_seq,
        "server_now": utcnow().isoformat() + "Z",
        "me": {
            "name": viewer.name,
            "role": viewer.role,
            # Staff and the wall read in the page's language; participants in their own.
            "language": viewer.language if viewer.participant_id else current_language(),
            "participant_id": viewer.participant_id,
            "group_id": _own_group(ws.id, viewer),
            "can_facilitate": viewer.can("facilitate"),
            "can_translate": viewer.can("translate"),
            **_my_person(viewer),
        },
    }


def _my_person(viewer: Viewer) -> dict:
    """A participant's person: its id and consent (the tablet asks for it once)."""
    if viewer.participant_id is None:
        return {"person_id": None, "consent": None}
    person = db.session.scalar(
        sa.select(Person)
        .join(Participant, Participant.person_id == Person.id)
        .where(Participant.id == viewer.participant_id)
    )
    return {"person_id": person.id, "consent": person.consent_dict()}


def _rows(model, session_id: int) -> list[dict]:
    query = sa.select(model).where(model.session_id == session_id)
    return [row.to_dict() for row in db.session.scalars(query.order_by(model.position, model.id))]


def _own_group(session_id: int, viewer: Viewer) -> int | None:
    if viewer.participant_id is None:
        return None
    return db.session.scalar(
        sa.select(Attendance.group_id).where(
            Attendance.session_id == session_id, Attendance.participant_id == viewer.participant_id
        )
    )


def _votes(ws: WorkshopSession, viewer: Viewer) -> dict:
    """Dot votes: totals for staff or once revealed; one's own dots and what is left."""
    tallies = {}
    if viewer.is_staff or ws.votes_revealed:
        query = (
            sa.select(Vote.post_id, sa.func.count(Vote.id))
            .join(Post, Post.id == Vote.post_id)
            .where(Vote.session_id == ws.id)
            .group_by(Vote.post_id)
        )
        if not viewer.is_staff:
            query = query.where(Post.hidden.is_(False))
        tallies = {str(post_id): count for post_id, count in db.session.execute(query)}
    mine: dict[str, int] = {}
    if viewer.participant_id is not None:
        mine = {
            str(post_id): count
            for post_id, count in db.session.execute(
                sa.select(Vote.post_id, sa.func.count(Vote.id))
                .where(Vote.session_id == ws.id, Vote.participant_id == viewer.participant_id)
                .group_by(Vote.post_id)
            )
        }
    return {
        "allowance": ws.votes_per_participant,
        "revealed": ws.votes_revealed,
        "tallies": tallies,
        "mine": mine,
        "left": max(0, ws.votes_per_participant - sum(mine.values())),
    }


def attendance(session_id: int) -> dict[str, int]:
    """Count the people in the room by role (a person who joined twice counts once), and the
    trainers and staff who came in, once each."""
    trainers = db.session.scalar(
        sa.select(sa.func.count(StaffAttendance.id)).where(StaffAttendance.session_id == session_id)
    )
    return {**people_in_session(session_id), "trainer": trainers}


def carried_themes(ws: WorkshopSession) -> list[dict]:
    """Themes carried forward from the other sessions of the process, with a few of their notes."""
    rows = db.session.execute(
        sa.select(Cluster, WorkshopSession.title)
        .join(WorkshopSession, WorkshopSession.id == Cluster.session_id)
        .where(
            WorkshopSession.workshop_id == ws.workshop_id,
            WorkshopSession.id != ws.id,
            Cluster.carried_forward.is_(True),
        )
        .order_by(WorkshopSession.id, Cluster.position, Cluster.id)
    ).all()
    themes = []
    for cluster, session_title in rows:
        notes = db.session.scalars(
            sa.select(Post.text)
            .where(Post.cluster_id == cluster.id, Post.hidden.is_(False))
            .order_by(Post.seq)
            .limit(CARRIED_NOTES_SHOWN)
        ).all()
        themes.append({**cluster.to_dict(), "session_title": session_title, "notes": notes})
    return themes


def _people_for_mediator(session_id: int) -> list[dict]:
    return [
        {
            "participant_id": person["id"],
            "name": person["name"],
            "role": person["role"],
            "language": person["language"],
        }
        for person in _participants(session_id)
    ]


def _participants(session_id: int, waiting: bool = False) -> list[dict]:
    rows = db.session.execute(
        sa.select(Participant, Attendance.group_id)
        .join(Attendance, Attendance.participant_id == Participant.id)
        .where(
            Attendance.session_id == session_id,
            Attendance.removed_at.is_(None),
            Attendance.waiting.is_(waiting),
        )
        .order_by(Participant.id)
    )
    return [
        {**participant.to_dict(), "group_id": group_id, "person_id": participant.person_id}
        for participant, group_id in rows
    ]
