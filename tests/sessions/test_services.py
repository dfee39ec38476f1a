"""The rules of a live session, tested without HTTP or Socket.IO."""

import pytest
import sqlalchemy as sa

from ponte.errors import PonteError
from ponte.extensions import db
from sessions import services
from sessions.access import viewer_for_account, viewer_for_token
from sessions.board import board
from sessions.content import ContentTranslation
from sessions.models import Group, Post, Prompt, SessionEvent
from tests.conftest import new_client_id


@pytest.fixture
def participant(make_session):
    """A live listening session and a migrant's Viewer in it."""
    ws = make_session()
    _, _, token, _ = services.join(ws.join_code, "Amina", "migrant", "ar")
    db.session.commit()
    return ws, viewer_for_token(token)


def test_open_gives_a_readable_code_and_logs_the_event(make_session):
    ws = make_session(live=False)
    assert ws.status == "draft" and ws.join_code is None
    event = services.open_session(ws)
    assert ws.status == "live"
    assert len(ws.join_code) == services.CODE_LENGTH
    assert set(ws.join_code) <= set(services.CODE_ALPHABET)
    assert (event.type, event.seq) == ("session_opened", 1)


def test_codes_are_read_leniently(make_session):
    ws = make_session()
    typed = " " + ws.join_code[:3].lower() + "-" + ws.join_code[3:].lower() + " "
    assert services.live_session_by_code(typed).id == ws.id


def test_closing_stops_the_code_and_reopening_gives_a_new_one(make_session):
    ws = make_session()
    old_code = ws.join_code
    services.close_session(ws)
    assert services.live_session_by_code(old_code) is None
    with pytest.raises(PonteError) as refused:
        services.join(old_code, "Late", "migrant", "en")
    assert refused.value.code == "unknown_code" and refused.value.status == 404
    services.open_session(ws)
    assert ws.join_code != old_code
    assert services.live_session_by_code(ws.join_code).id == ws.id


@pytest.mark.parametrize(
    ("name", "role", "language", "code"),
    [
        ("", "migrant", "en", "invalid_name"),
        ("   ", "migrant", "en", "invalid_name"),
        ("x" * 61, "migrant", "en", "invalid_name"),
        ("Li", "king", "en", "invalid_role"),
        ("Li", "migrant", "english!", "invalid_language"),
    ],
)
def test_join_refuses_bad_details(make_session, name, role, language, code):
    ws = make_session()
    with pytest.raises(PonteError) as refused:
        services.join(ws.join_code, name, role, language)
    assert refused.value.code == code


def test_posts_get_increasing_seqs_and_are_logged(participant):
    ws, viewer = participant
    first, e1 = services.create_post(viewer, new_client_id(), "La scuola è lontana")
    second, e2 = services.create_post(viewer, new_client_id(), "学校很远")
    assert second.seq == first.seq + 1 == e2.seq
    assert e1.type == "post_created" and e1.data["post"]["id"] == first.id
    assert first.author_name == "Amina" and first.language == "ar"


def test_the_same_client_id_makes_one_post(participant):
    _, viewer = participant
    client_id = new_client_id()
    post, event = services.create_post(viewer, client_id, "once")
    again, no_event = services.create_post(viewer, client_id.upper(), "once, resent")
    assert again.id == post.id and again.text == "once"
    assert event is not None and no_event is None
    assert db.session.scalar(sa.select(sa.func.count(Post.id))) == 1


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "text_required"), ("  \n ", "text_required"), ("x" * 2001, "text_too_long")],
)
def test_bad_text_is_refused(participant, text, code):
    _, viewer = participant
    with pytest.raises(PonteError) as refused:
        services.create_post(viewer, new_client_id(), text)
    assert refused.value.code == code


def test_text_at_the_cap_is_kept_whole_and_control_characters_go(participant):
    _, viewer = participant
    long_post, _ = services.create_post(viewer, new_client_id(), "y" * 2000)
    assert len(long_post.text) == 2000
    clean, _ = services.create_post(viewer, new_client_id(), "a\x00b\x07c\nnew line")
    assert clean.text == "abc\nnew line"


def test_a_group_of_another_session_is_refused(participant, make_session):
    _, viewer = participant
    other = make_session(kind="co_projecting")
    foreign_group = db.session.scalar(sa.select(Group).where(Group.session_id == other.id))
    with pytest.raises(PonteError) as refused:
        services.create_post(viewer, new_client_id(), "hi", group_id=foreign_group.id)
    assert refused.value.code == "unknown_group"


