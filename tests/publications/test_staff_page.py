"""The staff page of the publications, the browser preview, and the way to it."""

import re

import pytest


@pytest.fixture
def page(client, demo, login):
    def get(role="staff"):
        login(role)
        response = client.get(f"/workshops/{demo['workshop_id']}/publications")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return get


def test_staff_see_both_forms_previews_jobs_and_the_photo_form(page, demo):
    html = page("staff")
    assert 'name="kind" value="report"' in html
    assert 'name="kind" value="booklet"' in html
    for edition in ("it", "en", "zh", "ar", "it+en", "it+zh", "it+ar"):
        assert f'<option value="{edition}">' in html, edition
    assert html.count('name="csrf_token"') >= 3
    assert 'enctype="multipart/form-data"' in html
    assert 'name="photo" accept="image/*" capture="environment"' in html
    assert 'name="caption"' in html and '<select name="consent">' in html
    for consent in ("named", "anonymous", "internal", "never"):
        assert f'value="{consent}"' in html
    assert f"/workshops/{demo['workshop_id']}/publications/preview/report" in html
    assert "preview/booklet?edition=it%2Ben" in html
    assert "/static/js/publications.js" in html
    # No inline script; the page's translated strings are a JSON data block, which never runs.
    assert not re.search(r'<script(?![^>]*\b(src=|type="application/json"))', html), "CSP"


def test_a_trainer_gets_no_report_form(page):
    html = page("trainer")
    assert 'value="report"' not in html
    assert 'name="kind" value="booklet"' in html
    assert "preview/report" not in html


def test_the_process_page_links_to_publications(client, demo, login):
    login("staff")
    html = client.get(f"/workshops/{demo['workshop_id']}").get_data(as_text=True)
    assert f"/workshops/{demo['workshop_id']}/publications" in html


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("it", ["La nostra storia"]),
        ("en", ["Our story"]),
        ("it%2Ben", ["La nostra storia", "Our story"]),
    ],
)
def test_the_booklet_preview_uses_the_site_s_stylesheet(client, demo, login, query, words):
    login("trainer")
    response = client.get(
        f"/workshops/{demo['workshop_id']}/publications/preview/booklet?edition={query}"
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'href="/static/css/print.css"' in html
    assert "ponte://" not in html
    for word in words:
        assert word in html


def test_the_report_preview_for_staff(client, demo, login):
    login("staff")
    url = f"/workshops/{demo['workshop_id']}/publications/preview/report"
    response = client.get(url + "?edition=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The process in figures" in html and 'href="/static/css/print.css"' in html
    # The process speaks Italian first: so does its report, unless asked otherwise.
    italian = client.get(url).get_data(as_text=True)
    assert '<html lang="it"' in italian and "Il percorso in numeri" in italian
