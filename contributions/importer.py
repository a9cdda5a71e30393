"""Import of employers' monthly contribution reports from CSV files.

On PostgreSQL the file goes through COPY into a temporary table and is checked
and upserted by a few set-based statements; on SQLite, the zero-setup
development database, it is streamed through the ORM in batches. Either way
memory stays flat and nothing is written unless every row is valid.
"""

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from types import SimpleNamespace
from typing import BinaryIO

import psycopg
from django.db import connection, transaction

from accounts.models import Member
from audit.services import audit_record
from contributions.figures import figures_changed
from contributions.models import Contribution, Employer

COLUMNS = (
    "npp",
    "kpj",
    "nik",
    "period",
    "wage",
    *Contribution.AMOUNT_FIELDS,
    "jkp",
    "paid_date",
)
MONEY_COLUMNS = ("wage", *Contribution.AMOUNT_FIELDS)
# Contribution fields an import sets, besides the (member, employer, period) key.
VALUE_FIELDS = (*MONEY_COLUMNS, "paid_date")
# Errors kept for the report; a file with more is refused all the same.
MAX_ERRORS = 50
PROGRESS_EVERY = 100_000

# The SQL checks use these same patterns, so both databases refuse the same rows.
PERIOD_PATTERN = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$"
RUPIAH_PATTERN = r"^[0-9]+$"
RUPIAH_MAX_DIGITS = 18  # always fits a bigint
DATE_PATTERN = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
# Employers pay nothing for JKP (PP 37/2021 art. 11; PP 6/2025): the column is
# kept so reports in the usual layout still read, and must be 0 or empty. A
# figure there would be a payment that does not exist, so the file is refused.
NO_JKP_PATTERN = r"^0*$"

NOT_UTF8 = "not valid UTF-8"
_SQLITE_BATCH = 2000
_HEADER_MAX_BYTES = 1024
_COPY_CHUNK_BYTES = 1 << 20
_STAGING = "contributions_import_staging"
_SEEN = "contributions_import_seen"


@dataclass
class ImportReport:
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return not self.errors


class _Refused(Exception):
    """The file cannot be read any further: one error ends the import."""

    def __init__(self, line: int, reason: str):
        super().__init__(line, reason)
        self.line = line
        self.reason = reason


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
    load = _load_postgresql if connection.vendor == "postgresql" else _load_in_batches
    with path.open("rb") as file:
        try:
            _check_header(file)
            with transaction.atomic():
                report = load(file, dry_run=dry_run, progress=progress)
                if report.succeeded and not dry_run:
                    audit_record(
                        action="contributions.imported",
                        data={
                            "file": path.name,
                            "rows": report.rows,
                            "inserted": report.inserted,
                            "updated": report.updated,
                        },
                    )
                else:
                    transaction.set_rollback(True)
        except _Refused as refused:
            return ImportReport(errors=[(refused.line, refused.reason)])
    return report


def _check_header(file: BinaryIO) -> None:
    # Bounded, so a file without line breaks is not read whole.
    line = file.readline(_HEADER_MAX_BYTES)
    try:
        text = line.decode("utf-8-sig")  # spreadsheets often start with a BOM
    except UnicodeDecodeError:
        raise _Refused(1, NOT_UTF8) from None
    if tuple(next(csv.reader([text]), [])) != COLUMNS:
        raise _Refused(
            1, f'the header must be "{",".join(COLUMNS)}", not "{text.strip()}"'
        )


