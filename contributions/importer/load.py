"""Writing the valid staged rows: one set-based upsert, then the members'
cached figures marked stale.

A row adds the (member, employer, period) contribution, or updates it when its
figures differ; unchanged rows are never written (an INSERT would lock them).
"""

from django.db import connection

from contributions.importer.schema import MONEY_COLUMNS, STAGING
from contributions.importer.sql import names
from contributions.importer.validate import dialect


def count_changes(cursor) -> tuple[int, int]:
    """(new, changed) rows: what `upsert` would write."""
    cursor.execute(
        f"""
        WITH {_changes()}
        SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new)
        FROM changes
        """  # noqa: S608 -- names from the models and constants only  # nosec B608
    )
    return cursor.fetchone()


def upsert(cursor) -> tuple[int, int]:
    """Write the new and changed rows; (inserted, updated)."""
    db = names()
    columns = ", ".join(db.key + db.values)
    key = ", ".join(db.key)
    old = ", ".join(f"c.{column}" for column in db.values)
    new = ", ".join(f"EXCLUDED.{column}" for column in db.values)
    assignments = ", ".join(f"{column} = EXCLUDED.{column}" for column in db.values)
    insert = f"""
        INSERT INTO {db.contribution} AS c ({columns})
        SELECT {columns} FROM changes
        WHERE true  -- SQLite reads ON CONFLICT after a bare SELECT as a join
        -- In index order, the index inserts touch far fewer pages.
        ORDER BY {key}
        -- A changed row meets its stored version here and updates it.
        ON CONFLICT ({key}) DO UPDATE SET {assignments}
            WHERE ({old}) IS DISTINCT FROM ({new})
    """  # noqa: S608 -- names from the models and constants only  # nosec B608
    if connection.vendor != "postgresql":
        counts = count_changes(cursor)
        cursor.execute(f"WITH {_changes()} {insert}")
        return counts
    # PostgreSQL counts while it writes: one pass over the file's rows.
    cursor.execute(
        f"""
        WITH {_changes()},
        upserted AS ({insert}
            -- A row this statement inserted has no deleting transaction yet.
            RETURNING xmax = 0 AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
        FROM upserted
        """  # noqa: S608 -- names from the models and constants only  # nosec B608
    )
    return cursor.fetchone()


def mark_figures_stale(cursor) -> None:
    """The cached figures of the file's members are stale (contributions.figures).

    Every member in the file, changed or not: returning the changed rows' members
    from the upsert cost a fifth of the import's speed (make bench).
    """
    db = names()
    cursor.execute(
        f"""
        UPDATE {db.member} SET {db.figures_version} = {db.figures_version} + 1
        WHERE {db.kpj} IN (SELECT kpj FROM {STAGING})
        """  # noqa: S608 -- names from the models and constants only  # nosec B608
    )


def _changes() -> str:
    """Two CTEs: `incoming`, the staged rows as contribution values, and
    `changes`, those of them that are new or differ from the stored ones."""
    db, sql = names(), dialect()
    columns = ", ".join(db.key + db.values)
    money = "".join(f"CAST(s.{column} AS bigint), " for column in MONEY_COLUMNS)
    period = sql.as_date.format("s.period || '-01'")
    paid = sql.as_date.format("nullif(s.paid_date, '')")
    same_key = " AND ".join(f"c.{column} = i.{column}" for column in db.key)
    old = ", ".join(f"c.{column}" for column in db.values)
    new = ", ".join(f"i.{column}" for column in db.values)
    return f"""
        incoming ({columns}) AS (
            SELECT m.{db.member_pk}, e.{db.employer_pk}, {period}, {money}{paid}
            FROM {STAGING} AS s
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
