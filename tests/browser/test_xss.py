"""The promise "No XSS anywhere": what people type is shown as text, never run, never fetched.

The hostile corpus (tests/hostile_strings.py) goes into every place people or staff type
text that others see, each string cut to the field's limit (FIELDS_FILLED says how much of
it went where): names (through POST /api/join and the join page), notes (services,
Socket.IO, a tablet's composer), translations, transcriptions, prompts, themes, agenda
items, groups, commitments, prototypes (title, canvas, feedback, status reason), captions,
titles, places, an account's name. A slice goes through the services, the rest is stored
exactly as the services store it (their cleaning, their limits), which keeps the whole
corpus in every field affordable.

Then Debian's chromium opens every screen that shows them, each in its own context: tablets,
consoles and projectors of the four sessions, a canvas, the staff pages, the public "what
happened next" page, the publications' previews. The Content-Security-Policy is *bypassed*,
so that the escaping alone is on trial (the CSP is a second wall, not the first). A screen
fails on any dialog, console error or page error, and on any request that is not to the
server (they are also aborted); it must show the hostile strings as text, and no element may
carry an ``on*`` attribute, a ``javascript:``/``data:`` URL, a foreign URL or frame.

The Report and an it+ar Booklet are rendered to PDF from a process holding every string
once (a 500-page report would take minutes): WeasyPrint may fetch nothing but Ponte's own
files, the HTML holds no hostile markup, and the strings are read back with pdftotext.
"""

import contextlib
import datetime as dt
import io
import json
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import socketio
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser.screens import answers_consent
from tests.hostile_strings import HOSTILE, fit, shown
from tests.servers import REPO, PonteServer

N = len(HOSTILE)
# Field limits (sessions/services.py, sessions/facilitation.py, sessions/commitments.py,
# prototypes/models.py, publications/media.py, the staff forms).
LIMIT = {
    "note": 2000,
    "name": 60,
    "process": 200,
    "city": 120,
    "session": 200,
    "place": 200,
    "prompt": 300,
    "cluster": 120,
    "agenda": 200,
    "group": 80,
    "what": 1000,
    "who": 200,
    "update": 1000,
    "caption": 500,
}
CARRIED = 8  # themes carried forward from the listening session to the others
SLICE = 4  # voice notes, notes written for someone, the meeting's and workshop's notes
SERVICE_EVERY = 8  # every 8th string goes through the services; the rest is stored in bulk
LABEL_NOTES_EVERY = 32  # the few notes of the session of prompts and themes
UI_NOTES = ['"><img src=x onerror=alert(1)>', "</textarea><script>alert(1)</script>", "{{7*7}}"]
UI_NAME = "<img src=x onerror=alert(1)>"
UI_THEME = '<svg onload=alert(1)> "theme"'
UI_PROMPT = "<details open ontoggle=alert(1)>prompt"
STAFF_EMAIL, STAFF_PASSWORD = "staff@xss.example", "a long staff password"
STAFF_NAME = '"><img src=x onerror=alert(1)>'  # an account's name is shown to others too
LIVE = [fit(text, 2000) for text in HOSTILE[3::16]]  # notes sent while the screens watch


def c(i: int) -> str:
    """The corpus, round and round."""
    return HOSTILE[i % N]


def pick(text: str) -> int:
    return HOSTILE.index(text)


def norm(text: str) -> str:
    """Compare text as people read it: NUL/U+FFFD dropped, whitespace runs as one space."""
    return re.sub(r"\s+", " ", text.replace("\x00", "").replace("\ufffd", "")).strip()


# --- filling the process, inside the server's app (run through PonteServer.run_in_app) -------


def _trainer_of(session_id: int):
    import sqlalchemy as sa

    from ponte.demo import DEMO_EMAIL
    from ponte.extensions import db
    from sessions.access import viewer_for_account
    from workshops.models import Account

    account = db.session.scalar(sa.select(Account).where(Account.email == DEMO_EMAIL))
    return account, viewer_for_account(account, session_id)


def seed_process(path: str) -> None:
    """Create the hostile process (three live sessions), a process of hostile session titles,
    and a process for every string (titles, cities); write their ids to ``path``."""
    from sessions import services
    from workshops import services as workshops

    account, _ = _trainer_of(0)
    workshops.create_account(STAFF_EMAIL, STAFF_NAME, STAFF_PASSWORD, "staff")
    languages = ["it", "en", "zh", "ar"]
    main = workshops.create_workshop(
        fit(c(pick("</title><script>alert(1)</script>")), LIMIT["process"]),
        fit(c(pick('<svg onload="confirm(1)">')), LIMIT["city"]),
        languages,
        account,
    )
    main.partners = "\n".join(fit(c(i), 200) for i in range(5))
    main.funding_line = fit(c(pick('"><script>alert(1)</script>')), 500)
    sessions = {}
    for key, kind, offset in (
        ("listening", "listening", 0),
        ("meeting", "face_to_face", 1),
        ("workshop", "co_projecting", 2),
        ("labels", "listening", 3),
    ):
        ws = services.create_session(
            main,
            kind,
            fit(c(pick("<script>alert(1)</script>") + offset), LIMIT["session"]),
            dt.date(2026, 3, 1 + offset),
            fit(c(pick("<img src=x onerror=alert(1)>") + offset), LIMIT["place"]),
            trainer_id=account.id,
        )
        services.open_session(ws)
        services.record_staff_attendance(ws, account)
        sessions[key] = {"id": ws.id, "code": ws.join_code}
    titles = workshops.create_workshop("Hostile session titles", "Prato", languages, account)
    for i in range(N):
        services.create_session(
            titles,
            "face_to_face",
            fit(c(i), LIMIT["session"]),
            dt.date(2026, 4, 1),
            fit(c(i + 1), LIMIT["place"]),
            trainer_id=account.id,
        )
    for i in range(N):
        workshops.create_workshop(
            fit(c(i), LIMIT["process"]), fit(c(i + 2), LIMIT["city"]), languages, account
        )
    Path(path).write_text(
        json.dumps(
            {
                "workshop_id": main.id,
                "public_key": main.public_key,
                "titles_workshop_id": titles.id,
                "sessions": sessions,
            }
        )
    )


def via_service(i: int) -> bool:
    """Whether string ``i`` goes through the service (else it is stored as the service would
    store it, in bulk: a service call costs ~10 ms, and there are thousands of strings)."""
    return i % SERVICE_EVERY == 0


class Bulk:
    """Rows stored as the services store them (their text cleaned and cut the same way), in
    one flush, with seqs taken from the session's log like append_event does."""

    def __init__(self):
        self.rows = []

    def add(self, row):
        self.rows.append(row)
        return row

    def flush(self):
        from ponte.extensions import db

        db.session.add_all(self.rows)
        db.session.flush()
        self.rows = []

    @staticmethod
    def seqs(session_id: int, count: int):
        import sqlalchemy as sa

        from ponte.extensions import db
        from sessions.models import WorkshopSession

        last = db.session.execute(
            sa.update(WorkshopSession)
            .where(WorkshopSession.id == session_id)
            .values(last_seq=WorkshopSession.last_seq + count)
            .returning(WorkshopSession.last_seq)
        ).scalar_one()
        return iter(range(last - count + 1, last + 1))

    @staticmethod
    def post(session_id: int, seq: int, author, text: str, **where):
        from sessions.models import Post

        return Post(
            session_id=session_id,
            client_id=str(uuid.uuid4()),
            text=text,
            language=author.language,
            participant_id=author.participant_id,
            account_id=author.account_id,
            author_name=author.name,
            author_role=author.role,
            seq=seq,
            **where,
        )


