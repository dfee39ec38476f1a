"""The Prato demo process: a listening session, a face-to-face meeting and a co-projecting
workshop, with themes carried forward, an agenda, commitments, themed groups, and notes in
Italian, English, Chinese and Arabic; and the programme around them: a training course for the
mediators, a study visit, a partnership meeting and a final public event. Everything goes
through the services, so the demo's event logs are the ones a real session would have."""

import datetime as dt
import io
import math
import struct
import wave

import sqlalchemy as sa
from PIL import Image, ImageDraw

from ponte.extensions import db
from prototypes import services as prototype_services
from publications.logos import store_logo
from sessions import commitments, facilitation, reactions, roster, translations, voice, voting
from sessions import services as session_services
from sessions.access import Viewer, viewer_for_account, viewer_for_token
from sessions.board import board
from sessions.content_translations import translate_content
from sessions.models import WorkshopSession
from workshops import activities
from workshops import services as workshop_services
from workshops.models import Account, Person, Workshop
from workshops.people import answer_consent, person_key

DEMO_EMAIL = "trainer@prato.example"
DEMO_PASSWORD = "ponte-prato"
# The city's admin (staff who also manage accounts), with the same password.
DEMO_ADMIN_EMAIL = "admin@prato.example"
DEMO_ORGANISATION = "Comune di Prato"
DEMO_TITLE = "EMBRACE Prato: migrant citizens in local policy"

PEOPLE = {
    "Marco": ("migrant", "it"),
    "Li Wei": ("migrant", "zh"),
    "Amina": ("migrant", "ar"),
    "Fatou": ("migrant", "en"),
    "Ardit": ("migrant", "it"),
    "Assessora Rossi": ("decision_maker", "it"),
    "Mediatrice Chen": ("mediator", "zh"),
    "Mediatore Karim": ("mediator", "ar"),
}

# Mediators' translations into Italian of the listening session's notes, by note index, and
# one note Chen wrote down for Li Wei. Amina's voice note is transcribed by Karim.
LISTENING_TRANSLATIONS = {
    1: (
        "Mediatrice Chen",
        "A scuola è difficile parlare con gli insegnanti: non c'è un interprete.",
    ),
    2: (
        "Mediatore Karim",
        "Gli appuntamenti all'ufficio immigrazione sono difficili: aspettiamo mesi.",
    ),
    6: ("Mediatore Karim", "Vogliamo che qualcuno ci chieda un parere prima di decidere."),
}
SAID_TO_MEDIATOR = (
    "Li Wei",
    "Mediatrice Chen",
    "我上夜班，白天办公室都关门了。",
    "Lavoro di notte e di giorno gli uffici sono chiusi.",
)
VOICE_NOTE = (
    "Amina",
    "Mediatore Karim",
    "أحتاج إلى طبيب يتكلم العربية.",
    "Ho bisogno di un medico che parli arabo.",
)
# (who, note index, reaction)
LISTENING_REACTIONS = [
    ("Fatou", 1, "agree"),
    ("Amina", 1, "agree"),
    ("Marco", 1, "important"),
    ("Li Wei", 2, "agree"),
    ("Ardit", 4, "agree"),
    ("Marco", 2, "unclear"),
]

