"""The trainer's verbs, tested on the services: phases, timer, prompts, themes, agenda, groups."""

import pytest
import sqlalchemy as sa

from ponte.errors import PonteError
from ponte.extensions import db
from sessions import facilitation, services
from sessions.access import viewer_for_account, viewer_for_token
from sessions.board import board
from sessions.models import Group, Post
from tests.conftest import new_client_id


@pytest.fixture
def room(make_session, trainer):
    """Build a live session of a kind with its trainer and one participant of a role."""

    def make(kind="listening", role="migrant"):
        ws = make_session(kind=kind)
        ws.trainer_id = trainer.id
        _, _, token, _ = services.join(ws.join_code, "Amina", role, "ar")
        db.session.commit()
        return ws, viewer_for_account(trainer, ws.id), viewer_for_token(token)

    return make


def refused(code, call, *args, **kwargs):
    with pytest.raises(PonteError) as error:
        call(*args, **kwargs)
    assert error.value.code == code, error.value.code
    return error.value


def test_phases_advance_in_order_and_stop_the_timer(room):
    ws, trainer, _ = room("co_projecting")
    assert ws.phase == "frame"
    facilitation.start_timer(trainer, 300)
    assert ws.timer_ends_at is not None
    event = facilitation.advance_phase(trainer)
    assert (ws.phase, event.type, event.data["phase"]) == ("ideas", "phase_changed", "ideas")
    assert ws.timer_ends_at is None and event.data["timer"] == {"ends_at": None, "seconds": None}
    facilitation.advance_phase(trainer, "feedback")
    refused("last_phase", facilitation.advance_phase, trainer)
    refused("invalid_phase", facilitation.advance_phase, trainer, "dance")


def test_only_co_projecting_workshops_have_phases(room):
    _, trainer, _ = room("listening")
    refused("no_phases", facilitation.advance_phase, trainer)


@pytest.mark.parametrize("seconds", [0, -5, 14401, "60", True, None])
def test_timer_refuses_odd_durations(room, seconds):
    _, trainer, _ = room()
    refused("invalid_seconds", facilitation.start_timer, trainer, seconds)


def test_timer_runs_and_stops(room):
    ws, trainer, _ = room()
    event = facilitation.start_timer(trainer, 600)
    assert event.data["timer"]["seconds"] == 600 and event.data["timer"]["ends_at"].endswith("Z")
    assert facilitation.stop_timer(trainer).type == "timer_stopped"
    assert facilitation.stop_timer(trainer) is None  # already stopped: nothing to broadcast


def test_a_locked_board_takes_notes_from_the_trainer_only(room):
    _, trainer, migrant = room()
    assert facilitation.set_locked(trainer, True).data == {"locked": True}
    assert facilitation.set_locked(trainer, True) is None
    refused("board_locked", services.create_post, migrant, new_client_id(), "hello")
    post, _ = services.create_post(trainer, new_client_id(), "Five more minutes")
    assert post.author_role == "trainer"
    facilitation.set_locked(trainer, False)
    assert services.create_post(migrant, new_client_id(), "hello")[0].text == "hello"


def test_anonymous_mode_switches_only_before_the_first_note(room):
    ws, trainer, migrant = room()
    assert facilitation.set_anonymous(trainer, True).type == "anonymity_changed"
    services.create_post(migrant, new_client_id(), "no names please")
    refused("notes_exist", facilitation.set_anonymous, trainer, False)
    seen_by_participant = board(migrant)["posts"][0]["author"]
    assert seen_by_participant == {"name": None, "role": "migrant", "participant_id": None}
    assert board(trainer)["posts"][0]["author"]["name"] == "Amina"


