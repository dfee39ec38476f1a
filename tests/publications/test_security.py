"""What people type is text in a publication, never markup; the renderer fetches only our files."""

import pytest
import sqlalchemy as sa
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ponte.extensions import db
from publications import render
from sessions.models import Post
from tests.publications.conftest import ORIGINAL_FETCHER, pdf_text
from workshops.models import Workshop

HOSTILE_NOTE = '<img src="file:///etc/passwd"><link href="http://127.0.0.1:9/">'
HOSTILE_TITLE = '</title><style>@import url("http://127.0.0.1:9/x.css"); body{display:none}</style>'


@pytest.fixture
def hostile(demo):
    """The demo with a hostile note (by Fatou, who may be quoted) and a CSS-ish title."""
    post = db.session.scalar(
        sa.select(Post).where(Post.text == "The letters from the school are only in Italian.")
    )
    post.text = HOSTILE_NOTE
    workshop = db.session.get(Workshop, demo["workshop_id"])
    workshop.title = HOSTILE_TITLE
    db.session.commit()
    return demo


@pytest.fixture
def fetched(monkeypatch):
    """Every URL WeasyPrint asks for while rendering."""
    urls = []
    inner = render.url_fetcher

    class Spy(URLFetcher):
        def fetch(self, url, headers=None):
            urls.append(url)
            return inner(url)

    monkeypatch.setattr(render, "url_fetcher", Spy())
    return urls


@pytest.mark.parametrize(("kind", "edition"), [("report", "it"), ("booklet", "it+en")])
def test_hostile_text_is_shown_and_nothing_is_fetched(hostile, fetched, make_pdf, kind, edition):
    text = pdf_text(make_pdf(kind, hostile["workshop_id"], edition))
    assert HOSTILE_NOTE in text
    assert HOSTILE_TITLE in text
    assert fetched, "the stylesheet is fetched through our fetcher"
    assert all(url.startswith(("ponte://static/", "ponte://media/")) for url in fetched), fetched


def test_the_html_escapes_people_s_text(hostile, app):
    from publications import context

    html = render.render_html("booklet", context.booklet_context(hostile["workshop_id"], ["en"]))
    assert '<img src="file:' not in html and "<style>@import" not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/",
        "https://example.org/x.png",
        "data:text/css,body{}",
        "ponte://static/../../../../etc/passwd",
        "ponte://media/../ponte.sqlite3",
        "ponte://other/x.css",
    ],
)
def test_the_fetcher_refuses_anything_else(app, url):
    with pytest.raises(ValueError):
        ORIGINAL_FETCHER(url)


def test_the_fetcher_speaks_weasyprint_70(app):
    answer = ORIGINAL_FETCHER("ponte://static/css/print.css")
    assert isinstance(answer, URLFetcherResponse)
    assert answer.read().startswith(b"/* Ponte publications")