# (author, prompt index, theme or None, text)
LISTENING_NOTES = [
    ("Marco", 0, None, "Il corso di italiano gratuito in biblioteca funziona bene."),
    ("Li Wei", 1, "language", "在学校和老师沟通很难，因为没有翻译。"),
    ("Amina", 1, "services", "مواعيد مكتب الهجرة صعبة، ننتظر شهورا."),
    ("Fatou", 1, "language", "The letters from the school are only in Italian."),
    ("Fatou", 2, "services", "One desk where someone explains every service in our language."),
    ("Ardit", 2, "voice", "Vorrei che il Comune ascoltasse più spesso le associazioni."),
    ("Amina", 2, "voice", "نريد أن يسألنا أحد قبل أن يقرروا."),
]
# The trainer writes in the process's language (Italian) and gives each theme its English;
# the mediators give it their languages. (key: (Italian, carried forward, English, 中文, عربي))
THEMES = {
    "language": (
        "La lingua a scuola",
        True,
        "Language at school",
        "学校里的语言",
        "اللغة في المدرسة",
    ),
    "services": (
        "L'accesso ai servizi",
        True,
        "Access to services",
        "获得服务",
        "الوصول إلى الخدمات",
    ),
    "voice": (
        "Essere ascoltati dalla città",
        False,
        "Being heard by the city",
        "被城市倾听",
        "أن تسمعنا المدينة",
    ),
}
# Each session's title: the trainer's Italian, and English.
TITLES = {
    "listening": ("Sessione di ascolto: vivere a Prato", "Listening session: living in Prato"),
    "face_to_face": (
        "Incontro faccia a faccia con il Consiglio comunale",
        "Face-to-face meeting with the city council",
    ),
    "co_projecting": (
        "Laboratorio di co-progettazione: Scuola, Partecipazione, Servizi",
        "Co-projecting workshop: School, Participation, Services",
    ),
}
AGENDA_ITEM = ("Partecipare alle decisioni della città", "Participation in city decisions")

# (author, agenda index, text)
MEETING_NOTES = [
    ("Fatou", 0, "How can parents who don't speak Italian talk with the school?"),
    ("Li Wei", 0, "家长会的时候可以有翻译吗？"),
    ("Assessora Rossi", 0, "Stiamo formando mediatori per i colloqui con le famiglie."),
    ("Amina", 1, "نريد معلومات عن الخدمات بلغتنا في مراكز الحي."),
    (
        "Assessora Rossi",
        1,
        "Il Comune può aprire uno sportello informativo multilingue entro l'estate.",
    ),
]

# (author, group index, phase, text)
WORKSHOP_NOTES = [
    ("Marco", 0, "frame", "Le famiglie non capiscono gli avvisi della scuola."),
    ("Li Wei", 0, "ideas", "为家长提供中文的学校通知。"),
    ("Marco", 0, "ideas", "Mediatori culturali nei colloqui scuola-famiglia."),
    ("Fatou", 1, "frame", "Nobody asks us before decisions about our neighbourhood."),
    ("Fatou", 1, "ideas", "A migrants' council that meets the city council twice a year."),
    ("Amina", 1, "ideas", "مجلس استشاري للمهاجرين في البلدية."),
    ("Ardit", 2, "ideas", "Uno sportello unico per permesso, residenza e sanità."),
    ("Mediatrice Chen", 2, "ideas", "工厂工人需要晚上开放的服务时间。"),
]
# Someone without a device of her own, added by the mediator, who writes for her.
NO_DEVICE = ("Hua", "zh", "晚上也需要有人帮我们填表格。")
WORKSHOP_GROUPS = {
    "Marco": 0,
    "Li Wei": 0,
    "Fatou": 1,
    "Amina": 1,
    "Ardit": 2,
    "Mediatrice Chen": 2,
}


# One prototype per group: (builder, title, canvas, indexes of WORKSHOP_NOTES as evidence)
PROTOTYPES = [
    (
        "Marco",
        "Mediators at school meetings",
        {
            "problem": "Parents who do not read Italian miss what the school tells them.",
            "affected": "Families of about 4,000 pupils of foreign origin in Prato.",
            "idea": "Trained cultural mediators at parent-teacher meetings and enrolment days.",
            "how_it_works": "1. Schools book a mediator online. 2. The mediator joins the meeting. "
            "3. Key letters are translated into Chinese, Arabic, Urdu and Albanian.",
            "actors": "Assessorato alla Scuola, school heads, mediators' cooperative.",
            "first_steps": "Pilot in five schools in the Macrolotto Zero district.",
        },
        [0, 1, 2],
    ),
    (
        "Fatou",
        "A migrants' council",
        {
            "problem": "Decisions about our neighbourhoods are taken without us.",
            "idea": "An elected council of migrants that meets the city council twice a year.",
            "risks": "Low turnout if people do not know about it.",
        },
        [3, 4, 5],
    ),
    (
        "Ardit",
        "One desk for permits, residence and health",
        {"idea": "One desk, open in the evening, with staff who speak the main languages."},
        [6, 7],
    ),
]
# Statuses each prototype reached, in order.
PROTOTYPE_STATUSES = (["presented", "under_consideration"], ["presented"], [])


