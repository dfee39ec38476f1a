"""A session's start and end time: the form checks them, pages show them, hours follow them."""

import datetime as dt

import pytest
import sqlalchemy as sa

from ponte.errors import PonteError
from ponte.extensions import db
from publications.context import session_hours
from sessions import services
from sessions.models import WorkshopSession

FORM = {
    "kind": "listening",
    "title": "Ascolto al mercato",
    "date": "2026-05-09",
    "start_time": "10:00",
    "end_time": "12:30",
    "place": "Mercato coperto",
}


@pytest.fixture(autouse=True)
def english(client):
    client.set_cookie("ponte_lang", "en")


def test_a_session_with_times_counts_their_hours(make_workshop):
    workshop = make_workshop()
    ws = services.create_session(
        workshop, "listening", "Ascolto", start_time=dt.time(10), end_time=dt.time(12, 30)
    )
    ws.opened_at = dt.datetime(2026, 5, 9, 10, 5)
    ws.closed_at = dt.datetime(2026, 5, 9, 10, 35)  # closed early by mistake: the plan counts
    assert session_hours(ws) == 2.5
    ws.start_time = ws.end_time = None
    assert session_hours(ws) == 0.5  # no times: how long it was live
    with pytest.raises(PonteError) as refused:
        services.create_session(
            workshop, "listening", "Ascolto", start_time=dt.time(12), end_time=dt.time(11)
        )
    assert refused.value.code == "invalid_times"


def test_the_process_page_adds_a_session_with_its_times(client, auth, make_workshop):
    workshop = make_workshop()
    auth.login()
    response = client.post(f"/workshops/{workshop.id}", data=FORM)
    assert response.status_code == 302
    ws = db.session.scalar(sa.select(WorkshopSession))
    assert (ws.start_time, ws.end_time) == (dt.time(10), dt.time(12, 30))
    assert "10:00–12:30" in client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "10:00–12:30" in client.get(f"/sessions/{ws.id}").get_data(as_text=True)


def test_an_end_before_the_start_is_refused_and_the_form_kept(client, auth, make_workshop):
    workshop = make_workshop()
    auth.login()
    response = client.post(f"/workshops/{workshop.id}", data={**FORM, "end_time": "09:00"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The end time must be after the start time." in page
    assert 'value="Ascolto al mercato"' in page and 'value="Mercato coperto"' in page
    assert db.session.scalar(sa.select(sa.func.count(WorkshopSession.id))) == 0