def test_prompts_are_edited_and_shown_one_at_a_time(room):
    ws, trainer, migrant = room("listening")
    prompts = board(trainer)["prompts"]
    assert [p["text"] for p in prompts] == [  # the process speaks Italian first
        "Cosa funziona?",
        "Cosa è difficile?",
        "Cosa cambieresti?",
    ]
    facilitation.edit_prompt(trainer, prompts[1]["id"], "What is hard in Prato?")
    added = facilitation.add_prompt(trainer, "Who helps you?").data["prompt"]
    assert added["position"] == 3
    facilitation.show_prompt(trainer, prompts[1]["id"])
    post, _ = services.create_post(migrant, new_client_id(), "The permit office")
    assert post.prompt_id == prompts[1]["id"]  # notes go under the prompt on screen
    facilitation.remove_prompt(trainer, prompts[1]["id"])
    assert ws.current_prompt_id is None and post.prompt_id is None  # the note stays
    refused("invalid_text", facilitation.add_prompt, trainer, "  ")
    refused("unknown_prompt", facilitation.show_prompt, trainer, 999999)


def test_notes_are_clustered_into_themes_and_carried_forward(room, make_session, trainer):
    ws, trainer_viewer, migrant = room("listening")
    first, _ = services.create_post(migrant, new_client_id(), "No interpreter at school")
    second, _ = services.create_post(migrant, new_client_id(), "Forms only in Italian")
    language = facilitation.create_cluster(trainer_viewer, "Language").data["cluster"]
    services_theme = facilitation.create_cluster(trainer_viewer, "Services").data["cluster"]
    facilitation.move_post(trainer_viewer, first.id, language["id"])
    facilitation.move_post(trainer_viewer, second.id, language["id"])
    moved = facilitation.move_post(trainer_viewer, second.id, services_theme["id"])
    assert moved.data == {"post_id": second.id, "cluster_id": services_theme["id"]}
    assert facilitation.move_post(trainer_viewer, second.id, services_theme["id"]) is None
    facilitation.update_cluster(trainer_viewer, language["id"], name="Language barriers")
    facilitation.update_cluster(trainer_viewer, language["id"], carried_forward=True)

    elsewhere = make_session(kind="face_to_face")  # another process: nothing carried there
    assert board(viewer_for_account(trainer, elsewhere.id))["carried_themes"] == []
    same_process = services.create_session(
        _workshop(ws), "face_to_face", "Meeting", trainer_id=trainer.id
    )
    services.open_session(same_process)
    themes = board(viewer_for_account(trainer, same_process.id))["carried_themes"]
    assert [(t["name"], t["notes"]) for t in themes] == [
        ("Language barriers", ["No interpreter at school"])
    ]

    facilitation.remove_cluster(trainer_viewer, services_theme["id"])
    assert db.session.get(Post, second.id).cluster_id is None


def _workshop(ws):
    from workshops.models import Workshop

    return db.session.get(Workshop, ws.workshop_id)


def test_agenda_items_come_from_carried_themes_and_hold_the_thread(room, trainer):
    listening, listening_trainer, _ = room("listening")
    theme = facilitation.create_cluster(listening_trainer, "School and families").data["cluster"]
    facilitation.update_cluster(listening_trainer, theme["id"], carried_forward=True)
    meeting = services.create_session(
        _workshop(listening), "face_to_face", "Meeting", trainer_id=trainer.id
    )
    services.open_session(meeting)
    _, _, token, _ = services.join(meeting.join_code, "Assessora Rossi", "decision_maker", "it")
    chair = viewer_for_account(trainer, meeting.id)
    assessora = viewer_for_token(token)

    first = facilitation.add_agenda_item(chair, cluster_id=theme["id"]).data
    assert (
        first["item"]["title"] == "School and families" and first["current"] == first["item"]["id"]
    )
    second = facilitation.add_agenda_item(chair, "Housing").data["item"]
    answer, _ = services.create_post(assessora, new_client_id(), "We will fund mediators.")
    assert answer.agenda_item_id == first["item"]["id"] and answer.author_role == "decision_maker"
    facilitation.set_current_item(chair, second["id"])
    assert (
        services.create_post(assessora, new_client_id(), "On housing...")[0].agenda_item_id
        == second["id"]
    )
    other_theme = facilitation.create_cluster(listening_trainer, "Not carried").data["cluster"]
    refused("unknown_cluster", facilitation.add_agenda_item, chair, cluster_id=other_theme["id"])