def _city_logo() -> bytes:
    """A stand-in for the city's logo: a red shield and its name, on a transparent ground."""
    image = Image.new("RGBA", (520, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8, 8, 132, 152), radius=28, fill=(178, 34, 52, 255))
    draw.rectangle((58, 30, 82, 130), fill=(255, 255, 255, 255))
    draw.rectangle((30, 68, 110, 92), fill=(255, 255, 255, 255))
    draw.text((150, 40), "COMUNE", fill=(178, 34, 52, 255), font_size=44)
    draw.text((150, 88), "DI PRATO", fill=(60, 60, 60, 255), font_size=44)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def seed() -> dict:
    """Create the demo process once, make its sessions live, and return what a trainer needs."""
    city = workshop_services.organisation_named(DEMO_ORGANISATION, "city")
    account = db.session.scalar(sa.select(Account).where(Account.email == DEMO_EMAIL))
    if account is None:
        account = workshop_services.create_account(
            DEMO_EMAIL, "Demo trainer", DEMO_PASSWORD, "trainer", city
        )
    if db.session.scalar(sa.select(Account).where(Account.email == DEMO_ADMIN_EMAIL)) is None:
        workshop_services.create_account(
            DEMO_ADMIN_EMAIL, "Ufficio Partecipazione", DEMO_PASSWORD, "admin", city
        )
    workshop = db.session.scalar(
        sa.select(Workshop).where(Workshop.title == DEMO_TITLE, Workshop.city == "Prato")
    )
    if workshop is None:
        workshop = workshop_services.create_workshop(
            DEMO_TITLE, "Prato", ["it", "en", "zh", "ar"], account
        )
        workshop.partners = "Comune di Prato\nEMBRACE partnership (EL, PT, FR, SI, IT, BE)"
        workshop.funding_line = (
            "Funded by the European Union, Asylum, Migration and Integration Fund (AMIF)."
        )
        workshop.eu_funded = True
        workshop.eu_statement = "Cofinanziato dall'Unione europea · FAMI 2021-2027"
        workshop.consent_wording = (
            "Il Report è letto dal Comune di Prato e dai partner di EMBRACE; l'opuscolo è pubblico."
        )
        # The region reads its cities' processes.
        region = workshop_services.organisation_named("Regione Toscana", "region")
        workshop_services.set_shares(workshop, [region.id])
        store_logo(workshop, _city_logo(), DEMO_ORGANISATION, account)
        # Each person's tablet keeps their person_key: the same people come back to every
        # session, as one person each (and answer the consent question once, the first time).
        keys: dict[str, str] = {}
        _listening(workshop, account, keys)
        _meeting(workshop, account, keys)
        _workshop(workshop, account, keys)
        _programme(workshop, account)
    sessions = db.session.scalars(
        sa.select(WorkshopSession)
        .where(WorkshopSession.workshop_id == workshop.id)
        .order_by(WorkshopSession.id)
    ).all()
    for ws in sessions:
        if not ws.is_live:  # a trainer closed it in an earlier run: the printed codes must work
            session_services.open_session(ws)
    db.session.commit()
    return {
        "workshop_id": workshop.id,
        "facilitator": {"email": DEMO_EMAIL, "password": DEMO_PASSWORD},
        "admin": {"email": DEMO_ADMIN_EMAIL, "password": DEMO_PASSWORD},
        "sessions": [{"id": ws.id, "kind": ws.kind, "join_code": ws.join_code} for ws in sessions],
    }


