"""The one place that turns a publication into PDF: Jinja (autoescaped) then WeasyPrint.

WeasyPrint may read only our own files: the print stylesheet and images in ``static/`` and
photos in the media folder, named ``ponte://static/...`` and ``ponte://media/...``. Any other
URL (http, file:, data from a note) is refused, so nothing a participant typed can make the
renderer fetch from the network or read a file of the server.
"""

import mimetypes
from pathlib import Path

from flask import current_app, render_template
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


def render_html(kind: str, context: dict) -> str:
    """The publication as HTML, from the same template the PDF uses (the browser preview)."""
    return render_template(TEMPLATES[kind], **context)


def render_pdf(kind: str, context: dict) -> bytes:
    """The publication as PDF bytes. Slow (seconds): call it from the worker, never a request."""
    from weasyprint import HTML

    html = render_html(kind, context)
    return HTML(string=html, base_url="ponte://static/", url_fetcher=url_fetcher).write_pdf()
