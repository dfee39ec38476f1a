"""The one seam for background work: publication jobs, run by the worker process.

The web process only writes a ``queued`` row. ``flask --app app worker`` claims jobs one by
one and renders each in a child process with a time and memory limit, so a WeasyPrint
render (seconds of CPU) never stalls the tablets, and a runaway one is killed.
"""

import hashlib
import logging
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ponte.database import writing
from ponte.errors import PonteError
from ponte.extensions import db
from publications.models import KINDS, Publication, PublicationJob
from workshops.models import Workshop, utcnow

log = logging.getLogger("ponte.jobs")
TIME_LIMIT_SECONDS = 300
MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024
REPO = Path(__file__).resolve().parent.parent


def parse_edition(workshop: Workshop, edition: str) -> list[str]:
    """ "it" or "it+en" (bilingual) -> the languages, each one of the process's."""
    # "it+en"; a "+" in a query string arrives as a space.
    languages = [part for part in edition.replace(" ", "+").split("+") if part]
    if not 1 <= len(languages) <= 2 or any(lang not in workshop.languages for lang in languages):
        raise PonteError(
            "invalid_edition",
            _(
                "An edition is one or two of the process languages: %(languages)s",
                languages=", ".join(workshop.languages),
            ),
        )
    return languages


def enqueue(workshop: Workshop, kind: str, edition: str, account) -> PublicationJob:
    """Ask the worker for a publication. Flushes, never commits."""
    if kind not in KINDS:
        raise PonteError("invalid_kind", _("kind must be 'report' or 'booklet'."))
    languages = parse_edition(workshop, edition)
    job = PublicationJob(
        workshop_id=workshop.id,
        kind=kind,
        language=languages[0],
        edition="+".join(languages),
        requested_by_id=account.id if account else None,
    )
    db.session.add(job)
    db.session.flush()
    return job


def claim_next() -> PublicationJob | None:
    """Take the oldest queued job (atomically: two workers never take the same)."""
    with writing():
        job_id = db.session.scalar(
            sa.select(PublicationJob.id)
            .where(PublicationJob.state == "queued")
            .order_by(PublicationJob.id)
            .limit(1)
        )
        if job_id is None:
            db.session.rollback()
            return None
        claimed = db.session.execute(
            sa.update(PublicationJob)
            .where(PublicationJob.id == job_id, PublicationJob.state == "queued")
            .values(state="running", started_at=utcnow(), progress=5)
        ).rowcount
        db.session.commit()
    return db.session.get(PublicationJob, job_id) if claimed else None


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT_SECONDS, TIME_LIMIT_SECONDS))


def run(job: PublicationJob) -> None:
    """Render a claimed job in a limited child process and record the result."""
    job_id = job.id
    # End any read transaction first: its snapshot would be stale once the child writes,
    # and SQLite refuses to turn a stale reader into a writer ("database is locked").
    db.session.rollback()
    command = [sys.executable, "-m", "flask", "--app", "app", "render-job", str(job_id)]
    try:
        done = subprocess.run(
            command,
            cwd=REPO,
            env=os.environ.copy(),
            preexec_fn=_limit_child,
            capture_output=True,
            text=True,
            timeout=TIME_LIMIT_SECONDS + 30,
        )
        failed = done.returncode != 0
        if failed:  # the traceback goes to the log; staff see a short reason
            log.error("job %s: %s", job_id, (done.stderr or done.stdout)[-2000:])
        reason = "The render failed; the worker's log has the details." if failed else ""
    except subprocess.TimeoutExpired:
        failed, reason = True, f"The render took longer than {TIME_LIMIT_SECONDS} s."
    if failed:
        db.session.rollback()
        with writing():
            job = db.session.get(PublicationJob, job_id)
            job.state, job.error, job.finished_at = (
                "failed",
                reason or "The render failed.",
                utcnow(),
            )
            db.session.commit()
        log.error("job %s failed: %s", job_id, reason)
    db.session.rollback()


def render_job(job_id: int) -> Publication:
    """In the child process: build the context, render, keep the file, mark the job done."""
    from publications import context, render

    job = db.session.get(PublicationJob, job_id)
    workshop = db.session.get(Workshop, job.workshop_id)
    started = time.perf_counter()
    data = (
        context.report_context(workshop.id)
        if job.kind == "report"
        else context.booklet_context(workshop.id, job.edition.split("+"))
    )
    _progress(job_id, 30)
    pdf = render.render_pdf(job.kind, data)
    _progress(job_id, 90)
    with writing():
        publication = keep(
            workshop, job.kind, job.edition, pdf, job.requested_by_id, time.perf_counter() - started
        )
        job = db.session.get(PublicationJob, job_id)
        job.state, job.progress, job.finished_at, job.publication_id = (
            "done",
            100,
            utcnow(),
            publication.id,
        )
        db.session.commit()
    return publication


def _progress(job_id: int, percent: int) -> None:
    with writing():
        db.session.execute(
            sa.update(PublicationJob).where(PublicationJob.id == job_id).values(progress=percent)
        )
        db.session.commit()


def keep(
    workshop: Workshop, kind: str, edition: str, pdf: bytes, account_id, seconds: float
) -> Publication:
    """Store a rendered PDF under its hash and record it. Flushes, never commits."""
    import io

    from pypdf import PdfReader

    digest = hashlib.sha256(pdf).hexdigest()
    folder = Path(current_app.config["PONTE_FILES_DIR"]) / "publications"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}.pdf"
    path.write_bytes(pdf)
    publication = Publication(
        workshop_id=workshop.id,
        kind=kind,
        edition=edition,
        path=str(path),
        sha256=digest,
        size=len(pdf),
        pages=len(PdfReader(io.BytesIO(pdf)).pages),
        seconds=round(seconds, 2),
        made_by_id=account_id,
    )
    db.session.add(publication)
    db.session.flush()
    return publication


def work_forever(poll_seconds: float = 1.0, once: bool = False) -> None:
    """The worker's loop: claim, render, repeat."""
    with writing():  # jobs a stopped worker left half done will not finish by themselves
        db.session.execute(
            sa.update(PublicationJob)
            .where(PublicationJob.state == "running")
            .values(state="failed", error="The worker stopped during the render. Ask again.")
        )
        db.session.commit()
    while True:
        job = claim_next()
        if job is not None:
            log.info("rendering job %s: %s %s", job.id, job.kind, job.edition)
            run(job)
            continue
        if once:
            return
        time.sleep(poll_seconds)
