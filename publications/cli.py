"""``flask publish``, ``flask worker`` and the worker's own ``flask render-job``."""

import time
from pathlib import Path

import click

from ponte.extensions import db


@click.command("publish")
@click.argument("kind", type=click.Choice(["report", "booklet"]))
@click.option("--workshop", "workshop_id", type=int, required=True)
@click.option("--lang", "edition", default="it", show_default=True, help="it, en… or it+en")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def publish(kind: str, workshop_id: int, edition: str, out: Path) -> None:
    """Render the report (in one language) or a booklet edition of a process to a PDF file,
    right here."""
    from publications import jobs, render
    from workshops.models import Workshop

    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        raise click.ClickException(f"No process {workshop_id}.")
    languages = jobs.parse_edition(workshop, edition)
    if kind == "report" and len(languages) > 1:
        raise click.ClickException("A report is in one language: --lang it, en…")
    started = time.perf_counter()
    out.write_bytes(render.publication_pdf(kind, workshop.id, languages))
    click.echo(f"{out} ({out.stat().st_size // 1024} KB, {time.perf_counter() - started:.1f} s)")


@click.command("worker")
@click.option("--once", is_flag=True, help="Render what is queued, then stop.")
def worker(once: bool) -> None:
    """Run the publication worker: renders queued reports and booklets, one at a time."""
    from publications import jobs

    jobs.work_forever(once=once)


@click.command("render-job", hidden=True)
@click.argument("job_id", type=int)
def render_job(job_id: int) -> None:
    """Render one job (the worker runs this in a limited child process)."""
    from publications import jobs

    jobs.render_job(job_id)


@click.command("export")
@click.option("--workshop", "workshop_id", type=int, required=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="FILE.xlsx (one workbook) or FILE.zip (CSV files)",
)
@click.option("--names", is_flag=True, help="Name those who agreed to be quoted by name.")
def export(workshop_id: int, out: Path, names: bool) -> None:
    """Export a process's notes, prototypes, commitments, attendance and figures."""
    from publications import exports
    from workshops.models import Workshop

    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        raise click.ClickException(f"No process {workshop_id}.")
    makers = {".xlsx": exports.as_xlsx, ".zip": exports.as_zip}
    if out.suffix not in makers:
        raise click.ClickException("--out must end in .xlsx or .zip")
    out.write_bytes(makers[out.suffix](workshop, names=names))
    click.echo(f"{out} ({out.stat().st_size // 1024} KB)")
