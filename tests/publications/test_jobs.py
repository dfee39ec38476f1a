"""The staff page queues a job; the worker renders it in a child process; staff download it."""

import hashlib
from pathlib import Path

import sqlalchemy as sa

from ponte.extensions import db
from publications.models import Publication, PublicationJob
from workshops.models import ProcessTrainer


def _ask(client, workshop_id, kind, edition):
    return client.post(
        f"/workshops/{workshop_id}/publications",
        data={"kind": kind, "edition": edition, "csrf_token": "unused-in-tests"},
    )


def test_a_requested_booklet_is_rendered_kept_and_downloaded(client, demo, login, worker):
    login("staff")
    workshop_id = demo["workshop_id"]
    response = _ask(client, workshop_id, "booklet", "it+en")
    assert response.status_code == 302
    job = db.session.scalar(sa.select(PublicationJob))
    assert (job.state, job.kind, job.edition) == ("queued", "booklet", "it+en")
    status = client.get(f"/api/publication-jobs/{job.id}").get_json()
    assert status["state"] == "queued"

    worker()
    db.session.refresh(job)
    assert job.state == "done", job.error
    assert job.progress == 100
    publication = db.session.get(Publication, job.publication_id)
    data = Path(publication.path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == publication.sha256
    assert publication.size == len(data) and publication.pages > 4

    status = client.get(f"/api/publication-jobs/{job.id}").get_json()
    assert (status["state"], status["publication_id"]) == ("done", publication.id)
    download = client.get(f"/publications/{publication.id}/download")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert hashlib.sha256(download.data).hexdigest() == publication.sha256
    page = client.get(f"/workshops/{workshop_id}/publications").get_data(as_text=True)
    assert f"/publications/{publication.id}/download" in page
    assert publication.sha256[:12] in page


def test_staff_can_ask_for_the_report(client, demo, login):
    login("staff")
    assert _ask(client, demo["workshop_id"], "report", "it").status_code == 302
    assert db.session.scalar(sa.select(PublicationJob.kind)) == "report"


def test_a_trainer_may_not_make_or_download_the_report(client, demo, login, tmp_path):
    trainer = login("trainer")
    assert _ask(client, demo["workshop_id"], "report", "it").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PublicationJob)) == 0
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    report = Publication(
        workshop_id=demo["workshop_id"],
        kind="report",
        edition="it",
        path=str(pdf),
        sha256="0" * 64,
        size=8,
        pages=1,
        seconds=0.1,
    )
    db.session.add(report)
    db.session.commit()
    assert client.get(f"/publications/{report.id}/download").status_code == 403
    assert (
        client.get(f"/workshops/{demo['workshop_id']}/publications/preview/report").status_code
        == 403
    )
    # a trainer of the team may put a booklet into it; one who is not on it does not see it
    assert _ask(client, demo["workshop_id"], "booklet", "en").status_code == 302
    db.session.execute(sa.delete(ProcessTrainer).where(ProcessTrainer.account_id == trainer.id))
    db.session.commit()
    assert _ask(client, demo["workshop_id"], "booklet", "en").status_code == 404
    # the process's own trainer may
    client.post("/logout")
    client.post("/login", data=demo["facilitator"])
    assert _ask(client, demo["workshop_id"], "booklet", "en").status_code == 302


def test_an_edition_outside_the_process_languages_is_refused(client, demo, login):
    login("staff")
    response = _ask(client, demo["workshop_id"], "booklet", "fr")
    assert response.status_code == 200
    assert "An edition is one or two of the process languages" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PublicationJob)) == 0


def test_a_render_that_fails_is_recorded_as_failed_and_the_worker_goes_on(
    client, demo, login, worker
):
    login("staff")
    _ask(client, demo["workshop_id"], "booklet", "it")
    _ask(client, demo["workshop_id"], "booklet", "en")
    broken, fine = db.session.scalars(sa.select(PublicationJob).order_by(PublicationJob.id)).all()
    broken.kind = "poster"  # no such template: the child process fails
    db.session.commit()
    db.session.remove()
    worker()
    broken, fine = db.session.scalars(sa.select(PublicationJob).order_by(PublicationJob.id)).all()
    assert broken.state == "failed" and broken.error and broken.finished_at
    assert fine.state == "done" and fine.publication_id
    status = client.get(f"/api/publication-jobs/{broken.id}").get_json()
    assert status["state"] == "failed" and status["error"]


def test_a_kept_pdf_is_found_by_its_hash_after_the_files_move(
    app, client, demo, login, worker, tmp_path
):
    login("staff")
    _ask(client, demo["workshop_id"], "report", "it")
    worker()
    publication = db.session.scalar(sa.select(Publication))
    moved = tmp_path / "moved-files"
    (moved / "publications").mkdir(parents=True)
    old = Path(publication.path)
    (moved / "publications" / old.name).write_bytes(old.read_bytes())
    old.unlink()
    app.config["PONTE_FILES_DIR"] = str(moved)
    download = client.get(f"/publications/{publication.id}/download")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    (moved / "publications" / old.name).unlink()
    assert client.get(f"/publications/{publication.id}/download").status_code == 404