def _problems(
    row: list[str],
    *,
    employer_known: bool,
    member_nik: str | None,
    first_line: int | None,
) -> list[str]:
    """Why a row of 13 fields is refused, given what the database knows of it.

    Both databases use this, so they word every reason the same way.
    """
    npp, kpj, nik, period, *money, jkp, paid_date = row
    problems = []
    if not employer_known:
        problems.append(f'no employer with NPP "{npp}"')
    if member_nik is None:
        problems.append(f'no member with KPJ "{kpj}"')
    elif member_nik != nik:
        problems.append("NIK does not match the member with this KPJ")
    if not re.fullmatch(PERIOD_PATTERN, period):
        problems.append(f'period must be YYYY-MM with a real month, not "{period}"')
    for column, value in zip(MONEY_COLUMNS, money, strict=True):
        if not re.fullmatch(RUPIAH_PATTERN, value) or len(value) > RUPIAH_MAX_DIGITS:
            problems.append(
                f"{column} must be a whole number of rupiah, 0 or more, "
                f'without separators, not "{value}"'
            )
    if not re.fullmatch(NO_JKP_PATTERN, jkp):
        problems.append(
            f'jkp must be 0 or empty, not "{jkp}": employers pay nothing for JKP '
            "(PP 37/2021 art. 11, PP 6/2025)"
        )
    if paid_date and not _is_date(paid_date):
        problems.append(f'paid_date must be YYYY-MM-DD or empty, not "{paid_date}"')
    if first_line is not None:
        problems.append(f"same NPP, KPJ and period as line {first_line}")
    return problems


