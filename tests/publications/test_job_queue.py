"""Publication jobs through a real Redis (RQ): announced by the web process, taken by
``flask worker`` with PONTE_REDIS_URL, run once; and jobs a dead worker left behind."""

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from redis import Redis
from rq import Queue

from ponte.extensions import db
from publications import jobs
from publications.models import Publication, PublicationJob
from tests.servers import RedisServer, free_port
from workshops.models import utcnow


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app(make_app, redis_server):
    Redis.from_url(redis_server.url).flushdb()
    app = make_app()
    # Set after create_app: given at creation it would also turn on Socket.IO's message
    # queue, on the one Flask-SocketIO object every test's app shares. Jobs read it per call.
    app.config["PONTE_REDIS_URL"] = redis_server.url
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def queue(redis_server):
    return Queue(jobs.QUEUE_NAME, connection=Redis.from_url(redis_server.url))


def _ask(client, workshop_id, kind, edition):
    return client.post(
        f"/workshops/{workshop_id}/publications", data={"kind": kind, "edition": edition}
    )


def test_a_job_goes_through_redis_and_an_rq_worker_renders_it_once(
    client, demo, login, worker, queue
):
    login("staff")
    assert _ask(client, demo["workshop_id"], "booklet", "it").status_code == 302
    job = db.session.scalar(sa.select(PublicationJob))
    assert job.state == "queued"
    assert queue.job_ids == [f"publication-{job.id}"]  # announced on the Redis queue
    jobs.dispatch(job)  # announced twice (a retry, a second web process): still one render
    assert queue.count == 2

    worker()
    db.session.refresh(job)
    assert job.state == "done", job.error
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Publication)) == 1
    assert queue.count == 0
    pdf = Path(db.session.get(Publication, job.publication_id).path).read_bytes()
    assert pdf.startswith(b"%PDF")


def test_a_job_asked_while_redis_is_down_waits_and_the_next_worker_takes_it(
    redis_server, demo, login, client, app, worker, queue
):
    login("staff")
    app.config["PONTE_REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nobody listens
    assert _ask(client, demo["workshop_id"], "report", "it").status_code == 302  # no 500
    job = db.session.scalar(sa.select(PublicationJob))
    assert job.state == "queued" and queue.count == 0  # safe in the database only

    app.config["PONTE_REDIS_URL"] = redis_server.url
    worker()  # a worker's start announces the rows still queued
    db.session.refresh(job)
    assert job.state == "done", job.error


def test_a_worker_fails_only_jobs_abandoned_past_the_time_limit(app, demo):
    long_ago = utcnow() - timedelta(seconds=jobs.ABANDONED_AFTER_SECONDS + 5)
    abandoned, running = (
        PublicationJob(
            workshop_id=demo["workshop_id"],
            kind="report",
            language="it",
            edition="it",
            state="running",
            started_at=started,
        )
        for started in (long_ago, utcnow())  # the second is another worker's, rendering now
    )
    db.session.add_all([abandoned, running])
    db.session.commit()

    assert jobs.fail_abandoned() == 1
    db.session.expire_all()
    assert abandoned.state == "failed" and "stopped" in abandoned.error
    assert running.state == "running"
