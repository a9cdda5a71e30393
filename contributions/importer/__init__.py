"""Import of employers' monthly contribution reports from CSV files.

One path on both databases, in three steps: parse (the rows as text into a
staging table: COPY on PostgreSQL, the csv module on SQLite), validate (one SQL
statement finds the invalid lines; Python words why) and load (a set-based
upsert). Memory stays flat and nothing is written unless every row is valid.
"""

from collections.abc import Callable
from pathlib import Path

from django.db import connection, transaction

from audit.services import audit_record
from contributions.importer import parse
from contributions.importer.load import count_changes, mark_figures_stale, upsert
from contributions.importer.schema import (
    COLUMNS,
    MAX_ERRORS,
    STAGING,
    ImportReport,
    Refused,
)
from contributions.importer.validate import invalid_lines

__all__ = ["COLUMNS", "MAX_ERRORS", "ImportReport", "contributions_import"]


def contributions_import(
    *, path: Path, dry_run: bool, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Add or update contributions from an employers' report file (CSV).

    The columns are COLUMNS, in that order, under a header row that names them.
    All or nothing: if any row is invalid, nothing is written and the report
    lists the first MAX_ERRORS invalid lines (the header is line 1). A row adds
    the (member, employer, period) contribution, or updates it when its figures
    differ, so importing the same file again changes nothing. With `dry_run`
    the report counts what would change and nothing is written. `progress` is
    called with the number of rows read every PROGRESS_EVERY rows or so.
    """
    with path.open("rb") as file:
        try:
            parse.check_header(file)
            with transaction.atomic(), connection.cursor() as cursor:
                report = ImportReport(rows=parse.stage(cursor, file, progress))
                report.errors = invalid_lines(cursor)
                if report.succeeded:
                    _load(cursor, report, dry_run=dry_run, name=path.name)
                # ON COMMIT comes late when the caller's transaction encloses ours.
                cursor.execute(f"DROP TABLE {STAGING}")
        except Refused as refused:
            return ImportReport(errors=[(refused.line, refused.reason)])
    return report


def _load(cursor, report: ImportReport, *, dry_run: bool, name: str) -> None:
    if dry_run:
        report.inserted, report.updated = count_changes(cursor)
    else:
        report.inserted, report.updated = upsert(cursor)
        if report.inserted or report.updated:
            mark_figures_stale(cursor)
        audit_record(
            action="contributions.imported",
            data={
                "file": name,
                "rows": report.rows,
                "inserted": report.inserted,
                "updated": report.updated,
            },
        )
    report.unchanged = report.rows - report.inserted - report.updated