def _is_date(value: str) -> bool:
    if not re.fullmatch(DATE_PATTERN, value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:  # 30 February and the like
        return False
    return True


def _report_progress(
    progress: Callable[[int], None] | None, before: int, after: int
) -> None:
    if progress and after // PROGRESS_EVERY > before // PROGRESS_EVERY:
        progress(after)


# --- PostgreSQL: COPY into a staging table, then set-based SQL -----------------


def _load_postgresql(
    file: BinaryIO, *, dry_run: bool, progress: Callable[[int], None] | None
) -> ImportReport:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {_STAGING} ("
            # COPY keeps the file's order; line 1 is the header.
            "line bigint GENERATED ALWAYS AS IDENTITY (START WITH 2), "
            + ", ".join(f"{column} text" for column in COLUMNS)
            + ") ON COMMIT DROP"
        )
        report = ImportReport(rows=_copy(cursor, file, progress))
        report.errors = _errors(cursor)
        if report.succeeded:
            cursor.execute(_count_sql() if dry_run else _upsert_sql())
            report.inserted, report.updated = cursor.fetchone()
            if not dry_run and (report.inserted or report.updated):
                cursor.execute(_figures_changed_sql())
            report.unchanged = report.rows - report.inserted - report.updated
        # ON COMMIT comes late when the caller's transaction encloses ours.
        cursor.execute(f"DROP TABLE {_STAGING}")
    return report


def _copy(cursor, file: BinaryIO, progress: Callable[[int], None] | None) -> int:
    """Stream the rest of the file into the staging table; the rows copied."""
    columns = ", ".join(COLUMNS)
    statement = (
        f"COPY {_STAGING} ({columns}) FROM STDIN "
        # Empty fields are '' as in the csv module, not NULL.
        f"WITH (FORMAT csv, FORCE_NOT_NULL ({columns}))"
    )
    lines = 0
    try:
        with cursor.copy(statement) as copy:
            while chunk := file.read(_COPY_CHUNK_BYTES):
                copy.write(chunk)
                read, lines = lines, lines + chunk.count(b"\n")
                _report_progress(progress, read, lines)
    except psycopg.DataError as error:
        raise _Refused(*_copy_error(error)) from None
    return cursor.rowcount


def _copy_error(error: psycopg.DataError) -> tuple[int, str]:
    """The file line and reason of a row COPY could not read."""
    copied = re.search(r"line (\d+)", error.diag.context or "")
    line = int(copied.group(1)) + 1 if copied else 0
    if isinstance(error, psycopg.errors.CharacterNotInRepertoire):
        return line, NOT_UTF8
    return line, f"not a valid CSV row: {error.diag.message_primary}"


def _names() -> SimpleNamespace:
    """Quoted table and column names, read from the models."""
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    return SimpleNamespace(
        member=quote(Member._meta.db_table),
        member_pk=column(Member, "id"),
        figures_version=column(Member, "figures_version"),
        kpj=column(Member, "kpj_number"),
        nik=column(Member, "nik"),
        employer=quote(Employer._meta.db_table),
        employer_pk=column(Employer, "id"),
        npp=column(Employer, "npp"),
        contribution=quote(Contribution._meta.db_table),
        contribution_pk=column(Contribution, "id"),
        key=[column(Contribution, name) for name in ("member", "employer", "period")],
        values=[column(Contribution, name) for name in VALUE_FIELDS],
    )


def _errors(cursor) -> list[tuple[int, str]]:
    """The first invalid lines of the staging table and why each is refused."""
    db = _names()
    bad_money = " OR ".join(
        f"{column} !~ %(rupiah)s OR length({column}) > {RUPIAH_MAX_DIGITS}"
        for column in MONEY_COLUMNS
    )
    cursor.execute(
        f"""
        WITH repeated AS (
            SELECT npp, kpj, period, min(line) AS first_line
            FROM {_STAGING}
            GROUP BY npp, kpj, period
            HAVING count(*) > 1
        ),
        checked AS (
            SELECT s.*,
                e.{db.employer_pk} IS NOT NULL AS employer_known,
                m.{db.nik} AS member_nik,
                CASE WHEN r.first_line < s.line THEN r.first_line END AS first_line,
                CASE
                    WHEN s.paid_date = '' THEN true
                    WHEN s.paid_date !~ %(date)s THEN false
                    WHEN right(s.paid_date, 2) <= '28' THEN true
                    -- The 29th to 31st: no later than the month's last day.
                    ELSE right(s.paid_date, 2)::int <= extract(day FROM
                        (left(s.paid_date, 8) || '01')::date
                        + interval '1 month - 1 day')
                END AS paid_date_valid
            FROM {_STAGING} AS s
            LEFT JOIN {db.employer} AS e ON e.{db.npp} = s.npp
            LEFT JOIN {db.member} AS m ON m.{db.kpj} = s.kpj
            LEFT JOIN repeated AS r
                ON (r.npp, r.kpj, r.period) = (s.npp, s.kpj, s.period)
        )
        SELECT line, {", ".join(COLUMNS)}, employer_known, member_nik, first_line
        FROM checked
        WHERE NOT employer_known
            OR member_nik IS DISTINCT FROM nik
            OR period !~ %(period)s
            OR {bad_money}
            OR jkp !~ %(no_jkp)s
            OR NOT paid_date_valid
            OR first_line IS NOT NULL
        ORDER BY line
        LIMIT {MAX_ERRORS}
        """,  # noqa: S608 -- names from the models and constants only  # nosec B608
        {
            "period": PERIOD_PATTERN,
            "rupiah": RUPIAH_PATTERN,
            "date": DATE_PATTERN,
            "no_jkp": NO_JKP_PATTERN,
        },
    )
    errors = []
    for line, *row, employer_known, member_nik, first_line in cursor.fetchall():
        problems = _problems(
            row,
            employer_known=employer_known,
            member_nik=member_nik,
            first_line=first_line,
        )
        errors.append((line, "; ".join(problems)))
    return errors


def _changes_sql(db: SimpleNamespace) -> str:
    """Two CTEs: `incoming`, the (valid) staging rows as contribution values, and
    `changes`, those of them that are new or differ from the stored ones."""
    columns = ", ".join(db.key + db.values)
    money = "".join(f"s.{column}::bigint, " for column in MONEY_COLUMNS)
    same_key = " AND ".join(f"c.{column} = i.{column}" for column in db.key)
    old = ", ".join(f"c.{column}" for column in db.values)
    new = ", ".join(f"i.{column}" for column in db.values)
    return f"""
        incoming ({columns}) AS (
            SELECT m.{db.member_pk}, e.{db.employer_pk}, (s.period || '-01')::date,
                {money}nullif(s.paid_date, '')::date
            FROM {_STAGING} AS s
            JOIN {db.employer} AS e ON e.{db.npp} = s.npp
            JOIN {db.member} AS m ON m.{db.kpj} = s.kpj
        ),
        changes AS (
            SELECT i.*, c.{db.contribution_pk} IS NULL AS is_new
            FROM incoming AS i
            LEFT JOIN {db.contribution} AS c ON {same_key}
            WHERE c.{db.contribution_pk} IS NULL OR ({old}) IS DISTINCT FROM ({new})
        )
    """  # noqa: S608 -- names from the models and constants only  # nosec B608


def _count_sql() -> str:
    """What _upsert_sql would do, without writing: (inserted, updated)."""
    return f"""
        WITH {_changes_sql(_names())}
        SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new)
        FROM changes
    """  # noqa: S608 -- names from the models and constants only  # nosec B608


def _figures_changed_sql() -> str:
    """The cached figures of the file's members are stale (contributions.figures).

    Every member in the file, changed or not: returning the changed rows' members
    from the upsert cost a fifth of the import's speed (make bench).
    """
    db = _names()
    return f"""
        UPDATE {db.member} SET {db.figures_version} = {db.figures_version} + 1
        WHERE {db.kpj} IN (SELECT kpj FROM {_STAGING})
    """  # noqa: S608 -- names from the models and constants only  # nosec B608


def _upsert_sql() -> str:
    """Insert the new rows and update the changed ones: (inserted, updated).

    Unchanged rows never reach the INSERT, which would lock each of them.
    """
    db = _names()
    columns = ", ".join(db.key + db.values)
    key = ", ".join(db.key)
    old = ", ".join(f"c.{column}" for column in db.values)
    new = ", ".join(f"EXCLUDED.{column}" for column in db.values)
    assignments = ", ".join(f"{column} = EXCLUDED.{column}" for column in db.values)
    return f"""
        WITH {_changes_sql(db)},
        upserted AS (
            INSERT INTO {db.contribution} AS c ({columns})
            SELECT {columns} FROM changes
            -- In index order, the index inserts touch far fewer pages.
            ORDER BY {key}
            -- A changed row meets its stored version here and updates it.
            ON CONFLICT ({key}) DO UPDATE SET {assignments}
                WHERE ({old}) IS DISTINCT FROM ({new})
            -- A row this statement inserted has no deleting transaction yet.
            RETURNING xmax = 0 AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
        FROM upserted
    """  # noqa: S608 -- names from the models and constants only  # nosec B608


# --- SQLite: the csv module and the ORM, batch by batch -------------------------


def _load_in_batches(
    file: BinaryIO, *, dry_run: bool, progress: Callable[[int], None] | None
) -> ImportReport:
    report = ImportReport()
    with connection.cursor() as cursor:
        # The keys read so far live in the database, not in memory, so that
        # repeats are found however long the file.
        cursor.execute(
            f"CREATE TEMP TABLE {_SEEN} "
            "(npp text, kpj text, period text, line integer, "
            "PRIMARY KEY (npp, kpj, period))"
        )
        rows = enumerate(csv.reader(_decoded_lines(file)), start=2)
        while batch := list(islice(rows, _SQLITE_BATCH)):
            valid = _check_batch(cursor, batch, report)
            # Once the file is refused, only its errors matter.
            if report.succeeded:
                _count_and_write(valid, report, write=not dry_run)
            read, report.rows = report.rows, report.rows + len(batch)
            _report_progress(progress, read, report.rows)
        cursor.execute(f"DROP TABLE {_SEEN}")
    if not report.succeeded:
        report.inserted = report.updated = report.unchanged = 0
    return report


def _decoded_lines(file: BinaryIO) -> Iterator[str]:
    """The file's lines as text, decoded one by one to name a bad line."""
    for number, line in enumerate(file, start=2):
        try:
            yield line.decode()
        except UnicodeDecodeError:
            raise _Refused(number, NOT_UTF8) from None


def _check_batch(
    cursor, batch: list[tuple[int, list[str]]], report: ImportReport
) -> list[tuple[tuple, tuple]]:
    """Add a batch's errors to the report; its valid rows as (key, values).

    A constant number of queries, whatever the batch's size.
    """
    complete = [row for _, row in batch if len(row) == len(COLUMNS)]
    members = {
        kpj: (pk, nik)
        for kpj, pk, nik in Member.objects.filter(
            kpj_number__in={row[1] for row in complete}
        ).values_list("kpj_number", "pk", "nik")
    }
    employers = dict(
        Employer.objects.filter(npp__in={row[0] for row in complete}).values_list(
            "npp", "pk"
        )
    )
    earlier = _earlier_lines(cursor, {(row[0], row[1], row[3]) for row in complete})
    first_lines: dict[tuple[str, str, str], int] = {}  # keys new in this batch
    valid = []
    for line, row in batch:
        if len(row) != len(COLUMNS):
            problems = [
                f"not a valid CSV row: expected {len(COLUMNS)} columns, "
                f"found {len(row)}"
            ]
        else:
            npp, kpj, _, period, *_ = row
            key = (npp, kpj, period)
            first_line = earlier.get(key) or first_lines.setdefault(key, line)
            member_pk, member_nik = members.get(kpj, (None, None))
            problems = _problems(
                row,
                employer_known=npp in employers,
                member_nik=member_nik,
                first_line=first_line if first_line != line else None,
            )
        if not problems:
            valid.append(_key_and_values(row, member_pk, employers[npp]))
        elif len(report.errors) < MAX_ERRORS:
            report.errors.append((line, "; ".join(problems)))
    cursor.executemany(
        f"INSERT INTO {_SEEN} (npp, kpj, period, line) "  # noqa: S608 -- no input  # nosec B608
        "VALUES (%s, %s, %s, %s)",
        [(*key, line) for key, line in first_lines.items()],
    )
    return valid


def _earlier_lines(
    cursor, keys: set[tuple[str, str, str]]
) -> dict[tuple[str, str, str], int]:
    """The line where each of these (npp, kpj, period) keys was first read."""
    if not keys:
        return {}
    batch = ", ".join(["(%s, %s, %s)"] * len(keys))
    # A join, not IN (VALUES ...), for which SQLite would scan the whole table.
    cursor.execute(
        "SELECT seen.npp, seen.kpj, seen.period, seen.line "  # noqa: S608 -- no input  # nosec B608
        f"FROM (VALUES {batch}) AS batch JOIN {_SEEN} AS seen "
        "ON (seen.npp, seen.kpj, seen.period) "
        "= (batch.column1, batch.column2, batch.column3)",
        [value for key in keys for value in key],
    )
    return {(npp, kpj, period): line for npp, kpj, period, line in cursor.fetchall()}


def _key_and_values(
    row: list[str], member_pk: int, employer_pk: int
) -> tuple[tuple, tuple]:
    """A valid row's (member, employer, period) key and its VALUE_FIELDS."""
    _, _, _, period, *money, _jkp, paid_date = row
    year, month = period.split("-")
    key = (member_pk, employer_pk, date(int(year), int(month), 1))
    paid = date.fromisoformat(paid_date) if paid_date else None
    return key, (*map(int, money), paid)


def _count_and_write(
    rows: list[tuple[tuple, tuple]], report: ImportReport, *, write: bool
) -> None:
    """Count new, changed and unchanged rows; write the new and changed ones."""
    stored = {
        row[:3]: row[3:]
        for row in Contribution.objects.filter(
            member_id__in={key[0] for key, _ in rows},
            employer_id__in={key[1] for key, _ in rows},
            period__in={key[2] for key, _ in rows},
        ).values_list("member_id", "employer_id", "period", *VALUE_FIELDS)
    }
    changed = []
    for key, values in rows:
        if key not in stored:
            report.inserted += 1
        elif stored[key] != values:
            report.updated += 1
        else:
            report.unchanged += 1
            continue
        member_pk, employer_pk, period = key
        changed.append(
            Contribution(
                member_id=member_pk,
                employer_id=employer_pk,
                period=period,
                **dict(zip(VALUE_FIELDS, values, strict=True)),
            )
        )
    if write and changed:
        Contribution.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["member", "employer", "period"],
            update_fields=VALUE_FIELDS,
        )
        figures_changed({row.member_id for row in changed})