def test_a_closed_session_is_read_only(participant):
    ws, viewer = participant
    services.close_session(ws)
    with pytest.raises(PonteError) as refused:
        services.create_post(viewer, new_client_id(), "too late")
    assert refused.value.code == "session_closed"


def test_co_projecting_sessions_start_with_the_three_themed_groups(make_session):
    """In the process's first language, translated from the catalogs into its others."""
    ws = make_session(kind="co_projecting")  # a process in it, en, zh, ar
    groups = db.session.scalars(
        sa.select(Group).where(Group.session_id == ws.id).order_by(Group.position)
    ).all()
    assert [g.name for g in groups] == ["Scuola", "Partecipazione", "Servizi"]
    translations = {
        (t.subject_id, t.language): (t.text, t.translator_role, t.verified)
        for t in db.session.scalars(sa.select(ContentTranslation))
    }
    school = groups[0].id
    assert translations[(school, "en")] == ("School", "catalog", True)
    assert translations[(school, "zh")][0] == "学校"
    assert translations[(school, "ar")][0] == "المدرسة"
    assert len(translations) == 9


def test_a_process_in_english_starts_in_english(make_session, make_workshop):
    workshop = make_workshop(languages=("en", "ur"))  # no catalog for Urdu: no translation
    ws = make_session(kind="listening", workshop=workshop)
    prompts = db.session.scalars(
        sa.select(Prompt.text).where(Prompt.session_id == ws.id).order_by(Prompt.position)
    ).all()
    assert prompts == ["What works?", "What is hard?", "What would you change?"]
    assert db.session.scalar(sa.select(sa.func.count(ContentTranslation.id))) == 0


def test_only_staff_moderate_and_hidden_posts_leave_participant_views(participant, trainer):
    ws, viewer = participant
    post, _ = services.create_post(viewer, new_client_id(), "something personal")
    with pytest.raises(PonteError) as refused:
        services.hide_post(viewer, post.id)
    assert refused.value.code == "forbidden"

    staff = viewer_for_account(trainer, ws.id)
    _, [event] = services.hide_post(staff, post.id)
    assert event.type == "post_hidden" and event.data == {"post_id": post.id}
    assert services.hide_post(staff, post.id)[1] == []  # hiding twice changes nothing

    assert post.id not in [p["id"] for p in board(viewer)["posts"]]
    assert post.id in [p["id"] for p in board(staff)["posts"]]
    replayed, _, _ = services.events_since(viewer, 0)
    assert all(e["data"].get("post", {}).get("id") != post.id for e in replayed)
    staff_replay, _, _ = services.events_since(staff, 0)
    assert any(e["data"].get("post", {}).get("id") == post.id for e in staff_replay)

    _, shown = services.unhide_post(staff, post.id)
    assert shown.type == "post_unhidden"
    assert post.id in [p["id"] for p in board(viewer)["posts"]]


def test_events_since_replays_in_order_and_reports_the_latest_seq(participant):
    ws, viewer = participant
    for n in range(5):
        services.create_post(viewer, new_client_id(), f"note {n}")
    db.session.commit()
    everything, latest, more = services.events_since(viewer, 0)
    seqs = [e["seq"] for e in everything]
    assert seqs == sorted(seqs) == list(range(1, latest + 1))
    assert not more
    tail, latest_again, _ = services.events_since(viewer, latest - 2)
    assert [e["seq"] for e in tail] == [latest - 1, latest]
    assert latest_again == latest
    assert (
        db.session.scalar(
            sa.select(sa.func.max(SessionEvent.seq)).where(SessionEvent.session_id == ws.id)
        )
        == latest
    )


def test_sync_comes_in_batches_when_the_log_is_long(participant, monkeypatch):
    _, viewer = participant
    monkeypatch.setattr(services, "SYNC_BATCH", 3)
    for n in range(5):
        services.create_post(viewer, new_client_id(), f"note {n}")
    seen, reached, more = [], 0, True
    while more:
        batch, reached, more = services.events_since(viewer, reached)
        assert len(batch) <= 3
        seen += [e["seq"] for e in batch]
    assert seen == list(range(1, 8))  # opened, joined, five posts
    assert reached == 7