def seed_content(path: str) -> None:
    """Fill the sessions and the processes; record what the screens need in ``path``."""
    plan = json.loads(Path(path).read_text())
    _seed_listening(plan)
    _seed_labels(plan)
    _seed_meeting(plan)
    plan["first_prototype_id"] = _seed_workshop(plan)
    _seed_publication(plan)
    Path(path).write_text(json.dumps(plan))


def _seed_listening(plan: dict) -> None:
    """Prompts, themes, every note (by a hostile name) and its Italian translation; voice notes
    with their transcriptions and notes written for someone (every SLICE-th string)."""
    from ponte.demo import _tone_wav
    from sessions import facilitation, services, translations, voice
    from sessions.access import viewer_for_token
    from sessions.models import PostTranslation

    session_id = plan["sessions"]["listening"]["id"]
    _, chair = _trainer_of(session_id)
    people = [viewer_for_token(token) for token in plan["tokens"]["listening"]]
    mediator = viewer_for_token(plan["tokens"]["mediator"])
    bulk = Bulk()
    prompts, themes = _labels(chair, range(CARRIED))
    for i in range(CARRIED):
        facilitation.update_cluster(chair, themes[i], carried_forward=True)
    posts = {}
    seqs = Bulk.seqs(session_id, N)
    for i in range(N):
        text, translation = fit(c(i), LIMIT["note"]), fit(c(i + 1), LIMIT["note"])
        prompt, cluster = prompts[i % CARRIED], themes[i % CARRIED] if i % SLICE == 0 else None
        if via_service(i):
            post, _ = services.create_post(people[i], str(uuid.uuid4()), text, prompt_id=prompt)
            translations.translate(mediator, post.id, "it", translation)
            if cluster:
                facilitation.move_post(chair, post.id, cluster)
            posts[i] = post
        else:
            posts[i] = bulk.add(
                Bulk.post(
                    session_id,
                    next(seqs),
                    people[i],
                    shown(text),
                    prompt_id=prompt,
                    cluster_id=cluster,
                )
            )
    bulk.flush()
    for i in range(N):
        if not via_service(i):
            bulk.add(
                PostTranslation(
                    post_id=posts[i].id,
                    language="it",
                    text=shown(fit(c(i + 1), LIMIT["note"])),
                    translator_name=mediator.name,
                    translator_role=mediator.role,
                    translator_participant_id=mediator.participant_id,
                )
            )
    wav = _tone_wav(0.2)
    seqs = Bulk.seqs(session_id, 2 * N)
    for i in range(0, N, SLICE):
        transcription, said = fit(c(i + 2), LIMIT["note"]), fit(c(i + 3), LIMIT["note"])
        recording = voice.store(wav, 0.2)
        if via_service(i):
            post, _ = services.create_post(people[i], str(uuid.uuid4()), "", recording=recording)
            translations.transcribe(mediator, post.id, transcription)
            services.create_post(
                mediator, str(uuid.uuid4()), said, said_by=people[i].participant_id
            )
            continue
        bulk.add(
            Bulk.post(
                session_id,
                next(seqs),
                people[i],
                shown(transcription),
                kind="voice",
                audio_path=recording.path,
                audio_mime=recording.mime,
                audio_seconds=recording.seconds,
                transcriber_name=mediator.name,
                transcriber_role=mediator.role,
            )
        )
        scribe = Bulk.post(session_id, next(seqs), people[i], shown(said))
        scribe.scribe_participant_id = mediator.participant_id
        scribe.scribe_name, scribe.scribe_role = mediator.name, mediator.role
        bulk.add(scribe)
    bulk.flush()
    facilitation.spotlight(chair, posts[pick("<img src=x onerror=alert(1)>")].id)


def _labels(chair, indices) -> tuple[dict, dict]:
    """Prompts and themes of the strings ``indices`` in the chair's session; their ids."""
    from sessions import facilitation
    from sessions.models import Cluster, Prompt

    bulk = Bulk()
    prompts, themes = {}, {}
    for i in indices:
        prompt, theme = fit(c(i), LIMIT["prompt"]), fit(c(i), LIMIT["cluster"])
        if via_service(i):
            prompts[i] = facilitation.add_prompt(chair, prompt).data["prompt"]["id"]
            themes[i] = facilitation.create_cluster(chair, theme).data["cluster"]["id"]
        else:
            session_id = chair.session_id
            prompts[i] = bulk.add(Prompt(session_id=session_id, text=shown(prompt), position=i))
            themes[i] = bulk.add(Cluster(session_id=session_id, name=shown(theme), position=i))
    bulk.flush()
    return (
        {i: getattr(p, "id", p) for i, p in prompts.items()},
        {i: getattr(t, "id", t) for i, t in themes.items()},
    )


def _seed_labels(plan: dict) -> None:
    """Another listening session: a prompt and a theme per string, and a few notes in them
    (on a board with every note, each note's "Move to…" would list every theme)."""
    from sessions import facilitation, services

    _, chair = _trainer_of(plan["sessions"]["labels"]["id"])
    prompts, themes = _labels(chair, range(N))
    for i in range(0, N, LABEL_NOTES_EVERY):
        post, _ = services.create_post(
            chair, str(uuid.uuid4()), fit(c(i + 5), 2000), prompt_id=prompts[i]
        )
        facilitation.move_post(chair, post.id, themes[i])


def _seed_meeting(plan: dict) -> None:
    """Agenda items (typed, and from carried themes), notes under them (every SLICE-th
    string), a commitment per string (what, who, public update)."""
    import datetime as dt

    from sessions import commitments, facilitation, services
    from sessions.access import viewer_for_token
    from sessions.board import board
    from sessions.models import AgendaItem, Commitment

    session_id = plan["sessions"]["meeting"]["id"]
    _, chair = _trainer_of(session_id)
    makers = [viewer_for_token(token) for token in plan["tokens"]["meeting"]]
    bulk = Bulk()
    items = {}
    for i in range(N):
        title = fit(c(i), LIMIT["agenda"])
        if via_service(i):
            items[i] = facilitation.add_agenda_item(chair, title).data["item"]["id"]
        else:
            items[i] = bulk.add(
                AgendaItem(session_id=session_id, title=shown(title), position=N + i)
            )
    bulk.flush()
    items = {i: getattr(item, "id", item) for i, item in items.items()}
    for theme in board(chair)["carried_themes"]:
        facilitation.add_agenda_item(chair, cluster_id=theme["id"])
    seqs = Bulk.seqs(session_id, N)
    for i in range(0, N, SLICE):
        maker, text = makers[i % len(makers)], fit(c(i), LIMIT["note"])
        if via_service(i):
            services.create_post(maker, str(uuid.uuid4()), text, agenda_item_id=items[i])
        else:
            bulk.add(Bulk.post(session_id, next(seqs), maker, shown(text), agenda_item_id=items[i]))
    workshop_id = plan["workshop_id"]
    for i in range(N):
        maker = makers[i % len(makers)]
        what, who = fit(c(i), LIMIT["what"]), fit(c(i + 1), LIMIT["who"])
        update = fit(c(i + 2), LIMIT["update"])
        if via_service(i):
            commitment, _ = commitments.record_commitment(
                maker, what, who, "2026-09-30", agenda_item_id=items[i]
            )
            commitments.update_commitment(commitment, "in_progress", update)
            continue
        bulk.add(
            Commitment(
                workshop_id=workshop_id,
                session_id=session_id,
                agenda_item_id=items[i],
                what=shown(what),
                who=shown(who),
                by_when=dt.date(2026, 9, 30),
                status="in_progress",
                public_update=shown(update),
                recorded_by_name=maker.name,
                recorded_by_role=maker.role,
                participant_id=maker.participant_id,
            )
        )
    bulk.flush()