def test_groups_are_renamed_added_and_participants_assigned(room):
    ws, trainer, migrant = room("co_projecting")
    school, participation, _ = board(trainer)["groups"]
    facilitation.rename_group(trainer, school["id"], "Scuole")
    added = facilitation.add_group(trainer, "Casa").data["group"]
    assert [g["name"] for g in board(trainer)["groups"]] == [
        "Scuole",
        "Partecipazione",
        "Servizi",
        "Casa",
    ]
    facilitation.assign_group(trainer, migrant.participant_id, participation["id"])
    post, _ = services.create_post(migrant, new_client_id(), "A migrants' council")
    assert post.group_id == participation["id"]
    refused(
        "not_your_group", services.create_post, migrant, new_client_id(), "x", group_id=added["id"]
    )
    refused("trainer_assigns", facilitation.choose_group, migrant, added["id"])
    facilitation.set_group_choice(trainer, "self")
    facilitation.choose_group(migrant, added["id"])
    assert board(migrant)["me"]["group_id"] == added["id"]
    refused("unknown_participant", facilitation.assign_group, trainer, 999999, None)


def test_a_foreign_group_cannot_be_assigned(room, make_session):
    _, trainer, migrant = room("co_projecting")
    other = make_session(kind="co_projecting")
    foreign = db.session.scalar(sa.select(Group.id).where(Group.session_id == other.id))
    refused("unknown_group", facilitation.assign_group, trainer, migrant.participant_id, foreign)


def test_spotlight_shows_one_visible_note(room):
    ws, trainer, migrant = room()
    post, _ = services.create_post(migrant, new_client_id(), "Look at this")
    assert facilitation.spotlight(trainer, post.id).data == {"post_id": post.id}
    assert ws.spotlight_post_id == post.id
    _, events = services.hide_post(trainer, post.id)  # hiding takes it off the projector
    assert [(e.type, e.data) for e in events] == [
        ("post_hidden", {"post_id": post.id}),
        ("post_spotlighted", {"post_id": None}),
    ]
    assert ws.spotlight_post_id is None
    refused("post_hidden", facilitation.spotlight, trainer, post.id)


def test_authors_edit_their_own_notes_only(room, make_session):
    ws, trainer, migrant = room()
    post, _ = services.create_post(migrant, new_client_id(), "typo hre")
    _, event = services.edit_post(migrant, post.id, "typo here")
    assert event.type == "post_edited" and event.data["post"]["text"] == "typo here"
    assert event.data["post"]["edited_at"] is not None
    refused("not_your_post", services.edit_post, trainer, post.id, "trainer rewrites")
    _, _, other_token, _ = services.join(ws.join_code, "Li", "migrant", "zh")
    refused("not_your_post", services.edit_post, viewer_for_token(other_token), post.id, "mine now")
    refused("text_required", services.edit_post, migrant, post.id, " ")


def test_attendance_is_counted_by_role(room, trainer):
    ws, _, _ = room()
    services.join(ws.join_code, "Assessora", "decision_maker", "it")
    services.join(ws.join_code, "Chen", "mediator", "zh")
    assert services.record_staff_attendance(ws, trainer).type == "trainer_joined"
    assert services.record_staff_attendance(ws, trainer) is None  # counted once
    assert board(viewer_for_account(trainer, ws.id))["attendance"] == {
        "migrant": 1,
        "decision_maker": 1,
        "mediator": 1,
        "trainer": 1,
    }


def test_requests_that_change_nothing_broadcast_nothing(room):
    ws, trainer, migrant = room("co_projecting")
    post, _ = services.create_post(migrant, new_client_id(), "note")
    assert facilitation.spotlight(trainer, post.id) is not None
    assert facilitation.spotlight(trainer, post.id) is None
    assert facilitation.advance_phase(trainer, "frame") is None  # already there
    assert facilitation.show_prompt(trainer, None) is None
    assert facilitation.set_current_item(trainer, None) is None
    from sessions import voting

    assert voting.set_allowance(trainer, 3) is None


def test_choosing_a_group_needs_a_live_session(room):
    ws, trainer, migrant = room("co_projecting")
    facilitation.set_group_choice(trainer, "self")
    group = board(trainer)["groups"][0]["id"]
    services.close_session(ws)
    refused("session_closed", facilitation.choose_group, migrant, group)
