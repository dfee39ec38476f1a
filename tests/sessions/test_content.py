"""The trainer's words in every language: defaults from the catalogs, mediators' translations
of group names, prompts and agenda items (live, replayed by sync), what is still missing."""

import sqlalchemy as sa

from ponte.extensions import db
from sessions import content, facilitation
from sessions.access import viewer_for_account
from sessions.board import board
from sessions.content import ContentTranslation


def received(sio, name):
    return [packet["args"][0] for packet in sio.get_received() if packet["name"] == name]


def test_a_chinese_tablet_reads_the_default_prompts_in_chinese(client, make_session, join):
    ws = make_session("listening")
    zh = join(ws, "Li Wei", "migrant", "zh")
    seen = client.get(
        f"/api/sessions/{ws.id}/board", headers={"Authorization": f"Bearer {zh['token']}"}
    ).get_json()
    assert seen["content_language"] == "it"
    assert [p["text"] for p in seen["prompts"]] == [
        "Cosa funziona?",
        "Cosa è difficile?",
        "Cosa cambieresti?",
    ]
    by_prompt = {
        t["subject_id"]: t["text"]
        for t in seen["content_translations"]
        if t["subject"] == "prompt" and t["language"] == "zh"
    }
    assert [by_prompt[p["id"]] for p in seen["prompts"]] == [
        "什么做得好？",
        "什么很难？",
        "你想改变什么？",
    ]
    assert all(t["translator"]["role"] == "catalog" for t in seen["content_translations"])


def test_a_mediator_translates_a_group_and_every_screen_hears_it(
    make_session, join, socket_for, client, auth, trainer
):
    ws = make_session("co_projecting")
    mediator = socket_for(token=join(ws, "Chen", "mediator", "zh")["token"])
    tablet = socket_for(token=join(ws, "Li Wei", "migrant", "zh")["token"])
    group = board(viewer_for_account(trainer, ws.id))["groups"][0]
    refused = tablet.emit(
        "translate_content",
        {
            "subject": "group",
            "subject_id": group["id"],
            "field": "name",
            "language": "zh",
            "text": "学校",
        },  # fmt: skip
        callback=True,
    )
    assert refused["error"]["code"] == "forbidden"
    for payload, code in (
        ({"subject": "post"}, "invalid_subject"),
        ({"field": "position"}, "invalid_field"),
        ({"subject_id": 999999}, "unknown_subject"),
        ({"language": "fr"}, "not_a_process_language"),
        ({"language": "it"}, "same_language"),
        ({"text": "   "}, "text_required"),
        ({"text": "x" * 4001}, "text_too_long"),
    ):
        body = {"subject": "group", "subject_id": group["id"], "field": "name",
                "language": "zh", "text": "学校的家长", **payload}  # fmt: skip
        assert mediator.emit("translate_content", body, callback=True)["error"]["code"] == code
    tablet.get_received()
    ack = mediator.emit(
        "translate_content",
        {
            "subject": "group",
            "subject_id": group["id"],
            "field": "name",
            "language": "zh",
            "text": "学校和家庭",
        },  # fmt: skip
        callback=True,
    )
    assert ack["ok"], ack
    assert ack["translation"]["verified"] and ack["translation"]["translator"]["name"] == "Chen"
    (live,) = received(tablet, "content_translated")
    assert live["translation"]["text"] == "学校和家庭" and live["seq"] == ack["seq"]
    # A tablet that was away gets it from sync; one that loads the board, from the board.
    replay = tablet.emit("sync", {"since": ack["seq"] - 1}, callback=True)
    assert [e["type"] for e in replay["events"]] == ["content_translated"]
    stored = db.session.scalar(
        sa.select(ContentTranslation).where(
            ContentTranslation.subject_id == group["id"], ContentTranslation.language == "zh"
        )
    )
    assert stored.text == "学校和家庭" and stored.translator_role == "mediator"


def test_renaming_the_original_retires_the_catalog_translation_and_unverifies_the_rest(
    make_session, trainer
):
    ws = make_session("listening")
    chair = viewer_for_account(trainer, ws.id)
    prompt = board(chair)["prompts"][0]
    from sessions.content_translations import translate_content

    translate_content(chair, "prompt", prompt["id"], "text", "ar", "ما الذي ينجح في براتو؟")
    events = facilitation.edit_prompt(chair, prompt["id"], "Cosa funziona a Prato?")
    assert [e.type for e in events] == ["prompt_updated"] + ["content_translated"] * 3
    left = {
        t.language: t.verified
        for t in db.session.scalars(
            sa.select(ContentTranslation).where(ContentTranslation.subject_id == prompt["id"])
        )
    }
    assert left == {"ar": False}  # the catalog's en and zh no longer fit the new words


def test_the_coverage_lists_exactly_what_lacks_a_checked_translation(make_session, trainer):
    ws = make_session("face_to_face", title="Incontro con il Comune")
    chair = viewer_for_account(trainer, ws.id)
    item = facilitation.add_agenda_item(chair, "Casa e affitti").data["item"]
    facilitation.add_agenda_item(chair, "Lavoro")
    missing = content.coverage(ws.id, "en")
    assert [(m["subject"], m["text"]) for m in missing] == [
        ("session", "Incontro con il Comune"),
        ("agenda_item", "Casa e affitti"),
        ("agenda_item", "Lavoro"),
    ]
    from sessions.content_translations import translate_content

    translate_content(chair, "agenda_item", item["id"], "title", "en", "Housing and rent")
    assert [m["text"] for m in content.coverage(ws.id, "en")] == [
        "Incontro con il Comune",
        "Lavoro",
    ]
    assert content.coverage(ws.id, "it") == []  # the originals are Italian
