"""The one seam for background work: publication jobs, run by the worker process.

The web process writes a ``queued`` row and, once it is committed, ``dispatch``es it.
``flask --app app worker`` renders jobs one by one, each in a child process with a time and
memory limit, so a WeasyPrint render (seconds of CPU) never stalls the tablets, and a runaway
one is killed. The row is the truth (state, progress, result); how workers hear of it:

- one machine (no ``PONTE_REDIS_URL``): the worker polls the table for queued rows;
- several machines (``PONTE_REDIS_URL``): ``dispatch`` puts the job id on an RQ queue in
  Redis and ``flask worker`` runs RQ workers; any number of them, on any machine.

Either way a job is claimed atomically (``queued`` -> ``running``), so it runs once even if
it was announced twice.
"""

import hashlib
import logging
import os
import resource
import subprocess
import sys
import threading
import time
from datetime import timedelta
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
# A job still "running" this long after it started has lost its worker (killed, machine
# down): no render lives longer, the child is killed at TIME_LIMIT_SECONDS.
ABANDONED_AFTER_SECONDS = TIME_LIMIT_SECONDS + 60
QUEUE_NAME = "ponte-publications"
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
    if kind == "report" and len(languages) > 1:
        raise PonteError("invalid_edition", _("A report is in one language."))
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


def dispatch(job: PublicationJob) -> None:
    """Tell the workers about a committed job: through Redis (RQ) when configured.

    Without Redis the worker finds the row by itself. If Redis cannot be reached the row
    stays queued and a worker takes it when it starts (``announce_queued``).
    """
    url = current_app.config.get("PONTE_REDIS_URL")
    if not url:
        return
    try:
        _rq_queue(url).enqueue(
            run_queued,
            job.id,
            job_id=f"publication-{job.id}",
            job_timeout=ABANDONED_AFTER_SECONDS,
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
        )
    except Exception:  # the job is safe in the database; a worker's start announces it
        log.exception("could not put job %s on the Redis queue", job.id)


def _rq_queue(url: str):
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(url))


def run_queued(job_id: int) -> None:
    """What an RQ worker runs for a job id: claim it (if nobody has), render it."""
    job = claim(job_id)
    if job is None:
        log.info("job %s was already taken", job_id)
        return
    log.info("rendering job %s: %s %s", job.id, job.kind, job.edition)
    run(job)


def claim(job_id: int) -> PublicationJob | None:
    """Take one queued job (atomically: two workers never take the same)."""
    with writing():
        claimed = db.session.execute(
            sa.update(PublicationJob)
            .where(PublicationJob.id == job_id, PublicationJob.state == "queued")
            .values(state="running", started_at=utcnow(), progress=5)
        ).rowcount
        db.session.commit()
    return db.session.get(PublicationJob, job_id) if claimed else None


def claim_next() -> PublicationJob | None:
    """Take the oldest queued job, if any."""
    while True:
        job_id = db.session.scalar(
            sa.select(PublicationJob.id)
            .where(PublicationJob.state == "queued")
            .order_by(PublicationJob.id)
            .limit(1)
        )
        db.session.rollback()
        if job_id is None:
            return None
        job = claim(job_id)
        if job is not None:
            return job  # else another worker took it first: look again


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
    from publications import render

    job = db.session.get(PublicationJob, job_id)
    workshop = db.session.get(Workshop, job.workshop_id)
    started = time.perf_counter()
    pdf = render.publication_pdf(
        job.kind,
        workshop.id,
        job.edition.split("+"),
        progress=lambda percent: _progress(job_id, percent),
    )
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


def fail_abandoned(now=None) -> int:
    """Mark failed the jobs whose worker stopped during the render (they never finish)."""
    cutoff = (now or utcnow()) - timedelta(seconds=ABANDONED_AFTER_SECONDS)
    with writing():
        failed = db.session.execute(
            sa.update(PublicationJob)
            .where(PublicationJob.state == "running", PublicationJob.started_at < cutoff)
            .values(state="failed", error="The worker stopped during the render. Ask again.")
        ).rowcount
        db.session.commit()
    return failed


def announce_queued() -> int:
    """Put every queued row on the Redis queue again (a dispatch may have been lost)."""
    job_ids = db.session.scalars(
        sa.select(PublicationJob.id)
        .where(PublicationJob.state == "queued")
        .order_by(PublicationJob.id)
    ).all()
    db.session.rollback()
    for job_id in job_ids:
        dispatch(db.session.get(PublicationJob, job_id))
    db.session.rollback()
    return len(job_ids)


def work_forever(poll_seconds: float = 1.0, once: bool = False) -> None:
    """The worker: through Redis (RQ) when PONTE_REDIS_URL is set, else polling the table."""
    fail_abandoned()
    if not once:
        _watch_abandoned(current_app._get_current_object())
    url = current_app.config.get("PONTE_REDIS_URL")
    if url:
        _work_from_redis(url, once)
    else:
        _work_from_table(poll_seconds, once)


def _watch_abandoned(app, every_seconds: float = 60.0) -> None:
    """Every minute, fail the jobs another worker left running when it died."""

    def watch():
        while True:
            time.sleep(every_seconds)
            try:
                with app.app_context():
                    if failed := fail_abandoned():
                        log.warning("%s abandoned job(s) marked failed", failed)
            except Exception:
                log.exception("could not look for abandoned jobs")

    threading.Thread(target=watch, name="abandoned-jobs", daemon=True).start()


def _work_from_redis(url: str, once: bool) -> None:
    """An RQ worker in this process (the render itself runs in a limited child).

    RQ's SimpleWorker runs each job here, in the app context, instead of forking a copy of the
    process with its database connections; ``run`` already isolates the render.
    """
    from rq import SimpleWorker

    queue = _rq_queue(url)
    announce_queued()
    SimpleWorker([queue], connection=queue.connection).work(burst=once, logging_level="INFO")


def _work_from_table(poll_seconds: float, once: bool) -> None:
    while True:
        job = claim_next()
        if job is not None:
            log.info("rendering job %s: %s %s", job.id, job.kind, job.edition)
            run(job)
            continue
        if once:
            return
        time.sleep(poll_seconds)
