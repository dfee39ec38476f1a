"""The plain data a publication is made of, built before any template sees it.

No ORM object leaves this module: templates get dicts, lists and strings, so what they can
show is decided here, once. Participants are pseudonymised (P1, P2…, by order of joining
the process) in the report; the booklet quotes only what people consented to publish.
"""

import datetime as dt

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l

from ponte.extensions import db
from prototypes.models import CANVAS_FIELDS, Feedback, Prototype, PrototypeLink
from publications.logos import logos_of
from publications.models import Media
from sessions import roster
from sessions.content import Words
from sessions.models import (
    AgendaItem,
    Cluster,
    Commitment,
    Group,
    Post,
    PostTranslation,
    Prompt,
    Vote,
    WorkshopSession,
)
from workshops import activities, people
from workshops.models import Account, Participant, Person, Workshop
from workshops.times import hours_between, time_range

# The words a publication prints for the codes, in the language it is rendered in (see
# render.publish: built and rendered inside force_locale). The Booklet reads them in English
# and puts them in its own languages (templates/publications/pdf/_booklet_strings.html).
ROLE_LABELS = {
    "migrant": _l("participant"),
    "decision_maker": _l("decision maker"),
    "mediator": _l("mediator"),
    "trainer": _l("trainer"),
    "staff": _l("staff"),
}
STATUS_LABELS = {
    "draft": _l("draft"),
    "presented": _l("presented"),
    "under_consideration": _l("under consideration"),
    "adopted": _l("adopted"),
    "piloted": _l("piloted"),
    "not_pursued": _l("not pursued"),
    "open": _l("open"),
    "in_progress": _l("in progress"),
    "done": _l("done"),
    "dropped": _l("dropped"),
}
KIND_LABELS = {
    "listening": _l("Listening session"),
    "face_to_face": _l("Face-to-face meeting"),
    "co_projecting": _l("Co-projecting workshop"),
}
ACTIVITY_KIND_LABELS = {
    "training": _l("Training"),
    "study_visit": _l("Study visit"),
    "partnership_meeting": _l("Partnership meeting"),
    "public_event": _l("Public event"),
}
PHASE_LABELS = {
    "frame": _l("Frame the problem"),
    "ideas": _l("Ideas"),
    "vote": _l("Vote"),
    "prototype": _l("Prototype"),
    "feedback": _l("Feedback"),
}
CANVAS_LABELS = {
    "problem": _l("The problem, here"),
    "affected": _l("Who is affected"),
    "idea": _l("The idea"),
    "how_it_works": _l("How it would work, step by step"),
    "actors": _l("Who must act"),
    "resources": _l("What it needs"),
    "first_steps": _l("First steps"),
    "risks": _l("Risks"),
    "success_measure": _l("How we would know it works"),
}
FEEDBACK_LABELS = {"support": _l("support"), "concern": _l("concern"), "question": _l("question")}
PUBLISHABLE = ("named", "anonymous")
DEFAULT_SESSION_HOURS = 2.0


class Pseudonyms:
    """P1, P2… for the people of a process, stable by order of joining: a person who came to
    three sessions (or was merged from two entries) is one pseudonym."""

    def __init__(self, workshop_id: int):
        by_person = people.pseudonyms(workshop_id)
        self._names = {
            participant_id: by_person.get(person_id, "P0")
            for participant_id, person_id in db.session.execute(
                sa.select(Participant.id, Participant.person_id).where(
                    Participant.workshop_id == workshop_id
                )
            )
        }

    def __call__(self, participant_id: int | None, role: str) -> str:
        if participant_id is None:
            return str(ROLE_LABELS.get(role, role)).capitalize()
        return self._names.get(participant_id, "P0")


def persons_by_joining(workshop_id: int) -> dict[int, Person]:
    """The person each joining of the process counts for (whose consent applies)."""
    return {
        participant_id: person
        for participant_id, person in db.session.execute(
            sa.select(Participant.id, Person)
            .join(Person, Person.id == Participant.person_id)
            .where(Participant.workshop_id == workshop_id)
        )
    }


