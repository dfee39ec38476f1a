"""Copy every row of Ponte's database into another, empty one: SQLite -> PostgreSQL when a
region outgrows one machine (``flask --app app copy-database postgresql+psycopg://...``).

The target gets the schema from the migrations first, so it is exactly what ``db upgrade``
makes; the rows follow table by table, parents first, in batches; PostgreSQL's id sequences
then continue after the copied ids. Stop Ponte (web and worker) while it runs.
"""

from collections.abc import Callable

import sqlalchemy as sa
from flask import current_app
from flask_migrate import upgrade

from ponte.extensions import db

BATCH = 1000


class CopyRefused(Exception):
    """The target is not an empty database of a kind Ponte runs on."""


def copy_database(target_url: str, say: Callable[[str], None] = print) -> dict[str, int]:
    """Copy the app's database into ``target_url``; return the rows copied per table."""
    from app import create_app

    if not target_url.startswith(("postgresql", "sqlite")):
        raise CopyRefused("The target must be a postgresql+psycopg:// or sqlite:/// URL.")
    if target_url == current_app.config["SQLALCHEMY_DATABASE_URI"]:
        raise CopyRefused("The target is the database Ponte is using.")
    source = db.engine
    target_app = create_app({"SQLALCHEMY_DATABASE_URI": target_url})
    with target_app.app_context():
        upgrade()  # the schema, by the same migrations as everywhere
        target = db.engine
        tables = db.metadata.sorted_tables  # parents before children
        with target.connect() as check:
            filled = [
                t.name for t in tables if check.scalar(sa.select(sa.func.count()).select_from(t))
            ]
        if filled:
            raise CopyRefused(f"The target already holds data ({', '.join(filled)}).")
        copied = {}
        with source.connect() as reader, target.begin() as writer:
            for table in tables:
                copied[table.name] = _copy_table(table, reader, writer)
                say(f"{table.name}: {copied[table.name]} rows")
            if target.dialect.name == "postgresql":
                _continue_sequences(writer, tables)
        target.dispose()
    return copied


def _copy_table(table: sa.Table, reader, writer) -> int:
    order = list(table.primary_key.columns) or list(table.columns)
    rows = reader.execution_options(yield_per=BATCH).execute(sa.select(table).order_by(*order))
    count = 0
    for batch in rows.mappings().partitions(BATCH):
        writer.execute(table.insert(), [dict(row) for row in batch])
        count += len(batch)
    return count


def _continue_sequences(writer, tables: list[sa.Table]) -> None:
    """New rows on PostgreSQL take ids after the copied ones."""
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is False or not isinstance(column.type, sa.Integer):
                continue
            writer.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                    f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 1), '
                    f'(SELECT MAX("{column.name}") FROM "{table.name}") IS NOT NULL)'
                ),
                {"table": f'"{table.name}"', "column": column.name},
            )
