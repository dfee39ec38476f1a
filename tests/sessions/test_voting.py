"""Dot voting and commitments: allowance, phase, privacy until the reveal, follow-up."""

import pytest

from ponte.errors import PonteError
from ponte.extensions import db
from sessions import commitments, facilitation, services, voting
from sessions.access import viewer_for_account, viewer_for_token
from sessions.board import board
from tests.conftest import new_client_id


@pytest.fixture
def workshop_in_ideas(make_session, trainer):
    """A co-projecting workshop in the ideas phase: its trainer, two participants, two ideas."""
    ws = make_session(kind="co_projecting")
    ws.trainer_id = trainer.id
    tokens = [services.join(ws.join_code, name, "migrant", "it")[2] for name in ("Ada", "Bo")]
    db.session.commit()
    chair = viewer_for_account(trainer, ws.id)
    ada, bo = (viewer_for_token(t) for t in tokens)
    facilitation.advance_phase(chair, "ideas")
    ideas = [services.create_post(ada, new_client_id(), text)[0] for text in ("Mediators", "Desk")]
    return ws, chair, ada, bo, ideas


def code_of(call, *args):
    with pytest.raises(PonteError) as error:
        call(*args)
    return error.value.code


def test_voting_opens_only_in_the_vote_phase(workshop_in_ideas):
    ws, chair, ada, _, ideas = workshop_in_ideas
    assert code_of(voting.cast_vote, ada, ideas[0].id) == "phase_forbids"
    facilitation.advance_phase(chair)
    assert ws.phase == "vote"
    assert code_of(services.create_post, ada, new_client_id(), "late idea") == "phase_forbids"
    assert voting.cast_vote(ada, ideas[0].id)[0] == {"post_id": ideas[0].id, "mine": 1, "left": 2}


def test_nobody_exceeds_the_allowance(workshop_in_ideas):
    _, chair, ada, bo, ideas = workshop_in_ideas
    facilitation.advance_phase(chair, "vote")
    voting.set_allowance(chair, 2)
    voting.cast_vote(ada, ideas[0].id)
    result, _ = voting.cast_vote(ada, ideas[0].id)  # two dots on one note is allowed
    assert result == {"post_id": ideas[0].id, "mine": 2, "left": 0}
    assert code_of(voting.cast_vote, ada, ideas[1].id) == "no_votes_left"
    voting.retract_vote(ada, ideas[0].id)
    assert voting.cast_vote(ada, ideas[1].id)[0]["left"] == 0
    assert code_of(voting.retract_vote, bo, ideas[0].id) == "no_vote_here"
    assert voting.cast_vote(bo, ideas[1].id)[0]["left"] == 1  # everyone has their own dots


def test_trainers_do_not_vote_and_participants_do_not_reveal(workshop_in_ideas):
    _, chair, ada, _, ideas = workshop_in_ideas
    facilitation.advance_phase(chair, "vote")
    assert code_of(voting.cast_vote, chair, ideas[0].id) == "forbidden"
    assert code_of(voting.reveal_votes, ada, True) == "forbidden"
    assert code_of(voting.set_allowance, ada, 9) == "forbidden"
    assert code_of(voting.set_allowance, chair, 0) == "invalid_votes"


def test_totals_stay_hidden_until_the_reveal(workshop_in_ideas):
    ws, chair, ada, bo, ideas = workshop_in_ideas
    facilitation.advance_phase(chair, "vote")
    voting.cast_vote(ada, ideas[0].id)
    voting.cast_vote(bo, ideas[0].id)
    assert board(bo)["votes"]["tallies"] == {}
    assert board(bo)["votes"]["mine"] == {str(ideas[0].id): 1}
    assert board(chair)["votes"]["tallies"] == {str(ideas[0].id): 2}
    replay, _, _ = services.events_since(bo, 0)
    vote_events = [e for e in replay if e["type"] == "vote_cast"]
    assert vote_events == [
        {
            "seq": vote_events[0]["seq"],
            "type": "vote_cast",
            "data": {"post_id": ideas[0].id, "participant_id": bo.participant_id},
        }
    ]  # only Bo's own dot, without the total

    event = voting.reveal_votes(chair, True)
    assert event.data == {"revealed": True, "tallies": {str(ideas[0].id): 2}}
    assert board(bo)["votes"]["tallies"] == {str(ideas[0].id): 2}
    revealed_replay, _, _ = services.events_since(bo, 0)
    others = [e["data"] for e in revealed_replay if e["type"] == "vote_cast"]
    assert others[0] == {"post_id": ideas[0].id, "tally": 1}  # Ada's dot: the total, no name
    assert voting.reveal_votes(chair, True) is None


def test_a_decision_maker_records_a_commitment_and_staff_follow_it_up(make_session, trainer):
    ws = make_session(kind="face_to_face")
    ws.trainer_id = trainer.id
    _, _, dm_token, _ = services.join(ws.join_code, "Assessora Rossi", "decision_maker", "it")
    _, _, migrant_token, _ = services.join(ws.join_code, "Fatou", "migrant", "en")
    assessora, fatou = viewer_for_token(dm_token), viewer_for_token(migrant_token)
    chair = viewer_for_account(trainer, ws.id)
    item = facilitation.add_agenda_item(chair, "School and families").data["item"]

    commitment, event = commitments.record_commitment(
        assessora, "Mediators at parent-teacher meetings", "Assessorato Scuola", "2026-09-30"
    )
    assert event.type == "commitment_recorded"
    assert event.data["commitment"]["agenda_item_id"] == item["id"]
    assert event.data["commitment"]["recorded_by"] == {
        "name": "Assessora Rossi",
        "role": "decision_maker",
    }
    assert code_of(commitments.record_commitment, fatou, "x", "y") == "forbidden"
    assert code_of(commitments.record_commitment, assessora, "", "y") == "invalid_what"
    assert (
        code_of(commitments.record_commitment, assessora, "x", "y", "next summer")
        == "invalid_by_when"
    )

    updated = commitments.update_commitment(commitment, "in_progress", "Two mediators hired.")
    assert updated.data["commitment"]["status"] == "in_progress"
    assert code_of(commitments.update_commitment, commitment, "forgotten") == "invalid_status"
    assert [c.id for c in commitments.process_commitments(ws.workshop_id)] == [commitment.id]
    assert board(fatou)["commitments"][0]["public_update"] == "Two mediators hired."