def _workshop(workshop: Workshop) -> dict:
    return {
        "id": workshop.id,
        "title": workshop.title,
        "city": workshop.city,
        "languages": workshop.languages,
        "partners": [p.strip() for p in workshop.partners.splitlines() if p.strip()],
        "funding_line": workshop.funding_line,
        "logos": [
            {"id": logo.id, "src": f"ponte://media/{logo.filename}", "name": logo.name}
            for logo in logos_of(workshop.id)
        ],
        # AMIF/FAMI: the EU emblem with its funding statement, on every cover.
        "eu_statement": workshop.eu_statement if workshop.eu_funded else "",
    }


def _sessions(workshop_id: int) -> list[WorkshopSession]:
    return list(
        db.session.scalars(
            sa.select(WorkshopSession)
            .where(WorkshopSession.workshop_id == workshop_id)
            .order_by(WorkshopSession.date, WorkshopSession.id)
        )
    )


def session_hours(ws: WorkshopSession) -> float:
    """Its hours: from its start and end time when set, else from when it was live."""
    if (planned := hours_between(ws.start_time, ws.end_time)) is not None:
        return planned
    if ws.opened_at and ws.closed_at and ws.closed_at > ws.opened_at:
        return round((ws.closed_at - ws.opened_at).total_seconds() / 3600, 1)
    return DEFAULT_SESSION_HOURS


def _note(post: Post, name) -> dict:
    return {
        "text": post.text,
        "language": post.language,
        "author": name(post.participant_id, post.author_role),
        "role": str(ROLE_LABELS.get(post.author_role, post.author_role)),
        "role_code": post.author_role,
        # A voice note: its length; its text is a mediator's transcription ("" if none yet).
        "voice_seconds": post.audio_seconds if post.kind == "voice" else None,
        "written_by": str(ROLE_LABELS.get(post.scribe_role, post.scribe_role))
        if post.scribe_name
        else None,
        "translations": _checked_translations(post.id),
    }


def _checked_translations(post_id: int) -> dict[str, str]:
    """A note's translations a mediator wrote or checked, by language (machine drafts left out)."""
    return dict(
        db.session.execute(
            sa.select(PostTranslation.language, PostTranslation.text).where(
                PostTranslation.post_id == post_id, PostTranslation.verified.is_(True)
            )
        ).all()
    )


def _consent(post: Post, participants: dict[int, Person]) -> str:
    if post.quote_consent:
        return post.quote_consent
    if post.participant_id is None:
        return "anonymous"  # trainers' notes: they may write down what others said
    return participants[post.participant_id].quote_consent


def build(kind: str, workshop_id: int, languages: list[str]) -> dict:
    """The context of a publication: the Report (in the current locale) or a Booklet edition."""
    if kind == "report":
        return report_context(workshop_id)
    return booklet_context(workshop_id, languages)


# --- the report ----------------------------------------------------------------------------


def report_context(workshop_id: int, words: Words | None = None) -> dict:
    """Everything the Report shows: figures, timeline, a chapter per session and prototype,
    in the current locale's language (``words``: the trainer's words in another)."""
    workshop = db.session.get(Workshop, workshop_id)
    words = words or Words(workshop, str(get_locale() or "en"))
    name = Pseudonyms(workshop_id)
    participants = persons_by_joining(workshop_id)
    sessions = _sessions(workshop_id)
    chapters = [_session_chapter(ws, name, participants, words) for ws in sessions]
    prototypes = _prototype_chapters(workshop_id, name, participants, words)
    commitments = _commitments(workshop_id, words)
    counted = roster.process_figures(workshop_id)
    others = activities.listing(workshop_id)
    activity_figures = activities.figures(workshop_id)
    session_hours_total = round(sum(session_hours(s) for s in sessions), 1)
    return {
        "workshop": _workshop(workshop),
        "generated_on": dt.date.today().isoformat(),
        "language": str(get_locale() or "en"),
        "figures": {
            "sessions": len(sessions),
            "sessions_by_kind": {k: sum(1 for s in sessions if s.kind == k) for k in KIND_LABELS},
            # Distinct people by role, each once however many sessions they came to; their
            # presences (one per person and session) beside; trainers by sessions they ran.
            "people_by_role": {**counted["people_by_role"], "trainer": counted["trainers"]},
            "presences_by_role": {
                **counted["presences_by_role"],
                "trainer": counted["sessions_run"],
            },
            "people": counted["people"],
            "presences": counted["presences"],
            "session_hours": session_hours_total,
            # Hours of activity: the sessions' and the other activities' together.
            "hours": round(session_hours_total + activity_figures["activity_hours"], 1),
            **activity_figures,
            "courses": [
                {**c, "first": c["first"].isoformat(), "last": c["last"].isoformat()}
                for c in activities.courses(workshop_id)
            ],
            "notes": sum(c["note_count"] for c in chapters),
            "prototypes": len(prototypes),
            "commitments": len(commitments),
        },
        "timeline": _timeline(sessions, chapters, others, words),
        "sessions": chapters,
        "prototypes": prototypes,
        "commitments": commitments,
    }