# When each session starts and ends.
SESSION_TIMES = {
    "listening": (dt.time(10, 0), dt.time(12, 30)),
    "face_to_face": (dt.time(17, 0), dt.time(19, 0)),
    "co_projecting": (dt.time(9, 30), dt.time(13, 0)),
}


def _session(workshop, account, kind, date, place) -> tuple[WorkshopSession, Viewer]:
    italian, english = TITLES[kind]
    start, end = SESSION_TIMES[kind]
    ws = session_services.create_session(
        workshop, kind, italian, date, place, account.id, start, end
    )
    session_services.open_session(ws)
    session_services.record_staff_attendance(ws, account)
    chair = viewer_for_account(account, ws.id)
    translate_content(chair, "session", ws.id, "title", "en", english)
    return ws, chair


# How each demo person answered, on their tablet, how they may be quoted in publications
# (the rest: internal only); who agreed that photos of them may be published.
PHOTOS_ALLOWED = ("Fatou", "Marco", "Assessora Rossi")
QUOTE_CONSENT = {
    "Fatou": "named",
    "Amina": "anonymous",
    "Li Wei": "anonymous",
    "Marco": "named",
    "Assessora Rossi": "named",
    "Ardit": "never",
}


def _people(ws: WorkshopSession, names, keys: dict[str, str]) -> dict[str, Viewer]:
    viewers = {}
    for name in dict.fromkeys(names):
        role, language = PEOPLE[name]
        participant, _, token, _ = session_services.join(
            ws.join_code, name, role, language, person_key=keys.get(name)
        )
        person = db.session.get(Person, participant.person_id)
        if name not in keys:
            keys[name] = person_key(person)
            answer_consent(person, QUOTE_CONSENT.get(name, "internal"), name in PHOTOS_ALLOWED)
        viewers[name] = viewer_for_token(token)
    return viewers


def _note(ws, viewer, number, text, **where):
    client_id = f"00000000-0000-4000-8000-{ws.id:06d}{number:06d}"
    post, _ = session_services.create_post(viewer, client_id, text, **where)
    return post


def _listening(workshop, account, keys) -> None:
    ws, chair = _session(
        workshop,
        account,
        "listening",
        dt.date(2026, 1, 17),
        "Biblioteca Lazzerini, Prato",
    )
    prompts = board(chair)["prompts"]
    people = _people(
        ws, [name for name, *_ in LISTENING_NOTES] + ["Mediatrice Chen", "Mediatore Karim"], keys
    )
    themes = {}
    for key, (name, carried, english, chinese, arabic) in THEMES.items():
        cluster = facilitation.create_cluster(chair, name).data["cluster"]
        if carried:
            facilitation.update_cluster(chair, cluster["id"], carried_forward=True)
        themes[key] = cluster["id"]
        translate_content(chair, "cluster", cluster["id"], "name", "en", english)
        for mediator, language, text in (
            ("Mediatrice Chen", "zh", chinese),
            ("Mediatore Karim", "ar", arabic),
        ):
            translate_content(people[mediator], "cluster", cluster["id"], "name", language, text)
    notes = []
    for number, (name, prompt, theme, text) in enumerate(LISTENING_NOTES):
        post = _note(ws, people[name], number, text, prompt_id=prompts[prompt]["id"])
        notes.append(post)
        if theme:
            facilitation.move_post(chair, post.id, themes[theme])
    _many_languages(ws, people, notes, themes)


