"""Seconds, pages and peak memory to render the demo's Report and Booklets.

Each render runs ``flask publish`` in a child process on a fresh SQLite copy of the demo,
so the peak resident memory of that child is the render's own. Prints the median of RUNS.

    .venv/bin/python bench/publications.py [--runs 3] [--scale N]

``--scale N`` adds N extra copies of the demo's co-projecting content (notes, prototypes,
quotes) to grow the documents, to see how the cost grows with pages.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent
EDITIONS = [("report", "it"), ("booklet", "it"), ("booklet", "en"), ("booklet", "it+en")]


def flask(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def grow(env, copies: int) -> None:
    """Duplicate the demo's prototypes and notes ``copies`` times (through the services)."""
    if copies <= 0:
        return
    script = f"""
from app import create_app
from ponte.database import writing
from ponte.extensions import db
from ponte import demo
from sessions import services
from sessions.access import viewer_for_token
from prototypes import services as prototype_services
import sqlalchemy as sa
from sessions.models import WorkshopSession
with create_app().app_context(), writing():
    kind = WorkshopSession.kind == 'co_projecting'
    ws = db.session.scalar(sa.select(WorkshopSession).where(kind))
    for copy in range({copies}):
        participant, _, token, _ = services.join(ws.join_code, f'Extra {{copy}}', 'migrant', 'en')
        participant.quote_consent = 'anonymous'
        viewer = viewer_for_token(token)
        for number, (_, _, _, text) in enumerate(demo.WORKSHOP_NOTES):
            client_id = f'00000000-0000-4000-9000-{{copy:06d}}{{number:06d}}'
            services.create_post(viewer, client_id, text)
        for _, title, canvas, _ in demo.PROTOTYPES:
            prototype, _ = prototype_services.create_prototype(viewer, f'{{title}} ({{copy + 2}})')
            for field, value in canvas.items():
                prototype_services.edit_field(viewer, prototype.id, field, value, 0)
    db.session.commit()
"""
    subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=env, check=True, capture_output=True
    )


def add_photos(env, count: int) -> None:
    """Upload ``count`` consented photos (1600x1200 JPEGs) through the media service."""
    if count <= 0:
        return
    script = f"""
import io
from PIL import Image, ImageDraw
from app import create_app
from ponte.database import writing
from ponte.extensions import db
from publications.media import store_photo
from workshops.models import Workshop
with create_app().app_context(), writing():
    workshop = db.session.get(Workshop, 1)
    for n in range({count}):
        image = Image.new('RGB', (1600, 1200), (40 + n * 9 % 200, 110, 90))
        ImageDraw.Draw(image).ellipse((200, 150, 1400, 1050), fill=(240, 190, 80))
        buffer = io.BytesIO()
        image.save(buffer, 'JPEG', quality=85)
        store_photo(workshop, buffer.getvalue(), f'Flipchart {{n + 1}}', 'named', None)
    db.session.commit()
"""
    subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=env, check=True, capture_output=True
    )


def measure(env, workdir: Path, kind: str, edition: str) -> dict:
    out = workdir / f"{kind}-{edition}.pdf"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    flask(env, "publish", kind, "--workshop", "1", "--lang", edition, "--out", str(out))
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": seconds,
        "pages": len(PdfReader(out).pages),
        # ru_maxrss of children is the largest child so far: a floor for this render's peak.
        "peak_mb": max(peak_kb, before) / 1024,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=int, default=0)
    parser.add_argument("--photos", type=int, default=0, help="consented photos to add")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "PONTE_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "PONTE_SECRET_KEY": "bench",
            "PONTE_FILES_DIR": tmp,
        }
        flask(env, "seed-demo", "--json")
        grow(env, args.scale)
        add_photos(env, args.photos)
        for kind, edition in EDITIONS:
            runs = [measure(env, Path(tmp), kind, edition) for _ in range(args.runs)]
            print(
                json.dumps(
                    {
                        "document": f"{kind} {edition}",
                        "scale": args.scale,
                        "photos": args.photos,
                        "pages": runs[0]["pages"],
                        "seconds_median": round(statistics.median(r["seconds"] for r in runs), 2),
                        "peak_mb": round(max(r["peak_mb"] for r in runs)),
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
