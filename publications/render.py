"""The one place that turns a publication into PDF: Jinja (autoescaped) then WeasyPrint.

WeasyPrint may read only our own files: the print stylesheet and images in ``static/`` and
photos in the media folder, named ``ponte://static/...`` and ``ponte://media/...``. Any other
URL (http, file:, data from a note) is refused, so nothing a participant typed can make the
renderer fetch from the network or read a file of the server.
"""

import mimetypes
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC = Path(__file__).resolve().parent.parent / "static"
TEMPLATES = {"report": "publications/pdf/report.html", "booklet": "publications/pdf/booklet.html"}


def media_folder() -> Path:
    folder = Path(current_app.config["PONTE_FILES_DIR"]) / "media"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def read_own_file(url: str) -> tuple[bytes, str]:
    """Return (bytes, MIME type) of ponte://static/... or ponte://media/...; refuse the rest."""
    roots = {"ponte://static/": STATIC, "ponte://media/": media_folder()}
    for prefix, root in roots.items():
        if url.startswith(prefix):
            path = (root / url.removeprefix(prefix)).resolve()
            if root.resolve() in path.parents and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return path.read_bytes(), mime
    raise ValueError(f"Ponte does not fetch {url[:80]!r} for a publication")


class OwnFilesFetcher(URLFetcher):
    """WeasyPrint's fetcher, allowed to read our own files and nothing else."""

    def fetch(self, url, headers=None):
        body, mime = read_own_file(url)
        return URLFetcherResponse(url, body, {"Content-Type": mime})


url_fetcher = OwnFilesFetcher(allowed_protocols=["ponte"], allow_redirects=False)


def css_content(text: str, **counters: str) -> Markup:
    """A translated sentence as a CSS ``content`` value, for running headers and footers: its
    placeholders become counters (``css_content(_("Page %(page)s of %(pages)s", page="@page@",
    pages="@pages@"), page="page", pages="pages")``). Quotes, backslashes and "<" are dropped:
    nothing in a catalog can end the string or the <style> element."""
    clean = "".join(ch for ch in str(text) if ch not in '"\\<')
    value = f'"{clean}"'
    for marker, counter in counters.items():
        value = value.replace(f"@{marker}@", f'" counter({counter}) "')
    return Markup(value)


def render_html(kind: str, context: dict) -> str:
    """The publication as HTML, from the same template the PDF uses (the browser preview)."""
    return render_template(TEMPLATES[kind], **context)


def render_pdf(kind: str, context: dict) -> bytes:
    """The publication as PDF bytes. Slow (seconds): call it from the worker, never a request."""
    from weasyprint import HTML

    html = render_html(kind, context)
    return HTML(string=html, base_url="ponte://static/", url_fetcher=url_fetcher).write_pdf()


def publication_html(kind: str, workshop_id: int, languages: list[str], **extra) -> str:
    """A publication of a process as HTML, built and rendered in its (first) language: the
    Report's words come from the interface's catalogs, dates are the locale's."""
    from publications import context

    with force_locale(languages[0]):
        return render_html(kind, {**context.build(kind, workshop_id, languages), **extra})


def publication_pdf(kind: str, workshop_id: int, languages: list[str], progress=None) -> bytes:
    """A publication of a process as PDF bytes, in its (first) language. Slow: the worker's."""
    from weasyprint import HTML

    from publications import context

    with force_locale(languages[0]):
        data = context.build(kind, workshop_id, languages)
        if progress is not None:
            progress(30)
        html = render_html(kind, data)
    return HTML(string=html, base_url="ponte://static/", url_fetcher=url_fetcher).write_pdf()