def _many_languages(ws, people, notes, themes) -> None:
    """Mediators' translations, a note written for someone, a voice note, reactions."""
    for index, (mediator, text) in LISTENING_TRANSLATIONS.items():
        translations.translate(people[mediator], notes[index].id, "it", text)
    author, mediator, said, italian = SAID_TO_MEDIATOR
    post = _note(ws, people[mediator], 100, said, said_by=people[author].participant_id)
    facilitation.move_post(board_viewer(ws), post.id, themes["services"])
    translations.translate(people[mediator], post.id, "it", italian)
    author, mediator, transcription, italian = VOICE_NOTE
    recording = voice.store(_tone_wav(seconds=2.5), seconds=2.5)
    post, _ = session_services.create_post(
        people[author], f"00000000-0000-4000-8000-{ws.id:06d}000101", "", recording=recording
    )
    translations.transcribe(people[mediator], post.id, transcription)
    translations.translate(people[mediator], post.id, "it", italian)
    for name, index, kind in LISTENING_REACTIONS:
        reactions.react(people[name], notes[index].id, kind, on=True)


def board_viewer(ws: WorkshopSession) -> Viewer:
    account = db.session.get(Account, ws.trainer_id)
    return viewer_for_account(account, ws.id)


def _tone_wav(seconds: float, rate: int = 8000) -> bytes:
    """A short, quiet two-note chime as a WAV file: the demo's stand-in for a recorded voice."""
    frames = bytearray()
    for i in range(int(seconds * rate)):
        pitch = 440.0 if i < seconds * rate / 2 else 550.0
        sample = int(6000 * math.sin(2 * math.pi * pitch * i / rate))
        frames += struct.pack("<h", sample)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def _meeting(workshop, account, keys) -> None:
    ws, chair = _session(
        workshop,
        account,
        "face_to_face",
        dt.date(2026, 2, 14),
        "Palazzo Comunale, Prato",
    )
    items = [
        facilitation.add_agenda_item(chair, cluster_id=theme["id"]).data["item"]
        for theme in board(chair)["carried_themes"]
    ]
    items.append(facilitation.add_agenda_item(chair, AGENDA_ITEM[0]).data["item"])
    translate_content(chair, "agenda_item", items[-1]["id"], "title", "en", AGENDA_ITEM[1])
    people = _people(ws, [name for name, *_ in MEETING_NOTES], keys)
    for number, (name, item, text) in enumerate(MEETING_NOTES):
        _note(ws, people[name], number, text, agenda_item_id=items[item]["id"])
    assessora = people["Assessora Rossi"]
    facilitation.set_current_item(chair, items[0]["id"])
    mediators, _ = commitments.record_commitment(
        assessora,
        "Trained mediators at parent-teacher meetings in five schools",
        "Assessorato alla Scuola",
        "2026-09-30",
    )
    commitments.update_commitment(mediators, "in_progress", "Twelve mediators are in training.")
    facilitation.set_current_item(chair, items[1]["id"])
    commitments.record_commitment(
        assessora,
        "A multilingual help desk at the town hall",
        "Ufficio Relazioni con il Pubblico",
        "2026-07-31",
    )


