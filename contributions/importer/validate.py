"""Which staged rows are invalid, and why: one SQL statement on both databases.

The statement finds the lines that break a rule (the first MAX_ERRORS of
them); `problems` words every reason, so a refused line reads the same on
PostgreSQL and SQLite. Only three spellings differ between the two, in
_DIALECTS: how a regular expression is matched, how a date is checked for
being real (no 30 February) and how text becomes a date.
"""

import re
from datetime import date
from types import SimpleNamespace

from django.db import connection

from contributions.importer.schema import (
    COLUMNS,
    DATE_PATTERN,
    MAX_ERRORS,
    MONEY_COLUMNS,
    NO_JKP_PATTERN,
    PERIOD_PATTERN,
    RUPIAH_MAX_DIGITS,
    RUPIAH_PATTERN,
    STAGING,
)
from contributions.importer.sql import names

_DIALECTS = {
    "postgresql": SimpleNamespace(
        matches="{} ~ {}",
        # The 29th to 31st: no later than the month's last day.
        real_date="""CASE
            WHEN {0} !~ %(date)s THEN false
            WHEN right({0}, 2) <= '28' THEN true
            ELSE right({0}, 2)::int <= extract(day FROM
                (left({0}, 8) || '01')::date + interval '1 month - 1 day')
        END""",
        as_date="CAST({} AS date)",
    ),
    # Django gives SQLite connections a REGEXP function; date() with a
    # modifier moves an impossible day into the next month, so a real date is
    # its own date().
    "sqlite": SimpleNamespace(
        matches="{} REGEXP {}",
        real_date="({0} REGEXP %(date)s AND date({0}, '+0 days') = {0})",
        as_date="{}",
    ),
}


def dialect() -> SimpleNamespace:
    return _DIALECTS[connection.vendor]


def invalid_lines(cursor) -> list[tuple[int, str]]:
    """The first invalid lines of the staging table and why each is refused."""
    db, sql = names(), dialect()

    def breaks(column: str, pattern: str) -> str:
        return f"NOT ({sql.matches.format(column, pattern)})"

    bad_money = " OR ".join(
        f"{breaks(column, '%(rupiah)s')} OR length({column}) > {RUPIAH_MAX_DIGITS}"
        for column in MONEY_COLUMNS
    )
    cursor.execute(
        f"""
        WITH repeated AS (
            SELECT npp, kpj, period, min(line) AS first_line
            FROM {STAGING}
            GROUP BY npp, kpj, period
            HAVING count(*) > 1
        ),
        checked AS (
            SELECT s.*,
                e.{db.employer_pk} IS NOT NULL AS employer_known,
                m.{db.nik} AS member_nik,
                CASE WHEN r.first_line < s.line THEN r.first_line END AS first_line,
                s.paid_date = '' OR {sql.real_date.format("s.paid_date")}
                    AS paid_date_valid
            FROM {STAGING} AS s
            LEFT JOIN {db.employer} AS e ON e.{db.npp} = s.npp
            LEFT JOIN {db.member} AS m ON m.{db.kpj} = s.kpj
            LEFT JOIN repeated AS r
                ON r.npp = s.npp AND r.kpj = s.kpj AND r.period = s.period
        )
        SELECT line, {", ".join(COLUMNS)}, employer_known, member_nik, first_line
        FROM checked
        WHERE NOT employer_known
            OR member_nik IS NULL OR member_nik <> nik
            OR {breaks("period", "%(period)s")}
            OR {bad_money}
            OR {breaks("jkp", "%(no_jkp)s")}
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
    return [
        (line, "; ".join(problems(row, bool(known), member_nik, first_line)))
        for line, *row, known, member_nik, first_line in cursor.fetchall()
    ]


def problems(
    row: list[str], employer_known: bool, member_nik: str | None, first_line: int | None
) -> list[str]:
    """Why a row of 13 fields is refused, given what the database knows of it."""
    npp, kpj, nik, period, *money, jkp, paid_date = row
    found = []
    if not employer_known:
        found.append(f'no employer with NPP "{npp}"')
    if member_nik is None:
        found.append(f'no member with KPJ "{kpj}"')
    elif member_nik != nik:
        found.append("NIK does not match the member with this KPJ")
    if not re.fullmatch(PERIOD_PATTERN, period):
        found.append(f'period must be YYYY-MM with a real month, not "{period}"')
    for column, value in zip(MONEY_COLUMNS, money, strict=True):
        if not re.fullmatch(RUPIAH_PATTERN, value) or len(value) > RUPIAH_MAX_DIGITS:
            found.append(
                f"{column} must be a whole number of rupiah, 0 or more, "
                f'without separators, not "{value}"'
            )
    if not re.fullmatch(NO_JKP_PATTERN, jkp):
        found.append(
            f'jkp must be 0 or empty, not "{jkp}": employers pay nothing for JKP '
            "(PP 37/2021 art. 11, PP 6/2025)"
        )
    if paid_date and not _is_date(paid_date):
        found.append(f'paid_date must be YYYY-MM-DD or empty, not "{paid_date}"')
    if first_line is not None:
        found.append(f"same NPP, KPJ and period as line {first_line}")
    return found


def _is_date(value: str) -> bool:
    if not re.fullmatch(DATE_PATTERN, value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:  # 30 February and the like
        return False
    return True