def _timeline(sessions, chapters, others: list[dict], words: Words) -> list[dict]:
    """Sessions and the other activities together, by date and time: what, when, where, how
    many people, how many hours (an undated session goes last)."""
    people = {c["id"]: sum(c["attendance"].values()) for c in chapters}
    steps = [
        {
            "session_id": s.id,
            "activity_id": None,
            "sort": (s.date or dt.date.max, s.start_time or dt.time.min),
            "date": s.date.isoformat() if s.date else "",
            "time": time_range(s.start_time, s.end_time),
            "kind": str(KIND_LABELS[s.kind]),
            "title": words("session", s.id, "title", s.title),
            "place": s.place,
            "course": "",
            "people": people.get(s.id, 0),
            "hours": session_hours(s),
        }
        for s in sessions
    ]
    for row in others:
        a = row["activity"]
        steps.append(
            {
                "session_id": None,
                "activity_id": a.id,
                "sort": (a.date, a.start_time or dt.time.min),
                "date": a.date.isoformat(),
                "time": time_range(a.start_time, a.end_time),
                "kind": str(ACTIVITY_KIND_LABELS[a.kind]),
                "title": a.title,
                "place": a.place,
                "course": a.course,
                "people": row["people"],
                "hours": a.duration or 0.0,
            }
        )
    steps.sort(key=lambda step: step["sort"])
    for step in steps:
        del step["sort"]
    return steps


def _session_chapter(ws: WorkshopSession, name, participants, words: Words) -> dict:
    posts = [
        p
        for p in db.session.scalars(
            sa.select(Post)
            .where(Post.session_id == ws.id, Post.hidden.is_(False))
            .order_by(Post.seq)
        )
    ]
    shown = [p for p in posts if _consent(p, participants) != "never"]
    clusters = db.session.scalars(
        sa.select(Cluster).where(Cluster.session_id == ws.id).order_by(Cluster.position, Cluster.id)
    ).all()
    grouped = []
    for cluster in clusters:
        notes = [_note(p, name) for p in shown if p.cluster_id == cluster.id]
        grouped.append(
            {
                "title": words("cluster", cluster.id, "name", cluster.name),
                "carried_forward": cluster.carried_forward,
                "notes": notes,
            }
        )
    groups = {
        g.id: words("group", g.id, "name", g.name)
        for g in db.session.scalars(
            sa.select(Group).where(Group.session_id == ws.id).order_by(Group.position, Group.id)
        )
    }
    prompts = {
        p.id: words("prompt", p.id, "text", p.text)
        for p in db.session.scalars(
            sa.select(Prompt).where(Prompt.session_id == ws.id).order_by(Prompt.position)
        )
    }
    agenda = {
        a.id: words("agenda_item", a.id, "title", a.title)
        for a in db.session.scalars(
            sa.select(AgendaItem)
            .where(AgendaItem.session_id == ws.id)
            .order_by(AgendaItem.position)
        )
    }
    rest = [p for p in shown if p.cluster_id is None]
    for _kind, titles, attribute in (
        ("group", groups, "group_id"),
        ("agenda", agenda, "agenda_item_id"),
        ("prompt", prompts, "prompt_id"),
    ):
        if titles and not clusters:
            for item_id, title in titles.items():
                notes = [_note(p, name) for p in rest if getattr(p, attribute) == item_id]
                if notes:
                    grouped.append({"title": title, "carried_forward": False, "notes": notes})
            rest = [p for p in rest if getattr(p, attribute) not in titles]
            break
    if rest:
        grouped.append(
            {
                "title": "Other notes",
                "carried_forward": False,
                "notes": [_note(p, name) for p in rest],
            }
        )
    never = {p.id for p in posts if _consent(p, participants) == "never"}
    votes = db.session.execute(
        sa.select(Post.id, Post.text, sa.func.count(Vote.id))
        .join(Vote, Vote.post_id == Post.id)
        .where(Post.session_id == ws.id, Post.hidden.is_(False))
        .group_by(Post.id)
        .order_by(sa.func.count(Vote.id).desc())
    ).all()
    trainer = db.session.get(Account, ws.trainer_id) if ws.trainer_id else None
    return {
        "id": ws.id,
        "anchor": f"session-{ws.id}",
        "kind": str(KIND_LABELS[ws.kind]),
        "title": words("session", ws.id, "title", ws.title),
        "date": ws.date.isoformat() if ws.date else "",
        "place": ws.place,
        "hours": session_hours(ws),
        "trainers": [trainer.name] if trainer else [],
        "attendance": roster.session_people(ws),
        "note_count": len(posts),
        "prompts": list(prompts.values()),
        "agenda": list(agenda.values()),
        "groups": list(groups.values()),
        "phase": str(PHASE_LABELS.get(ws.phase or "", "")),
        "clusters": grouped,
        "votes": [
            {"text": text, "votes": count} for post_id, text, count in votes if post_id not in never
        ],
        "commitments": [c for c in _commitments(ws.workshop_id, words) if c["session_id"] == ws.id],
    }