def _workshop(workshop, account, keys) -> None:
    ws, chair = _session(
        workshop,
        account,
        "co_projecting",
        dt.date(2026, 3, 21),
        "Officina Giovani, Prato",
    )
    groups = board(chair)["groups"]
    people = _people(ws, WORKSHOP_GROUPS, keys)
    for name, group in WORKSHOP_GROUPS.items():
        facilitation.assign_group(chair, people[name].participant_id, groups[group]["id"])
    notes = []
    for number, (name, _group, phase, text) in enumerate(WORKSHOP_NOTES):
        if ws.phase != phase:
            facilitation.advance_phase(chair, phase)
        notes.append(_note(ws, people[name], number, text))
    # Hua has no phone: the mediator adds her from her tablet and writes down what she says.
    name, language, said = NO_DEVICE
    hua, _, _ = roster.add_person(people["Mediatrice Chen"], name, language)
    facilitation.assign_group(chair, hua.id, groups[2]["id"])
    _note(ws, people["Mediatrice Chen"], 50, said, said_by=hua.id)
    facilitation.advance_phase(chair, "vote")
    for voter, picks in (("Li Wei", [2, 2, 6]), ("Fatou", [4, 2]), ("Amina", [5, 6, 6])):
        for pick in picks:
            voting.cast_vote(people[voter], notes[pick].id)
    facilitation.advance_phase(chair, "prototype")
    built = []
    for builder, title, canvas, evidence in PROTOTYPES:
        prototype, _ = prototype_services.create_prototype(people[builder], title)
        for field, text in canvas.items():
            prototype_services.edit_field(people[builder], prototype.id, field, text, 0)
        for index in evidence:
            prototype_services.link(people[builder], prototype.id, post_id=notes[index].id)
        built.append(prototype)
    for theme in board(chair)["carried_themes"][:1]:
        prototype_services.link(chair, built[0].id, cluster_id=theme["id"])
    facilitation.advance_phase(chair, "feedback")
    assessora = _people(ws, ["Assessora Rossi"], keys)["Assessora Rossi"]
    prototype_services.give_feedback(
        assessora,
        built[0].id,
        "support",
        "Possiamo partire da cinque scuole a settembre.",
        {
            "what": "Mediators in five schools",
            "who": "Assessorato alla Scuola",
            "by_when": "2026-09-15",
        },
    )
    prototype_services.give_feedback(
        assessora, built[1].id, "question", "Come verrebbero eletti i membri del consiglio?"
    )
    for prototype, statuses in zip(built, PROTOTYPE_STATUSES, strict=True):
        for status in statuses:
            prototype_services.change_status(chair, prototype, status)
    facilitation.advance_phase(chair, "prototype")  # the demo goes on with the groups at work


# The programme around the sessions: (kind, title, date, start, end, place, course, who took
# part; "trainer" is the demo's account; a name with hours left early).
TRAINING_COURSE = "Formazione dei mediatori"
PROGRAMME = [
    *(
        (
            "training",
            f"Formazione dei mediatori: incontro {number}",
            date,
            dt.time(14, 0),
            dt.time(18, 0),
            "Centro Interculturale, Prato",
            TRAINING_COURSE,
            ["trainer", "Mediatrice Chen", ("Mediatore Karim", 3.0 if number == 3 else None)],
        )
        for number, date in enumerate(
            (dt.date(2026, 1, 24), dt.date(2026, 1, 31), dt.date(2026, 2, 7)), start=1
        )
    ),
    (
        "study_visit",
        "Visita di studio allo sportello multilingue di Firenze",
        dt.date(2026, 2, 28),
        dt.time(9, 0),
        dt.time(13, 0),
        "Sportello Immigrazione, Firenze",
        "",
        ["trainer", "Fatou", "Li Wei", "Mediatrice Chen"],
    ),
    (
        "partnership_meeting",
        "Incontro dei partner EMBRACE",
        dt.date(2026, 3, 5),
        dt.time(10, 0),
        dt.time(12, 0),
        "Palazzo Comunale, Prato",
        "",
        ["trainer", "Assessora Rossi"],
    ),
    (
        "public_event",
        "Evento pubblico: i prototipi presentati alla città",
        dt.date(2026, 4, 18),
        dt.time(17, 0),
        dt.time(19, 30),
        "Piazza del Comune, Prato",
        "",
        ["trainer", "Marco", "Fatou", "Amina", "Assessora Rossi", "Mediatore Karim"],
    ),
]


def _programme(workshop, account) -> None:
    """The activities that are not live sessions, with who took part and for how long."""
    people = {
        person.display_name: person.id
        for person in db.session.scalars(sa.select(Person).where(Person.workshop_id == workshop.id))
    }
    for kind, title, date, start, end, place, course, present in PROGRAMME:
        activity = activities.add_activity(
            account, workshop, kind, title, date, start, end, place, course
        )
        for who in present:
            name, hours = who if isinstance(who, tuple) else (who, None)
            if name == "trainer":
                activities.add_attendee(account, activity, account_id=account.id, hours=hours)
            else:
                activities.add_attendee(account, activity, person_id=people[name], hours=hours)
