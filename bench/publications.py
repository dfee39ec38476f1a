"""Seconds, pages and peak memory to render the demo's Report and Booklets.

Each render runs ``flask publish`` in a child process on a fresh SQLite copy of the demo,
so the peak resident memory of that child (from wait4) is the render's own. Prints the
median of RUNS.

    .venv/bin/python bench/publications.py [--runs 3] [--scale N] [--photos N]
    .venv/bin/python bench/publications.py --pages 24,48,96 [--runs 3]

``--scale N`` adds N extra copies of the demo's co-projecting content (notes, prototypes,
quotes) to grow the documents, to see how the cost grows with pages.

``--pages`` renders the Report (it) and the bilingual Booklet (it+en), each on its own copy of
the demo, grown copy by copy (counting pages with pypdf) until it has at least each number of
pages; at each it prints the median seconds of the whole ``flask publish`` command, of the
render alone (as the command reports it), and the median peak memory of RUNS renders.
"""

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent
EDITIONS = [("report", "it"), ("booklet", "it"), ("booklet", "en"), ("booklet", "it+en")]
# --pages: the report, and the largest booklet (both languages).
PAGED_EDITIONS = [("report", "it"), ("booklet", "it+en")]
RENDER_TIMEOUT = 900  # seconds for one command
MAX_SCALE = 500  # copies of the demo's content: a document that needs more does not grow


def flask(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=RENDER_TIMEOUT,
    )


def grow(env, copies: int, first: int = 0) -> None:
    """Duplicate the demo's prototypes and notes ``copies`` times (through the services).

    :param first: how many copies earlier calls made: new copies get new names and client ids.
    """
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
from workshops.models import Person
with create_app().app_context(), writing():
    kind = WorkshopSession.kind == 'co_projecting'
    ws = db.session.scalar(sa.select(WorkshopSession).where(kind))
    for copy in range({first}, {first + copies}):
        participant, _, token, _ = services.join(ws.join_code, f'Extra {{copy}}', 'migrant', 'en')
        db.session.get(Person, participant.person_id).quote_consent = 'anonymous'
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
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=RENDER_TIMEOUT,
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
    """Run ``flask publish`` once: its seconds, the render's own, pages, and peak memory (MB)."""
    out = workdir / f"{kind}-{edition}.pdf"
    log = workdir / "publish.log"  # a file, not a pipe: WeasyPrint logs a lot
    command = [sys.executable, "-m", "flask", "--app", "app", "publish", kind]
    command += ["--workshop", "1", "--lang", edition, "--out", str(out)]
    started = time.perf_counter()
    with open(log, "w") as output:
        child = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=output)
    while True:  # wait4, not wait: the rusage of this child alone, so its own peak memory
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > RENDER_TIMEOUT:
            child.kill()
            child.wait()
            raise TimeoutError(f"{kind} {edition} took more than {RENDER_TIMEOUT}s")
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if child.returncode:
        raise RuntimeError(f"flask publish failed:\n{log.read_text()[-3000:]}")
    said = re.search(r"KB, ([\d.]+) s\)", log.read_text())  # publish's own "(… KB, 1.2 s)"
    return {
        "seconds": seconds,
        "render_seconds": float(said.group(1)) if said else None,
        "pages": len(PdfReader(out).pages),
        "peak_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
    }


def bench_env(tmp: str) -> dict:
    return {
        **os.environ,
        "PONTE_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        "PONTE_SECRET_KEY": "bench",
        "PONTE_FILES_DIR": tmp,
    }


def by_scale(args) -> None:
    """The demo, grown ``--scale`` copies, with ``--photos``: every edition, RUNS times."""
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(tmp)
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


def median_or_none(values: list) -> float | None:
    """The median of what publish reported (None if its message changed)."""
    known = [v for v in values if v is not None]
    return round(statistics.median(known), 2) if known else None


def by_pages(args) -> None:
    """Each of PAGED_EDITIONS grown to at least each of ``--pages``: RUNS renders at each."""
    targets = sorted({int(n) for n in args.pages.split(",")})
    rows = []
    for kind, edition in PAGED_EDITIONS:
        with tempfile.TemporaryDirectory() as tmp:
            env, workdir = bench_env(tmp), Path(tmp)
            flask(env, "seed-demo", "--json")
            scale = 0
            base = pages = measure(env, workdir, kind, edition)["pages"]
            for target in targets:
                while pages < target:
                    # As many copies as the pages each copy added so far say; then count again.
                    per_copy = (pages - base) / scale if scale else 0
                    step = math.ceil((target - pages) / per_copy) if per_copy > 0 else 1
                    if scale + step > MAX_SCALE:
                        raise RuntimeError(f"{kind} {edition}: {pages} pages at scale {scale}")
                    grow(env, step, first=scale)
                    scale += step
                    pages = measure(env, workdir, kind, edition)["pages"]
                runs = [measure(env, workdir, kind, edition) for _ in range(args.runs)]
                row = {
                    "document": f"{kind} {edition}",
                    "target_pages": target,
                    "pages": runs[0]["pages"],
                    "scale": scale,
                    "seconds_median": round(statistics.median(r["seconds"] for r in runs), 2),
                    "render_seconds_median": median_or_none([r["render_seconds"] for r in runs]),
                    "peak_mb_median": round(statistics.median(r["peak_mb"] for r in runs)),
                    "peak_mb_max": round(max(r["peak_mb"] for r in runs)),
                }
                print(json.dumps(row), flush=True)
                rows.append(row)
    print(f"\nmedian of {args.runs} runs; seconds: the whole command, render: publish's own")
    heads = f"{'pages':>5} {'scale':>5} {'seconds':>8} {'render':>7} {'peak MB':>8}"
    print(f"  {'document':16} {heads}")
    for row in rows:
        print(
            f"  {row['document']:16} {row['pages']:>5} {row['scale']:>5}"
            f" {row['seconds_median']:>8.1f} {row['render_seconds_median'] or '-':>7}"
            f" {row['peak_mb_median']:>8}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=int, default=0)
    parser.add_argument("--photos", type=int, default=0, help="consented photos to add")
    parser.add_argument("--pages", help="e.g. 24,48,96: grow each document to these sizes")
    args = parser.parse_args()
    if args.pages:
        by_pages(args)
    else:
        by_scale(args)


if __name__ == "__main__":
    main()