def _prototype_chapters(workshop_id: int, name, participants, words: Words) -> list[dict]:
    chapters = []
    for prototype in db.session.scalars(
        sa.select(Prototype).where(Prototype.workshop_id == workshop_id).order_by(Prototype.id)
    ):
        evidence = db.session.scalars(
            sa.select(Post)
            .join(PrototypeLink, PrototypeLink.post_id == Post.id)
            .where(PrototypeLink.prototype_id == prototype.id, Post.hidden.is_(False))
            .order_by(Post.seq)
        ).all()
        themes = [
            words("cluster", theme.id, "name", theme.name)
            for theme in db.session.scalars(
                sa.select(Cluster)
                .join(PrototypeLink, PrototypeLink.cluster_id == Cluster.id)
                .where(PrototypeLink.prototype_id == prototype.id)
            )
        ]
        feedback = db.session.scalars(
            sa.select(Feedback).where(Feedback.prototype_id == prototype.id).order_by(Feedback.id)
        ).all()
        group = db.session.get(Group, prototype.group_id) if prototype.group_id else None
        title = prototype.fields.get("title", "")
        chapters.append(
            {
                "id": prototype.id,
                "anchor": f"prototype-{prototype.id}",
                "title": words("prototype", prototype.id, "title", title),
                "group_id": group.id if group else None,
                "group": words("group", group.id, "name", group.name) if group else "",
                "status": str(STATUS_LABELS[prototype.status]),
                "status_reason": words(
                    "prototype", prototype.id, "status_reason", prototype.status_reason
                ),
                "canvas": [
                    {
                        "field": field,
                        "label": str(CANVAS_LABELS[field]),
                        "text": words("prototype", prototype.id, field, prototype.fields[field]),
                    }
                    for field in CANVAS_FIELDS
                    if field != "title" and prototype.fields.get(field)
                ],
                "evidence": [
                    _note(p, name) for p in evidence if _consent(p, participants) != "never"
                ],
                "themes": list(themes),
                "feedback": [
                    {
                        "kind": str(FEEDBACK_LABELS.get(f.kind, f.kind)),
                        "text": f.text,
                        "author": name(f.participant_id, f.author_role),
                    }
                    for f in feedback
                    if f.participant_id is None
                    or participants[f.participant_id].quote_consent != "never"
                ],
            }
        )
    return chapters


def _commitments(workshop_id: int, words: Words) -> list[dict]:
    return [
        {
            "id": c.id,
            "session_id": c.session_id,
            "what": words("commitment", c.id, "what", c.what),
            "who": c.who,
            "by_when": c.by_when.isoformat() if c.by_when else "",
            "status": str(STATUS_LABELS[c.status]),
            "public_update": words("commitment", c.id, "public_update", c.public_update),
        }
        for c in db.session.scalars(
            sa.select(Commitment)
            .where(Commitment.workshop_id == workshop_id)
            .order_by(Commitment.id)
        )
    ]


# --- the booklet ---------------------------------------------------------------------------


