"""Write decisions in bulk: through COPY on PostgreSQL, multi-row statements on SQLite.

The evaluation writes tens of thousands of rows; Django's bulk_create/bulk_update spend most of
their time preparing each value of each row (and bulk_update builds CASE expressions). Here a
proposal's values are prepared for the database once (many holdings share a proposal) and the
rows go out through COPY (new rows straight into the table, updates into a temporary table and
then one UPDATE ... FROM); SQLite takes multi-row INSERTs and executemany UPDATEs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections

from compliance.models import Decision

PROPOSAL_COLUMNS = [
    "ruleset",
    "disposition",
    "retain_until",
    "delete_by",
    "basis_reasons",
    "considered",
    "keep_fields",
    "drop_fields",
    "conflict",
    "conflict_reasons",
    "fingerprint",
    "as_of",
    "evaluated_at",
]
# the other NOT NULL columns of a new decision, with their values
NEW_DECISION = {
    "status": Decision.Status.PROPOSED.value,
    "status_before_stale": "",
    "review_reasons": "[]",
    "approved_fingerprint": "",
    "override_disposition": "",
    "override_reason": "",
}


def _field(name: str):
    return Decision._meta.get_field(name)


def _column(name: str) -> str:
    return connection.ops.quote_name(_field(name).column)


def prepare(values: dict, evaluated_at) -> tuple:
    """Return a proposal's values (PROPOSAL_COLUMNS order) as the database takes them.

    `considered` arrives as JSON text already (built from cached pieces); evaluated_at is
    passed prepared, as it is the same for every row of a run.
    """
    date = connections[DEFAULT_DB_ALIAS].ops.adapt_datefield_value  # not the per-thread proxy
    return (
        values["ruleset"],
        values["disposition"],
        date(values["retain_until"]),
        date(values["delete_by"]),
        json.dumps(values["basis_reasons"], ensure_ascii=False),
        values["considered"],
        json.dumps(values["keep_fields"], ensure_ascii=False),
        json.dumps(values["drop_fields"], ensure_ascii=False),
        values["conflict"],
        json.dumps(values["conflict_reasons"], ensure_ascii=False),
        values["fingerprint"],
        date(values["as_of"]),
        evaluated_at,
    )


def prepare_datetime(value):
    return connections[DEFAULT_DB_ALIAS].ops.adapt_datetimefield_value(value)


def insert(winddown_id: int, rows: Sequence[tuple[int, tuple]], batch: int = 1000) -> None:
    """Insert new decisions: rows of (holding id, prepared proposal).

    PostgreSQL takes them through COPY; SQLite through multi-row INSERTs.
    """
    if not rows:
        return
    names = ["winddown", "holding", *PROPOSAL_COLUMNS, *NEW_DECISION]
    constants = tuple(NEW_DECISION.values())
    table = connection.ops.quote_name(Decision._meta.db_table)
    columns = ", ".join(_column(name) for name in names)
    values = ((winddown_id, holding_id, *prepared, *constants) for holding_id, prepared in rows)
    if connection.vendor == "postgresql":
        _copy(f"COPY {table} ({columns}) FROM STDIN", values, len(rows))
        return
    one = "({})".format(", ".join(["%s"] * len(names)))
    head = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 - names from _meta  # nosec B608 # table and column names from _meta, values are parameters
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            part = [next(values) for _ in range(min(batch, len(rows) - start))]
            cursor.execute(head + ", ".join([one] * len(part)), [v for row in part for v in row])


def _copy(sql: str, rows: Iterable[tuple], count: int) -> None:
    """Run a COPY FROM STDIN with psycopg (logged like a query when queries are logged)."""
    started = time.monotonic()
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
    if connection.queries_logged:
        elapsed = f"{time.monotonic() - started:.3f}"
        connection.queries_log.append({"sql": f"{sql} -- {count} rows", "time": elapsed})


def update(rows: Sequence[tuple[int, str, tuple]]) -> None:
    """Update proposals: rows of (decision id, status, prepared proposal); stale is cleared.

    PostgreSQL: COPY into a temporary table, then one UPDATE ... FROM; SQLite: executemany.
    """
    if not rows:
        return
    names = ["status", "status_before_stale", *PROPOSAL_COLUMNS]
    table = connection.ops.quote_name(Decision._meta.db_table)
    values = ((pk, status, "", *prepared) for pk, status, prepared in rows)
    if connection.vendor == "postgresql":
        columns = ", ".join(_column(name) for name in ["id", *names])
        assignments = ", ".join(f"{_column(n)} = u.{_column(n)}" for n in names)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE decision_update AS SELECT {columns} FROM {table} "  # noqa: S608  # nosec B608 # names from _meta
                "WITH NO DATA"
            )
            _copy(f"COPY decision_update ({columns}) FROM STDIN", values, len(rows))
            cursor.execute(
                f"UPDATE {table} AS d SET {assignments} FROM decision_update AS u "  # noqa: S608  # nosec B608 # names from _meta
                f"WHERE d.{_column('id')} = u.{_column('id')}"
            )
            cursor.execute("DROP TABLE decision_update")
        return
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - names from _meta  # nosec B608 # names from _meta
        table, ", ".join(f"{_column(name)} = %s" for name in names), _column("id")
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row[1:], row[0]) for row in values])