def _seed_workshop(plan: dict) -> int:
    """Groups, notes in them (every SLICE-th string); a prototype per string (title, idea,
    one more canvas field, evidence, feedback, status reason); decision makers' feedback with
    commitments; a photo per string (its caption). Return the first prototype's id."""
    from ponte.extensions import db
    from prototypes import services as prototypes
    from prototypes.models import CANVAS_FIELDS, Feedback, Prototype, PrototypeLink
    from publications import media
    from sessions import facilitation, services
    from sessions.access import viewer_for_token
    from sessions.board import board
    from sessions.models import Group, SessionEvent
    from workshops.models import Person, Workshop

    session_id = plan["sessions"]["workshop"]["id"]
    workshop_id = plan["workshop_id"]
    account, chair = _trainer_of(session_id)
    bulk = Bulk()
    groups = {}
    for i in range(N):
        name = fit(c(i), LIMIT["group"])
        if via_service(i):
            groups[i] = facilitation.add_group(chair, name).data["group"]["id"]
        else:
            groups[i] = bulk.add(Group(session_id=session_id, name=shown(name), position=N + i))
    bulk.flush()
    groups = {i: getattr(g, "id", g) for i, g in groups.items()}
    notes = []
    seqs = Bulk.seqs(session_id, N)
    for i in range(0, N, SLICE):
        text = fit(c(i), LIMIT["note"])
        if via_service(i):
            post, _ = services.create_post(chair, str(uuid.uuid4()), text, group_id=groups[i])
        else:
            post = bulk.add(
                Bulk.post(
                    session_id, next(seqs), chair, shown(text), group_id=groups[i], phase="frame"
                )
            )
        notes.append(post)
    bulk.flush()
    facilitation.advance_phase(chair, "prototype")
    others = [name for name in CANVAS_FIELDS if name not in ("title", "idea")]
    carried = board(chair)["carried_themes"]
    built = []
    for i in range(N):
        title, idea = fit(c(i), CANVAS_FIELDS["title"][1]), fit(c(i + 1), 4000)
        other = others[i % len(others)]
        text = fit(c(i + 2), CANVAS_FIELDS[other][1])
        feedback, reason = fit(c(i + 3), 2000), fit(c(i + 4), 2000)
        kind = ("support", "concern", "question")[i % 3]
        if via_service(i):
            prototype, _ = prototypes.create_prototype(chair, title, group_id=groups[i])
            prototypes.edit_field(chair, prototype.id, "idea", idea, 0)
            prototypes.edit_field(chair, prototype.id, other, text, 0)
            prototypes.link(chair, prototype.id, post_id=notes[i // SLICE % len(notes)].id)
            prototypes.give_feedback(chair, prototype.id, kind, feedback)
            prototypes.change_status(chair, prototype, "presented", reason)
        else:
            prototype = Prototype(
                workshop_id=workshop_id,
                session_id=session_id,
                group_id=groups[i],
                fields={"title": shown(title), "idea": shown(idea), other: shown(text)},
                versions={"title": 1, "idea": 1, other: 1},
                status="presented",
                status_reason=shown(reason)[:2000],
            )
            db.session.add(prototype)
            db.session.flush()
            bulk.add(PrototypeLink(prototype_id=prototype.id, post_id=notes[i // SLICE].id))
            bulk.add(
                Feedback(
                    prototype_id=prototype.id,
                    kind=kind,
                    text=shown(feedback),
                    author_name=chair.name,
                    author_role=chair.role,
                    account_id=chair.account_id,
                )
            )
        if i < len(carried):
            prototypes.link(chair, prototype.id, cluster_id=carried[i]["id"])
        built.append(prototype)
    bulk.flush()
    # The projector folds prototypes from the log: each stored one is logged as created,
    # with its whole state, as prototype_created carries it.
    bulk_made = [p for i, p in enumerate(built) if not via_service(i)]
    seqs = Bulk.seqs(session_id, len(bulk_made))
    for prototype in bulk_made:
        bulk.add(
            SessionEvent(
                session_id=session_id,
                seq=next(seqs),
                type="prototype_created",
                data={"prototype": prototypes.describe(prototype)},
            )
        )
    bulk.flush()
    built = [p.id for p in built]
    facilitation.advance_phase(chair, "feedback")
    makers = [viewer_for_token(token) for token in plan["tokens"]["workshop"]]
    for n, maker in enumerate(makers):
        prototypes.give_feedback(
            maker,
            built[n],
            "support",
            fit(c(n + 5), 2000),
            {"what": fit(c(n + 6), 1000), "who": fit(c(n + 7), 200), "by_when": "2026-12-31"},
        )
    facilitation.advance_phase(chair, "prototype")
    workshop = db.session.get(Workshop, workshop_id)
    photo = _tiny_jpeg()
    for i in range(N):
        media.store_photo(workshop, photo, fit(c(i), LIMIT["caption"]), "named", account)
    for person in db.session.scalars(db.select(Person).where(Person.workshop_id == workshop_id)):
        person.quote_consent = "named"  # the booklet quotes them all, by their names
    return built[0]


# The publications' own process: every string once, in one field of what a Report or a
# Booklet prints (round robin), so that both render in seconds rather than minutes.
PUB_SLOTS = {
    "note": 2000,
    "translation": 2000,
    "transcription": 2000,
    "theme": 120,
    "prompt": 300,
    "agenda item": 200,
    "meeting note": 2000,
    "group": 80,
    "commitment what": 1000,
    "commitment who": 200,
    "public update": 1000,
    "prototype title": 200,
    "idea": 2000,
    "canvas field": 2000,
    "feedback": 2000,
    "status reason": 2000,
    "caption": 500,
    "name": 60,
}


def pub_slots() -> dict[str, list[str]]:
    """The strings of each publication field, cut to its limit (as typed, not yet cleaned)."""
    names = list(PUB_SLOTS)
    return {
        name: [fit(c(i), limit) for i in range(n, N, len(names))]
        for n, (name, limit) in enumerate(PUB_SLOTS.items())
    }


def _seed_publication(plan: dict) -> None:
    """The process the PDFs are made of: each string in one field they print."""
    from ponte.demo import _tone_wav
    from ponte.extensions import db
    from prototypes import services as prototypes
    from prototypes.models import CANVAS_FIELDS
    from publications import media
    from sessions import commitments, facilitation, services, translations, voice
    from sessions.access import viewer_for_account, viewer_for_token
    from workshops import services as workshops
    from workshops.models import Person

    account, _ = _trainer_of(0)
    slot = pub_slots()
    workshop = workshops.create_workshop(
        fit(c(pick("</title><script>alert(1)</script>")), 200),
        fit(c(pick("<IMG SRC=x OnErRoR=prompt(1)>")), 120),
        ["it", "en", "zh", "ar"],
        account,
    )
    workshop.partners = "\n".join(fit(c(i), 200) for i in range(3))
    workshop.funding_line = fit(c(pick('"><script>alert(1)</script>')), 500)

    def session(kind: str, n: int):
        ws = services.create_session(
            workshop,
            kind,
            fit(c(pick("<script>alert(1)</script>") + n), 200),
            dt.date(2026, 5, 1 + n),
            fit(c(pick("<img src=x onerror=alert(1)>") + n), 200),
            trainer_id=account.id,
        )
        services.open_session(ws)
        services.record_staff_attendance(ws, account)
        return ws, viewer_for_account(account, ws.id)

    def person(ws, name: str, role: str, language: str):
        return viewer_for_token(services.join(ws.join_code, name, role, language)[2])

    def each(*names):
        count = max(len(slot[name]) for name in names)
        return [[slot[name][j % len(slot[name])] for name in names] for j in range(count)]

    listening, chair = session("listening", 0)
    people = [person(listening, name, "migrant", "en") for name in slot["name"]]
    mediator = person(listening, "Mediatore", "mediator", "it")
    for text in slot["prompt"]:
        facilitation.add_prompt(chair, text)
    themes = [facilitation.create_cluster(chair, t).data["cluster"]["id"] for t in slot["theme"]]
    for j, (text, translation) in enumerate(each("note", "translation")):
        post, _ = services.create_post(people[j % len(people)], str(uuid.uuid4()), text)
        facilitation.move_post(chair, post.id, themes[j % len(themes)])
        translations.translate(mediator, post.id, "it", translation)
    wav = _tone_wav(0.2)
    for j, text in enumerate(slot["transcription"]):
        recording = voice.store(wav, 0.2)
        author = people[j % len(people)]
        post, _ = services.create_post(author, str(uuid.uuid4()), "", recording=recording)
        translations.transcribe(mediator, post.id, text)

    meeting, chair = session("face_to_face", 1)
    maker = person(meeting, "Assessora", "decision_maker", "it")
    items = [facilitation.add_agenda_item(chair, t).data["item"]["id"] for t in slot["agenda item"]]
    for j, text in enumerate(slot["meeting note"]):
        services.create_post(maker, str(uuid.uuid4()), text, agenda_item_id=items[j % len(items)])
    for j, (what, who, update) in enumerate(
        each("commitment what", "commitment who", "public update")
    ):
        commitment, _ = commitments.record_commitment(
            maker, what, who, "2026-09-30", agenda_item_id=items[j % len(items)]
        )
        commitments.update_commitment(commitment, "in_progress", update)

    workshop_session, chair = session("co_projecting", 2)
    groups = [facilitation.add_group(chair, name).data["group"]["id"] for name in slot["group"]]
    facilitation.advance_phase(chair, "prototype")
    others = [name for name in CANVAS_FIELDS if name not in ("title", "idea")]
    for j, (title, idea, text, feedback, reason) in enumerate(
        each("prototype title", "idea", "canvas field", "feedback", "status reason")
    ):
        prototype, _ = prototypes.create_prototype(chair, title, group_id=groups[j % len(groups)])
        prototypes.edit_field(chair, prototype.id, "idea", idea, 0)
        prototypes.edit_field(chair, prototype.id, others[j % len(others)], text, 0)
        prototypes.give_feedback(chair, prototype.id, "question", feedback)
        prototypes.change_status(chair, prototype, "presented", reason)
    photo = _tiny_jpeg()
    for caption in slot["caption"]:
        media.store_photo(workshop, photo, caption, "named", account)
    for someone in db.session.scalars(db.select(Person).where(Person.workshop_id == workshop.id)):
        someone.quote_consent = "named"
    plan["publication_workshop_id"] = workshop.id


def _tiny_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 80, 40)).save(out, "JPEG")
    return out.getvalue()


# What the PDFs are made in: another process, on the server's database, with a spy on the
# fetcher (every URL WeasyPrint asks for, allowed or not).
RENDER_PDFS = """
import json, sys
from pathlib import Path
from weasyprint.urls import URLFetcher
from app import create_app
from publications import context, render

out, workshop_id = Path(sys.argv[1]), int(sys.argv[2])
fetched = []
inner = render.url_fetcher

class Spy(URLFetcher):
    def fetch(self, url, headers=None):
        fetched.append(url)
        return inner(url)

render.url_fetcher = Spy()
with create_app().app_context():
    for name, kind, data in (
        ("report", "report", lambda: context.report_context(workshop_id)),
        ("booklet", "booklet", lambda: context.booklet_context(workshop_id, ["it", "ar"])),
    ):
        data = data()
        (out / f"{name}.html").write_text(render.render_html(kind, data))
        (out / f"{name}.pdf").write_bytes(render.render_pdf(kind, data))
(out / "fetched.json").write_text(json.dumps(fetched))
"""


# --- the browser side ----------------------------------------------------------------------


@dataclass
class Watch:
    """Everything the pages did that they should not have."""

    origin: str
    dialogs: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    outside: list = field(default_factory=list)  # requests (and sockets) not to the server
    blocked: list = field(default_factory=list)  # of those, the ones our route aborted
    requests: int = 0
    opened: dict = field(default_factory=dict)  # page -> when it was opened
    contexts: list = field(default_factory=list)

    def saw(self, page: str, url: str) -> None:
        self.requests += 1
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname != "127.0.0.1" or f"{parts.scheme}://{parts.netloc}" not in (
            self.origin,
            self.origin.replace("http", "ws", 1),
        ):
            self.outside.append((page, url[:200]))


def open_page(browser: Browser, watch: Watch, name: str, width=1280, height=1000, state=None):
    """A page in its own context, CSP bypassed, every foreign request aborted and recorded."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        bypass_csp=True,
        storage_state=state,
        locale="en-US",
    )
    watch.contexts.append(context)

    def route(route):
        url = route.request.url
        if url.startswith(watch.origin + "/"):
            route.continue_()
        else:
            watch.blocked.append((name, url[:200]))
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    watch.opened[page] = time.monotonic()
    page.set_default_timeout(20_000)
    page.on("request", lambda request: watch.saw(name, request.url))
    page.on("websocket", lambda socket: watch.saw(name, socket.url))

    def on_dialog(dialog):
        watch.dialogs.append((name, dialog.type, dialog.message))
        with contextlib.suppress(PlaywrightError):  # the page may have gone meanwhile
            dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: watch.errors.append((name, f"page error: {error}")))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and watch.errors.append((name, f"console: {message.text[:300]}"))
        ),
    )
    return page


SCROLL = """async () => {
  const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
  const height = () => document.documentElement.scrollHeight;
  const step = Math.max(innerHeight, Math.ceil(height() / 60));
  for (let y = 0; y <= height(); y += step) { scrollTo(0, y); await frame(); }
  for (const el of document.querySelectorAll('*')) {
    if (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2) {
      el.scrollTop = el.scrollHeight; el.scrollLeft = el.scrollWidth;
    }
  }
  await frame(); await frame();
  scrollTo(0, 0);
}"""

# The page as text (plus what form fields, alt texts and labels hold), and every element that
# markup from people could have made: on* handlers, script/foreign URLs, frames, <base>...
AUDIT = """() => {
  const origin = location.origin;
  const bad = [];
  const URLISH = new Set(['href', 'src', 'action', 'formaction', 'data', 'poster', 'background',
    'ping', 'xlink:href', 'codebase', 'cite', 'longdesc', 'dynsrc', 'lowsrc', 'manifest', 'icon']);
  const FOREIGN = new Set(['IFRAME', 'FRAME', 'FRAMESET', 'OBJECT', 'EMBED', 'APPLET', 'BASE',
    'PORTAL', 'BGSOUND', 'ISINDEX', 'MARQUEE', 'PLAINTEXT', 'XMP', 'LISTING', 'NOSCRIPT',
    'MATH', 'TEMPLATE', 'STYLE']);
  const say = (el, why) => bad.push(el.tagName.toLowerCase() + ': ' + why + ' ' +
    el.outerHTML.slice(0, 160));
  for (const el of document.querySelectorAll('*')) {
    if (FOREIGN.has(el.tagName)) say(el, 'foreign element');
    if (el.tagName === 'SCRIPT' && el.type !== 'application/json' &&
        !(el.src && new URL(el.src).origin === origin)) say(el, 'inline or foreign script');
    if (el.tagName === 'META' && el.httpEquiv) say(el, 'meta http-equiv');
    if (el.tagName === 'LINK' && el.href && new URL(el.href).origin !== origin) say(el, 'link');
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml' && el.closest('.note, .board-column,'
        + ' main')) say(el, 'svg/mathml inside the page');
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) say(el, 'handler ' + name);
      if (name === 'srcdoc' || name === 'srcset') say(el, name);
      if (URLISH.has(name) || name.endsWith(':href')) {
        const squeezed = attr.value.replace(/[\\s\\x00-\\x1f]/g, '').toLowerCase();
        if (/^(javascript|vbscript|livescript|data):/.test(squeezed)) say(el, name + ' scheme');
        else if (name !== 'ping') {
          try {
            const url = new URL(attr.value, document.baseURI);
            if (/^(https?|wss?|ftp|file):$/.test(url.protocol) && url.origin !== origin)
              say(el, name + ' outside');
          } catch (e) { /* not a URL: harmless */ }
        } else say(el, 'ping');
      }
    }
  }
  if (document.baseURI.split('#')[0] !== location.href.split('#')[0])
    bad.push('base: ' + document.baseURI);
  const values = Array.from(document.querySelectorAll('input, textarea, select'),
    (el) => el.value || '').join('\\n');
  const attrs = Array.from(document.querySelectorAll('[alt], [title], [aria-label], [placeholder]'),
    (el) => ['alt', 'title', 'aria-label', 'placeholder'].map((a) => el.getAttribute(a) || '')
      .join('\\n')).join('\\n');
  return {text: document.title + '\\n' + document.body.textContent, values, attrs, bad,
          elements: document.querySelectorAll('*').length};
}"""


@dataclass
class Report:
    """What each checked page showed, for the summary at the end."""

    watch: Watch
    checked: dict = field(default_factory=dict)  # page -> (strings, elements, seconds)
    json_checked: list = field(default_factory=list)  # JSON answers with people's words
    problems: list = field(default_factory=list)


def check_page(page: Page, name: str, expected: dict[str, list[str]], report: Report) -> None:
    """Scroll the whole page, then: no dangerous element, and every expected string as text."""
    try:
        page.evaluate(SCROLL)
        page.wait_for_timeout(100)
        seen = page.evaluate(AUDIT)
    except PlaywrightError as error:  # e.g. a <meta http-equiv=refresh> took it elsewhere
        report.problems.append(f"{name}: the page went away while checked: {error.message}")
        return
    for bad in seen["bad"]:
        report.problems.append(f"{name}: {bad}")
    blob = norm("\n".join((seen["text"], seen["values"], seen["attrs"])))
    count = 0
    for what, strings in expected.items():
        missing = [s for s in dict.fromkeys(norm(s) for s in strings) if s and s not in blob]
        count += len(strings)
        if missing:
            report.problems.append(
                f"{name}: {len(missing)} of {len(strings)} {what} not shown as text, e.g. "
                + repr(missing[:3])[:400]
            )
    report.checked[name] = (count, seen["elements"], time.monotonic() - report.watch.opened[page])


# --- the test ------------------------------------------------------------------------------


@pytest.fixture
def server(tmp_path):
    """A Ponte server with its own files folder (photos, voice notes) in tmp_path."""
    ponte = PonteServer(
        tmp_path,
        # Commits need no fsync here: the test is about escaping, not durability.
        env={"PONTE_FILES_DIR": str(tmp_path / "files"), "PONTE_SQLITE_SYNCHRONOUS": "NORMAL"},
    )
    ponte.demo = ponte.seed_demo()
    try:
        ponte.start(timeout=60)  # a busy machine may take its time
        yield ponte
    finally:
        ponte.stop()


def run(server: PonteServer, body: str) -> None:
    try:
        server.run_in_app(body)
    except subprocess.CalledProcessError as error:
        raise AssertionError(error.stderr.decode()[-4000:]) from None


def join(server: PonteServer, code: str, name: str, role="migrant", language="en") -> str:
    answer = requests.post(
        server.url + "/api/join",
        json={"code": code, "name": name, "role": role, "language": language},
        timeout=10,
    )
    assert answer.status_code == 200, (name, answer.text)
    return answer.json()["token"]


def fill_the_process(server: PonteServer, plan_path: Path) -> tuple[dict, dict]:
    """Seed the hostile processes; return the plan (ids, codes, tokens) and the names."""
    seed = "from tests.browser.test_xss import {0}\n{0}({1!r})"
    run(server, seed.format("seed_process", str(plan_path)))
    plan = json.loads(plan_path.read_text())
    codes = {key: s["code"] for key, s in plan["sessions"].items()}
    # Names arrive the way tablets send them: POST /api/join.
    plan["tokens"] = {
        "listening": [join(server, codes["listening"], fit(c(i), LIMIT["name"])) for i in range(N)],
        "mediator": join(server, codes["listening"], fit(c(7), 60), "mediator", "it"),
        "meeting": [
            join(server, codes["meeting"], fit(c(i + 11), 60), "decision_maker", "it")
            for i in range(12)
        ],
        "workshop": [
            join(server, codes["workshop"], fit(c(i + 23), 60), "decision_maker", "ar")
            for i in range(6)
        ],
    }
    plan_path.write_text(json.dumps(plan))
    names = {  # as the server keeps them (control characters dropped, trimmed)
        "listening": [shown(fit(c(i), 60)) for i in range(N)],
        "meeting": [shown(fit(c(i + 11), 60)) for i in range(12)],
        "workshop": [shown(fit(c(i + 23), 60)) for i in range(6)],
    }
    run(server, seed.format("seed_content", str(plan_path)))
    return json.loads(plan_path.read_text()), names


def test_no_xss_anywhere(server: PonteServer, browser: Browser, tmp_path: Path):
    """No XSS anywhere: every screen and both publications show hostile text as text."""
    started = time.monotonic()
    plan, names = fill_the_process(server, tmp_path / "plan.json")
    seeded = time.monotonic()
    pdf_dir = tmp_path / "pdf"
    pdf_dir.mkdir()
    pdfs = subprocess.Popen(  # meanwhile, in another process
        [sys.executable, "-c", RENDER_PDFS, str(pdf_dir), str(plan["publication_workshop_id"])],
        cwd=REPO,
        env=server.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    watch = Watch(origin=server.url)
    report = Report(watch)
    try:
        Screens(server, browser, plan, watch, report, Expected(names)).everything()
        _, err = pdfs.communicate(timeout=240)
    finally:
        for context in watch.contexts:
            context.close()
        if pdfs.poll() is None:
            pdfs.kill()
            pdfs.wait()
    assert pdfs.returncode == 0, err.decode()[-4000:]
    pdf_problems, pdf_counts = check_pdfs(pdf_dir)
    report.problems += pdf_problems
    times = f"seeding {seeded - started:.0f}s, total {time.monotonic() - started:.0f}s"
    print_summary(watch, report, pdf_counts, times)
    assert watch.dialogs == [], watch.dialogs[:10]
    assert watch.outside == [] and watch.blocked == [], (watch.outside[:10], watch.blocked[:10])
    assert watch.errors == [], watch.errors[:10]
    assert report.problems == [], "\n".join(report.problems[:40])


def print_summary(watch: Watch, report: Report, pdf_counts: dict, times: str) -> None:
    fields = "; ".join(f"{name}: {how}" for name, how in FIELDS_FILLED.items())
    print(
        "\nNo XSS anywhere:"
        f"\n  corpus: {N} hostile strings; fields filled: {len(FIELDS_FILLED)} ({fields})"
        f"\n  pages checked: {len(report.checked)}"
        f" ({sum(n for n, *_ in report.checked.values())} strings looked for as text);"
        f" JSON answers checked: {len(report.json_checked)}"
        f"\n  requests seen: {watch.requests}; outside requests attempted: {len(watch.outside)};"
        f" blocked by the route: {len(watch.blocked)}"
        f"\n  dialogs: {len(watch.dialogs)}; console/page errors: {len(watch.errors)}"
        f"\n  PDFs: {pdf_counts}"
        f"\n  time: {times}"
    )
    for name, (count, elements, seconds) in report.checked.items():
        print(f"    {name}: {count} strings, {elements} elements, {seconds:.1f}s")
    for problem in report.problems + [f"{page}: {error}" for page, error in watch.errors]:
        print("  PROBLEM", problem)


# Every place people or staff type text that others see, and how much of the corpus went in.
# "all" is every string (cut to the field's limit); 1/8 of them went through the services,
# the rest was stored as the services store it (see Bulk). The PDFs have their own process
# with each string once (PUB_SLOTS).
FIELDS_FILLED = {
    "process title": "all",
    "process city": "all",
    "process partners, funding line": "6",
    "session title": "all",
    "session place": "all",
    "staff account name": "1",
    "participant name (POST /api/join)": "all + 19",
    "participant name (join page)": "4 tablets",
    "note (listening, by participants)": "all",
    "note (face-to-face, decision makers)": "every 4th",
    "note (co-projecting, in groups)": "every 4th",
    "note (Socket.IO create_post, live)": f"{len(LIVE)}",
    "note (tablet composer)": f"{len(UI_NOTES)}",
    "note written by a mediator for someone": "every 4th",
    "translation": "all",
    "voice note transcription": "every 4th",
    "prompt": "all + 1 from the console",
    "theme": "all + 1 from the console",
    "agenda item (typed, and from themes)": f"all + {CARRIED}",
    "group": "all",
    "commitment what": "all",
    "commitment who": "all",
    "commitment public update": "all",
    "prototype title": "all",
    "prototype idea": "all",
    "prototype canvas fields (the other 8)": "all, round robin",
    "prototype feedback": "all",
    "feedback with a commitment": "6",
    "prototype status reason": "all",
    "photo caption": "all",
}


def texts(first: int, step: int, limit: int, shift: int = 0, as_typed=False) -> list[str]:
    """What screens show of the strings ``first``, ``first + step``… (+ shift) cut to limit.

    ``as_typed``: a field the server only trims (titles, places, cities, captions, account
    names: typed by staff), so its control characters stay.
    """
    show = str.strip if as_typed else shown
    return [show(fit(c(i + shift), limit)) for i in range(first, N, step)]


def few(strings: list[str], count: int = 3) -> list[str]:
    """A few short one-line ASCII strings of ``strings``, to wait for on screen."""
    return [s for s in strings if s.isascii() and s.isprintable() and 4 < len(s) < 60][:count]


class Expected:
    """What the screens of the hostile process must show, as text (see the seeders above)."""

    def __init__(self, names: dict):
        self.names = names
        self.notes, self.translated = texts(0, 1, 2000), texts(0, 1, 2000, shift=1)
        self.transcribed = texts(0, SLICE, 2000, shift=2)
        self.written_for = texts(0, SLICE, 2000, shift=3)
        self.sliced = texts(0, SLICE, 2000)  # the notes of the meeting and of the workshop
        self.prompts, self.themes = texts(0, 1, LIMIT["prompt"]), texts(0, 1, LIMIT["cluster"])
        self.agenda, self.groups = texts(0, 1, LIMIT["agenda"]), texts(0, 1, LIMIT["group"])
        self.what, self.who = texts(0, 1, LIMIT["what"]), texts(0, 1, LIMIT["who"], shift=1)
        self.updates = texts(0, 1, LIMIT["update"], shift=2)
        self.titles, self.ideas = texts(0, 1, 200), texts(0, 1, 2000, shift=1)
        self.canvas = texts(0, 1, 2000, shift=2)  # one more field of each prototype
        self.feedback, self.reasons = texts(0, 1, 2000, shift=3), texts(0, 1, 2000, shift=4)
        self.makers_feedback = [shown(fit(c(n + 5), 2000)) for n in range(6)]
        self.makers_commitments = [shown(fit(c(n + k), 1000)) for n in range(6) for k in (6, 7)]
        self.live = [shown(text) for text in LIVE]
        self.label_notes = texts(0, LABEL_NOTES_EVERY, 2000, shift=5)
        first = pick("<script>alert(1)</script>")
        self.session_title = {
            key: fit(c(first + n), 200).strip()
            for n, key in enumerate(("listening", "meeting", "workshop", "labels"))
        }
        self.process_title = fit(c(pick("</title><script>alert(1)</script>")), 200).strip()
        self.everyone = names["listening"] + names["meeting"] + names["workshop"] + [UI_NAME]


@dataclass
class Screens:
    """Chromium's side: every screen in its own context, checked by check_page."""

    server: PonteServer
    browser: Browser
    plan: dict
    watch: Watch
    report: Report
    want: Expected
    trainer: dict | None = None  # storage states (the login cookies)
    staff: dict | None = None

    def open(self, name: str, width=1280, height=1000, state=None) -> Page:
        return open_page(self.browser, self.watch, name, width, height, state)

    def check(self, page: Page, name: str, expected: dict, wait_for=()) -> None:
        for text in wait_for:  # the board drew its notes (or the wall its prototypes)
            card = page.locator(".note, .wall-proto", has_text=text).first
            expect(card).to_be_visible(timeout=60_000)
        check_page(page, name, expected, self.report)

    def log_in(self, email: str, password: str) -> dict:
        page = self.open("login")
        page.goto(self.server.url + "/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        expect(page).to_have_url(self.server.url + "/workshops", timeout=30_000)
        state = page.context.storage_state()
        page.context.close()
        return state

    def everything(self) -> None:
        self.trainer = self.log_in(**self.server.demo["facilitator"])
        self.staff = self.log_in(STAFF_EMAIL, STAFF_PASSWORD)
        self.listening()
        self.labels()
        self.workshop()
        self.meeting()
        self.staff_pages()

    def session(self, key: str, role: str, language: str, tablet=(800, 1280)):
        """A tablet joined through the join page (a hostile name), the console, the wall."""
        session = self.plan["sessions"][key]
        page = self.open(f"tablet ({key})", *tablet)
        page.goto(self.server.url + "/join")
        page.fill("#join-code", session["code"].lower())
        page.fill("#join-name", UI_NAME)
        page.check(f"input[name=role][value={role}]")
        page.select_option("#join-language", language)
        page.click("#join-submit")
        expect(page.locator("#me")).to_contain_text(UI_NAME, timeout=60_000)
        answers_consent(page)
        console = self.open(f"console ({key})", 1400, 1000, self.trainer)
        console.goto(f"{self.server.url}/sessions/{session['id']}")
        link = console.locator("#projector-link")
        expect(link).to_be_visible(timeout=60_000)
        wall = self.open(f"projector ({key})", 1920, 1080)
        wall.goto(self.server.url + link.get_attribute("href"))
        return page, console, wall

    def listening(self) -> None:
        """A mediator's tablet reads Italian, so it shows the translations (and offers to
        translate, transcribe, write for someone); the console and the wall read English: the
        originals. Notes then arrive live, from the tablet's composer and from a Socket.IO
        client; a theme and a prompt from the console."""
        want = self.want
        tablet, console, wall = self.session("listening", "mediator", "it")
        for text in UI_NOTES:
            tablet.fill("#composer-text", text)
            tablet.click("#composer-send")
            expect(tablet.locator(".note", has_text=text).first).to_be_visible(timeout=30_000)
        for field_id, text in (("#new-theme", UI_THEME), ("#new-prompt", UI_PROMPT)):
            console.fill(field_id, text)
            console.press(field_id, "Enter")
        code = self.plan["sessions"]["listening"]["code"]
        failures = live_notes(self.server, join(self.server, code, fit(c(pick("{{7*7}}")), 60)))
        assert failures == [], failures[:3]
        every = N + 2 * len(want.written_for) + len(LIVE) + len(UI_NOTES)
        for page in (tablet, console, wall):
            expect(page.locator(".note")).to_have_count(every, timeout=60_000)
        shared = {
            "names": want.names["listening"],
            "themes": want.themes[:CARRIED] + [UI_THEME],
            "transcriptions": want.transcribed,
            "notes written for someone": want.written_for,
            "session title": [want.session_title["listening"]],
            "notes sent live": want.live,
            "notes typed on the tablet": UI_NOTES,
        }
        prompts = want.prompts[:CARRIED] + [UI_PROMPT]
        wait_for = few(want.live)
        self.check(
            tablet,
            "tablet (listening)",
            {**shared, "translations": want.translated, "prompts": prompts},
            wait_for,
        )
        self.check(
            console,
            "console (listening)",
            {**shared, "notes": want.notes, "prompts": prompts, "tablet's name": [UI_NAME]},
            wait_for,
        )
        self.check(wall, "projector (listening)", {**shared, "notes": want.notes}, wait_for)
        for page in (tablet, console, wall):
            page.context.close()

    def labels(self) -> None:
        """The listening session of a prompt and a theme per string."""
        want = self.want
        tablet, console, wall = self.session("labels", "migrant", "en")
        shown_here = {
            "themes": want.themes,
            "notes": want.label_notes,
            "session title": [want.session_title["labels"]],
        }
        wait_for = few(want.label_notes)
        prompts = {"prompts": want.prompts}
        self.check(tablet, "tablet (prompts and themes)", {**shown_here, **prompts}, wait_for)
        self.check(console, "console (prompts and themes)", {**shown_here, **prompts}, wait_for)
        self.check(wall, "projector (prompts and themes)", shown_here, wait_for)
        for page in (tablet, console, wall):
            page.context.close()

    def workshop(self) -> None:
        """The co-projecting workshop in the prototype phase: groups, notes, prototypes, and a
        canvas opened on the tablet."""
        want = self.want
        tablet, console, wall = self.session("workshop", "migrant", "ar", (1280, 900))
        for page in (tablet, console):
            expect(page.locator(".note")).to_have_count(len(want.sliced), timeout=60_000)
        expect(wall.locator(".wall-proto")).to_have_count(N, timeout=60_000)
        shared = {
            "groups": want.groups,
            "prototype titles": want.titles,
            "session title": [want.session_title["workshop"]],
        }
        self.check(
            tablet,
            "tablet (workshop)",
            {
                **shared,
                "notes": want.sliced,
                "ideas": want.ideas,
                "feedback": want.feedback + want.makers_feedback,
            },
            few(want.sliced),
        )
        tablet.locator(".proto-open").first.click()
        expect(tablet.locator("#canvas textarea").first).to_be_visible(timeout=30_000)
        self.check(
            tablet,
            "canvas on a tablet (workshop)",
            {"canvas": [want.titles[0], want.ideas[0], want.canvas[0]]},
        )
        self.check(
            console,
            "console (workshop)",
            {**shared, "notes": want.sliced, "names": want.names["workshop"] + [UI_NAME]},
            few(want.sliced),
        )
        self.check(
            wall,
            "projector (workshop)",
            {
                "prototype titles": want.titles,
                "ideas": want.ideas,
                "session title": [want.session_title["workshop"]],
            },
            few(want.titles),
        )
        for page in (tablet, console, wall):
            page.context.close()

    def meeting(self) -> None:
        """The face-to-face meeting: a decision maker's tablet, the console, the wall."""
        want = self.want
        tablet, console, wall = self.session("meeting", "decision_maker", "it")
        shared = {
            "agenda items": want.agenda,
            "notes": want.sliced,
            "names": want.names["meeting"],
            "commitments (what)": want.what,
            "commitments (who)": want.who,
            "session title": [want.session_title["meeting"]],
        }
        for page, name in ((tablet, "tablet"), (console, "console"), (wall, "projector")):
            expect(page.locator(".note")).to_have_count(len(want.sliced), timeout=60_000)
            self.check(page, f"{name} (meeting)", shared, few(want.sliced))
            page.context.close()

    def page(self, name: str, path: str, expected: dict, state="staff", then=None) -> None:
        """Open a server-rendered page, check it; ``then(page)`` does something more there."""
        state = {"staff": self.staff, "public": None}[state]
        page = self.open(name, state=state)
        page.goto(self.server.url + path)
        page.wait_for_load_state("load")
        self.check(page, name, expected)
        if then is not None:
            then(page)
        page.context.close()

    def json_only(self, page: Page, paths: list[str]) -> None:
        """What carries people's words as JSON says so (and nosniff), so no browser that opens
        it renders it as a page."""
        for path in paths:
            answer = page.request.get(self.server.url + path)
            kind = answer.headers.get("content-type", "")
            if answer.status != 200 or not kind.startswith("application/json"):
                self.report.problems.append(f"{path}: {answer.status} {kind}")
            if answer.headers.get("x-content-type-options") != "nosniff":
                self.report.problems.append(f"{path}: no X-Content-Type-Options: nosniff")
        self.report.json_checked += paths

    def staff_pages(self) -> None:
        """Staff pages (logged in as a staff member with a hostile name), the public page,
        and the publications' browser previews."""
        want, plan = self.want, self.plan
        main, titles = plan["workshop_id"], plan["titles_workshop_id"]
        me = {"the staff member's name": [STAFF_NAME]}
        self.page(
            "processes",
            "/workshops",
            {
                **me,
                "process titles": texts(0, 1, 200, as_typed=True),
                "cities": texts(0, 1, 120, shift=2, as_typed=True),
            },
        )
        self.page(
            "process",
            f"/workshops/{main}",
            {
                **me,
                "session titles": list(want.session_title.values()),
                "process title": [want.process_title],
            },
        )
        self.page(
            "process of hostile session titles",
            f"/workshops/{titles}",
            {
                **me,
                "session titles": texts(0, 1, 200, as_typed=True),
                "places": texts(0, 1, 200, shift=1, as_typed=True),
            },
        )
        self.page(
            "commitments",
            f"/workshops/{main}/commitments",
            {
                **me,
                "what": want.what,
                "who": want.who,
                "public updates": want.updates,
                "commitments given with feedback": want.makers_commitments,
            },
        )
        self.page("prototypes", f"/workshops/{main}/prototypes", {**me, "titles": want.titles})
        first = plan["first_prototype_id"]
        for n in (0, 1):
            self.page(
                f"prototype {n + 1}",
                f"/prototypes/{first + n}",
                {
                    **me,
                    "canvas": [want.titles[n], want.ideas[n], want.canvas[n]],
                    "feedback, reason": [want.feedback[n], want.reasons[n]],
                    "processes to copy it into": texts(0, 1, 200, as_typed=True),
                },
            )
        self.page(
            "what happened next",
            f"/next/{plan['public_key']}",
            {
                "titles": want.titles,
                "ideas": want.ideas,
                "reasons": want.reasons,
                "what": want.what,
                "who": want.who,
                "updates": want.updates,
            },
            state="public",
        )
        exports = [
            f"/prototypes/{first}.json",
            f"/api/workshops/{main}/prototypes",
            f"/api/sessions/{plan['sessions']['listening']['id']}/board",
        ]

        def exports_then_consent(page: Page) -> None:
            data_copy = page.locator("a[download]").first.get_attribute("href")
            self.json_only(page, [*exports, data_copy])
            change_a_consent(page)

        self.page(
            "people",
            f"/workshops/{main}/people",
            {**me, "names": want.everyone},
            then=exports_then_consent,
        )
        self.page("badges", f"/workshops/{main}/people/badges", {**me, "names": want.everyone})
        self.page("audit log", f"/workshops/{main}/audit", me)  # who changed the consent
        self.page("publications", f"/workshops/{main}/publications", me)
        self.page("join page (a hostile code in its link)", HOSTILE_JOIN_LINK, {}, "public")
        slot, publication = pub_slots(), plan["publication_workshop_id"]
        self.page(
            "report preview (publications' process)",
            f"/workshops/{publication}/publications/preview/report",
            {name: [shown(t) for t in slot[name]] for name in slot if name not in NOT_IN_REPORT},
        )
        self.page(
            "booklet preview it+ar (publications' process)",
            f"/workshops/{publication}/publications/preview/booklet?lang=it%2Bar",
            {
                name: [(str.strip if name == "caption" else shown)(t) for t in slot[name]]
                for name in ("note", "translation", "caption", "name", "prototype title")
            },
        )


NOT_IN_REPORT = ("caption", "name")  # the report has no photos, and pseudonyms for names
HOSTILE_JOIN_LINK = "/join?code=%22%3E%3Csvg%20onload%3Dalert(1)%3E"


def change_a_consent(page: Page) -> None:
    """Staff change how the first person may be quoted: the audit log records who did it."""
    row = page.locator("table.people tbody tr").first
    row.locator("select[name=consent]").select_option("anonymous")
    row.get_by_role("button", name="Change").click()
    page.wait_for_load_state("load")
    expect(page.locator(".flash").first).to_be_visible()


def live_notes(server: PonteServer, token: str) -> list:
    """Post LIVE over Socket.IO, as a tablet does, while the screens watch; the refusals."""
    failures = []
    client = socketio.Client(reconnection=False)
    client.connect(server.url, auth={"token": token}, transports=["websocket"], wait_timeout=5)
    try:
        for text in LIVE:
            ack = client.call("create_post", {"client_id": str(uuid.uuid4()), "text": text})
            if not ack.get("ok"):
                failures.append(ack)
    finally:
        client.disconnect()
    return failures


def check_pdfs(pdf_dir: Path) -> tuple[list[str], dict]:
    """Nothing fetched but Ponte's files; no hostile markup in the HTML; the strings as text."""
    from tests.publications.conftest import pdf_reader, pdf_text

    problems = []
    fetched = json.loads((pdf_dir / "fetched.json").read_text())
    outside = [u for u in fetched if not u.startswith(("ponte://static/", "ponte://media/"))]
    if outside:
        problems.append(f"PDF fetches outside Ponte's files: {outside[:10]}")
    counts = {"URLs asked for": len(fetched), "outside": len(outside)}
    read = ""
    for name in ("report", "booklet"):
        html = (pdf_dir / f"{name}.html").read_text()
        tags = re.findall(HOSTILE_TAGS, html, re.I)
        if tags:
            problems.append(f"{name}: hostile markup in its HTML: {tags[:5]}")
        pdf = (pdf_dir / f"{name}.pdf").read_bytes()
        text = pdf_text(pdf)
        counts[name] = f"{len(pdf_reader(pdf).pages)} pages"
        read += squeeze(text)
    # Every string a PDF prints that pdftotext can give back as it is: ASCII, one line, and no
    # word longer than a line (those run off the page's edge: a layout defect, not a leak).
    samples = [
        shown(text)
        for texts_ in pub_slots().values()
        for text in texts_
        if text.isascii()
        and text.isprintable()
        and len(text) <= 300
        and max(map(len, text.split())) <= 40
    ]
    missing = [t for t in samples if squeeze(t) not in read]
    counts["strings read back"] = f"{len(samples) - len(missing)}/{len(samples)}"
    if missing:
        problems.append(f"PDFs: {len(missing)} strings not read back as text, e.g. {missing[:5]}")
    return problems, counts


def squeeze(text: str) -> str:
    """Text as pdftotext gives it back, whatever the line breaks: no whitespace, no hyphens
    (it joins a word broken at "-"), case folded (headings are set in capitals)."""
    return re.sub(r"[\s-]+", "", text).casefold()


# Markup that only a hostile string could have put in a publication's HTML.
HOSTILE_TAGS = (
    r"<(script|iframe|object|embed|base|frame|img src=x|svg on|style>@import|a href=.?javascript)"
)
