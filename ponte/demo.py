"""The Prato demo process: one session of each kind, themed groups, posts in four languages."""

import datetime as dt

import sqlalchemy as sa

from ponte.extensions import db
from sessions import services as session_services
from sessions.access import viewer_for_token
from sessions.models import Group, Prompt, WorkshopSession
from workshops import services as workshop_services
from workshops.models import Account, Workshop

DEMO_EMAIL = "trainer@prato.example"
DEMO_PASSWORD = "ponte-prato"
DEMO_TITLE = "EMBRACE Prato: migrant citizens in local policy"

# (kind, title, date, place, [(name, role, language, text, group or prompt index)])
DEMO_SESSIONS = [
    (
        "listening",
        "Listening session: living in Prato",
        dt.date(2026, 1, 17),
        "Biblioteca Lazzerini, Prato",
        [
            (
                "Marco",
                "migrant",
                "it",
                "Il corso di italiano gratuito in biblioteca funziona bene.",
                0,
            ),
            ("Li Wei", "migrant", "zh", "在学校和老师沟通很难，因为没有翻译。", 1),
            ("Amina", "migrant", "ar", "مواعيد مكتب الهجرة صعبة، ننتظر شهورا.", 1),
            (
                "Fatou",
                "migrant",
                "en",
                "One desk where someone explains every service in our language.",
                2,
            ),
            (
                "Ardit",
                "migrant",
                "it",
                "Vorrei che il Comune ascoltasse più spesso le associazioni.",
                2,
            ),
        ],
    ),
    (
        "face_to_face",
        "Face-to-face meeting with the city council",
        dt.date(2026, 2, 14),
        "Palazzo Comunale, Prato",
        [
            (
                "Fatou",
                "migrant",
                "en",
                "How can parents who don't speak Italian talk with the school?",
                None,
            ),
            ("Li Wei", "migrant", "zh", "我们希望社区中心有中文的信息。", None),
            ("Amina", "migrant", "ar", "نريد أن نشارك في القرارات التي تخصنا.", None),
            (
                "Assessora Rossi",
                "decision_maker",
                "it",
                "Il Comune può aprire uno sportello informativo multilingue entro l'estate.",
                None,
            ),
        ],
    ),
    (
        "co_projecting",
        "Co-projecting workshop: School, Participation, Services",
        dt.date(2026, 3, 21),
        "Officina Giovani, Prato",
        [
            ("Marco", "migrant", "it", "Mediatori culturali nei colloqui scuola-famiglia.", 0),
            ("Li Wei", "migrant", "zh", "为家长提供中文的学校通知。", 0),
            (
                "Fatou",
                "migrant",
                "en",
                "A migrants' council that meets the city council twice a year.",
                1,
            ),
            ("Amina", "migrant", "ar", "مجلس استشاري للمهاجرين في البلدية.", 1),
            ("Ardit", "migrant", "it", "Uno sportello unico per permesso, residenza e sanità.", 2),
            (
                "Mediatrice Chen",
                "mediator",
                "en",
                "Evening opening hours for people who work in the textile factories.",
                2,
            ),
        ],
    ),
]


def seed() -> dict:
    """Create the demo process once, make its sessions live, and return what a trainer needs."""
    account = db.session.scalar(sa.select(Account).where(Account.email == DEMO_EMAIL))
    if account is None:
        account = workshop_services.create_account(DEMO_EMAIL, "Demo trainer", DEMO_PASSWORD)
    workshop = db.session.scalar(
        sa.select(Workshop).where(Workshop.title == DEMO_TITLE, Workshop.city == "Prato")
    )
    if workshop is None:
        workshop = workshop_services.create_workshop(
            DEMO_TITLE, "Prato", ["it", "en", "zh", "ar"], account
        )
        for kind, title, date, place, posts in DEMO_SESSIONS:
            ws = session_services.create_session(workshop, kind, title, date, place)
            session_services.open_session(ws)
            _add_posts(ws, posts)
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
        "sessions": [{"id": ws.id, "kind": ws.kind, "join_code": ws.join_code} for ws in sessions],
    }


def _add_posts(ws: WorkshopSession, posts: list) -> None:
    model = Group if ws.kind == "co_projecting" else Prompt
    targets = db.session.scalars(
        sa.select(model).where(model.session_id == ws.id).order_by(model.position)
    ).all()
    tokens: dict[str, str] = {}
    for number, (name, role, language, text, target) in enumerate(posts):
        if name not in tokens:
            _, _, tokens[name], _ = session_services.join(ws.join_code, name, role, language)
        viewer = viewer_for_token(tokens[name])
        target_id = targets[target].id if target is not None else None
        session_services.create_post(
            viewer,
            client_id=f"00000000-0000-4000-8000-{ws.id:06d}{number:06d}",
            text=text,
            group_id=target_id if ws.kind == "co_projecting" else None,
            prompt_id=target_id if ws.kind == "listening" else None,
        )
