"""Reading a report: its header, then every row as text into the staging table.

Nothing is judged here but the file's shape (UTF-8, CSV, 13 columns): what
the rows say is validate.py's. PostgreSQL reads the file itself with COPY;
SQLite, the zero-setup development database, gets it through the csv module
in batches. Either way memory stays flat, however long the file.
"""

import csv
import re
from collections.abc import Callable, Iterator
from itertools import islice
from typing import BinaryIO

import psycopg
from django.db import connection

from contributions.importer.schema import COLUMNS, NOT_UTF8, STAGING, Refused

PROGRESS_EVERY = 100_000
BATCH_ROWS = 2000
_HEADER_MAX_BYTES = 1024
_COPY_CHUNK_BYTES = 1 << 20


def check_header(file: BinaryIO) -> None:
    # Bounded, so a file without line breaks is not read whole.
    line = file.readline(_HEADER_MAX_BYTES)
    try:
        text = line.decode("utf-8-sig")  # spreadsheets often start with a BOM
    except UnicodeDecodeError:
        raise Refused(1, NOT_UTF8) from None
    if tuple(next(csv.reader([text]), [])) != COLUMNS:
        raise Refused(
            1, f'the header must be "{",".join(COLUMNS)}", not "{text.strip()}"'
        )


def stage(cursor, file: BinaryIO, progress: Callable[[int], None] | None) -> int:
    """Create the staging table and fill it with the rest of the file; the
    number of rows read."""
    columns = ", ".join(f"{column} text" for column in COLUMNS)
    if connection.vendor == "postgresql":
        cursor.execute(
            f"CREATE TEMP TABLE {STAGING} ("
            # COPY keeps the file's order; line 1 is the header.
            f"line bigint GENERATED ALWAYS AS IDENTITY (START WITH 2), {columns}"
            ") ON COMMIT DROP"
        )
        return _copy(cursor, file, progress)
    cursor.execute(f"CREATE TEMP TABLE {STAGING} (line integer PRIMARY KEY, {columns})")
    return _insert_in_batches(cursor, file, progress)


def _copy(cursor, file: BinaryIO, progress: Callable[[int], None] | None) -> int:
    columns = ", ".join(COLUMNS)
    statement = (
        f"COPY {STAGING} ({columns}) FROM STDIN "
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
        raise Refused(*_copy_error(error)) from None
    return cursor.rowcount


def _copy_error(error: psycopg.DataError) -> tuple[int, str]:
    """The file line and reason of a row COPY could not read."""
    copied = re.search(r"line (\d+)", error.diag.context or "")
    line = int(copied.group(1)) + 1 if copied else 0
    if isinstance(error, psycopg.errors.CharacterNotInRepertoire):
        return line, NOT_UTF8
    return line, f"not a valid CSV row: {error.diag.message_primary}"


def _insert_in_batches(
    cursor, file: BinaryIO, progress: Callable[[int], None] | None
) -> int:
    placeholders = ", ".join(["%s"] * (len(COLUMNS) + 1))
    statement = f"INSERT INTO {STAGING} VALUES ({placeholders})"  # noqa: S608 -- no input  # nosec B608
    rows = enumerate(csv.reader(_decoded_lines(file)), start=2)
    read = 0
    while batch := list(islice(rows, BATCH_ROWS)):
        for line, row in batch:
            if len(row) != len(COLUMNS):
                raise Refused(
                    line,
                    f"not a valid CSV row: expected {len(COLUMNS)} columns, "
                    f"found {len(row)}",
                )
        cursor.executemany(statement, [(line, *row) for line, row in batch])
        read, before = read + len(batch), read
        _report_progress(progress, before, read)
    return read


def _decoded_lines(file: BinaryIO) -> Iterator[str]:
    """The file's lines as text, decoded one by one to name a bad line."""
    for number, line in enumerate(file, start=2):
        try:
            yield line.decode()
        except UnicodeDecodeError:
            raise Refused(number, NOT_UTF8) from None


def _report_progress(
    progress: Callable[[int], None] | None, before: int, after: int
) -> None:
    if progress and after // PROGRESS_EVERY > before // PROGRESS_EVERY:
        progress(after)