def _also(words: Words | None, subject: str, subject_id: int | None, field: str) -> str | None:
    """The second language's words of a bilingual edition, when a mediator checked them."""
    if words is None or subject_id is None:
        return None
    return words.translated(subject, subject_id, field)


def _photo_allowed(media: Media, persons: dict[int, Person]) -> bool:
    """A photo goes in only if everyone recognised in it allows photos of them (the person an
    entry was merged into decides)."""
    for person_id in media.person_ids or []:
        person = persons.get(person_id)
        if person is not None and person.merged_into_id is not None:
            person = persons.get(person.merged_into_id)
        if person is None or person.erased_at is not None or not person.photo_consent:
            return False
    return True


def booklet_context(workshop_id: int, languages: list[str]) -> dict:
    """The public Booklet: the story, the groups and their prototypes, consented quotes and
    photos, what happened next. ``languages``: one, or two for a bilingual edition.

    Its labels are built in English: the booklet's own strings put them in its languages.
    """
    with force_locale("en"):
        return _booklet_context(workshop_id, languages)


def _booklet_context(workshop_id: int, languages: list[str]) -> dict:
    workshop = db.session.get(Workshop, workshop_id)
    report = report_context(workshop_id, Words(workshop, languages[0]))
    # A bilingual edition prints the trainer's and groups' words in its second language too,
    # where a mediator checked a translation.
    also = Words(workshop, languages[1]) if len(languages) > 1 else None
    participants = persons_by_joining(workshop_id)
    quotes = []
    for ws in _sessions(workshop_id):
        for post in db.session.scalars(
            sa.select(Post)
            .where(Post.session_id == ws.id, Post.hidden.is_(False))
            .order_by(Post.seq)
        ):
            consent = _consent(post, participants)
            if consent not in PUBLISHABLE or not post.text:
                continue  # a voice note nobody transcribed cannot be quoted in print
            role = str(ROLE_LABELS.get(post.author_role, post.author_role))
            named = consent == "named" and not ws.anonymous  # anonymous sessions stay so
            who = post.author_name if named else role.capitalize()
            quotes.append(
                {
                    "text": post.text,
                    "language": post.language,
                    "who": who,
                    "session": ws.title,
                    "translations": _checked_translations(post.id),
                }
            )
    persons = {
        person.id: person
        for person in db.session.scalars(sa.select(Person).where(Person.workshop_id == workshop_id))
    }
    photos = [
        {
            "src": f"ponte://media/{m.filename}",
            "caption": m.caption,
            "width": m.width,
            "height": m.height,
            "credit": "",
        }
        for m in db.session.scalars(
            sa.select(Media)
            .where(Media.workshop_id == workshop_id, Media.consent.in_(PUBLISHABLE))
            .order_by(Media.id)
        )
        if _photo_allowed(m, persons)
    ]
    groups: dict[str, dict] = {}
    for prototype in report["prototypes"]:
        group = groups.setdefault(
            prototype["group"] or "—",
            {"name_also": _also(also, "group", prototype["group_id"], "name"), "prototypes": []},
        )
        pid = prototype["id"]
        group["prototypes"].append(
            {
                "title": prototype["title"],
                "title_also": _also(also, "prototype", pid, "title"),
                "status": prototype["status"],
                "status_reason": prototype["status_reason"],
                "status_reason_also": _also(also, "prototype", pid, "status_reason"),
                "canvas": [
                    {**cell, "also": _also(also, "prototype", pid, cell["field"])}
                    for cell in prototype["canvas"]
                ],
                "voices": len(prototype["evidence"]),
            }
        )
    commitments = [
        {
            **c,
            "what_also": _also(also, "commitment", c["id"], "what"),
            "public_update_also": _also(also, "commitment", c["id"], "public_update"),
        }
        for c in report["commitments"]
    ]
    timeline = [
        {**step, "title_also": _also(also, "session", step["session_id"], "title")}
        for step in report["timeline"]
        if step["session_id"] is not None  # the booklet's journey: the method's sessions
    ]
    return {
        "workshop": _workshop(workshop),
        "languages": languages,
        "figures": report["figures"],
        "timeline": timeline,
        "groups": [{"name": name, **group} for name, group in groups.items()],
        "quotes": quotes,
        "photos": photos,
        "commitments": commitments,
        "next_url": (current_app.config["PONTE_PUBLIC_URL"] or "").rstrip("/")
        + f"/next/{workshop.public_key}",
    }
