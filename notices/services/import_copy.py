"""The PostgreSQL path of the recipient import: check in Python, COPY, merge in SQL.

Python parses the file and checks and normalises every row while it reads
(`import_check`: `parse_row`'s verdicts, column by column), and streams only the valid
rows, already normalised, into a temporary table with COPY. Each row carries whether its
email may have occurred earlier in the file, so that the statement that writes the
recipients aggregates only the duplicated emails and inserts the others as they are.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import re
from collections.abc import Callable, Iterator

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from psycopg.pq import TransactionStatus

from notices.models import Recipient
from notices.services.import_check import FIELDS, ChunkChecker, first_seen
from notices.services.import_rows import ImportReport

ROWS = "notices_import_rows"
CHUNK_ROWS, COPY_ROWS = 10_000, 100_000  # rows checked at a time; rows per COPY (progress between)
_COLUMNS = ("n", *FIELDS, "again")
_ESCAPES = re.compile(r"[\\\r\x00]")


def _lines(rows: list[tuple], again: list[bool]) -> str:
    """The rows in COPY's text format, one join, if no field needs escaping; else ''."""
    text = "\n".join(
        f"{n}\t{email}\t{name}\t{language}\t{place}\t{ref}\t{'t' if flag else 'f'}\t"
        f"{'t' if seen else 'f'}"
        for (n, email, name, language, place, ref, flag), seen in zip(rows, again, strict=True)
    )
    text += "\n"
    if (
        text.count("\t") == len(rows) * (len(_COLUMNS) - 1)
        and text.count("\n") == len(rows)
        and not _ESCAPES.search(text)
    ):
        return text
    return ""


def _copy(cursor, rows: Iterator[list], checker: ChunkChecker, progress) -> None:
    """Check the rows a chunk at a time and stream the valid ones, COPY_ROWS per statement."""
    done, number, unreadable, again = 0, 2, [], first_seen()  # row 1 is the header
    rows = _until_unreadable(rows, unreadable)
    while True:
        with cursor.copy(f"COPY {ROWS} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            written = 0
            for chunk in iter(lambda: list(itertools.islice(rows, CHUNK_ROWS)), []):
                valid = checker.check(chunk, number)
                number += len(chunk)
                seen = again(valid)
                if text := _lines(valid, seen):
                    copy.write(text)
                else:
                    for row, was_seen in zip(valid, seen, strict=True):
                        fields = [
                            v.replace("\x00", "\ufffd") if isinstance(v, str) else v for v in row
                        ]
                        copy.write_row([*fields, was_seen])
                written += len(chunk)
                if written >= COPY_ROWS:
                    break
        if unreadable:  # raised after the COPY ended cleanly: the transaction stays usable
            raise unreadable[0]
        done += written
        if progress and written:
            progress("checking", done)
        if written < COPY_ROWS:
            return


def _until_unreadable(rows: Iterator[list], unreadable: list) -> Iterator[list]:
    """The rows until the file cannot be read any further (the error is kept, not raised)."""
    try:
        yield from rows
    except ValidationError as error:
        unreadable.append(error)


def copy_and_check(
    *,
    header: list[str],
    rows: Iterator[list],
    report: ImportReport,
    progress: Callable[[str, int], None] | None,
) -> None:
    """Check every row, counting rows and errors; load the valid ones into a temporary table."""
    with connection.cursor() as cursor:
        drop_tables()
        cursor.execute(
            f"CREATE TEMP TABLE {ROWS} (n bigint, email text, name text, language text, "
            "jurisdiction text, customer_ref text, has_open_order boolean, again boolean)"
        )
        with _no_cyclic_gc():
            _copy(cursor, rows, ChunkChecker(header, report), progress)


@contextlib.contextmanager
def _no_cyclic_gc():
    """Pause the cyclic garbage collector while rows stream through (reference counting
    still frees them: rows, fields and chunks form no cycles). Each chunk allocates tens of
    thousands of lists and tuples, enough to trigger collections that scan every object of
    the process; measured, they took more than half of the checking time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_TABLE = Recipient._meta.db_table


def _latest(field: str, unless: str = "''") -> str:
    """The value of the last row of an email group whose `field` is not `unless`."""
    return (
        f"coalesce((array_agg({field} ORDER BY n DESC) "
        f"FILTER (WHERE {field} <> {unless}))[1], {unless})"
    )


_ON_CONFLICT = f"""
    ON CONFLICT (winddown_id, email) DO UPDATE SET
        name = COALESCE(NULLIF(excluded.name, ''), {_TABLE}.name),
        language = excluded.language,
        jurisdiction = COALESCE(NULLIF(excluded.jurisdiction, ''), {_TABLE}.jurisdiction),
        customer_ref = COALESCE(NULLIF(excluded.customer_ref, ''), {_TABLE}.customer_ref),
        has_open_order = excluded.has_open_order,
        updated_at = CURRENT_TIMESTAMP
"""  # nosec B608 # the model's table name, no input


def upsert_checked(*, header: list[str], winddown_id: int, fresh: bool = False) -> int:
    """Merge and upsert the valid rows in one statement; call inside a transaction.

    Duplicate emails are merged as in the Python path: later non-empty values win, a
    language other than English wins, an open order anywhere counts. Only the emails seen
    again in the file (a small set) are aggregated; the others are inserted as they are.
    Existing recipients: see ON CONFLICT. `fresh` (the wind-down had no recipients when the
    import began) tries a plain INSERT first, without ON CONFLICT's speculative insertion
    per row (measured: 30-40 % of the statement); should another writer have added one of
    the emails meanwhile, the unique constraint refuses it, the savepoint is rolled back
    and the upsert runs. (`header` is no longer needed; kept for callers.)
    """
    fields = ", ".join(FIELDS)
    insert = f"""
        WITH duplicated AS MATERIALIZED (SELECT DISTINCT email FROM {ROWS} WHERE again)
        INSERT INTO {_TABLE} (winddown_id, {fields}, created_at, updated_at)
        SELECT {int(winddown_id)}, {fields}, now(), now() FROM (
            SELECT {fields} FROM {ROWS}
            WHERE NOT again AND email NOT IN (SELECT email FROM duplicated)
            UNION ALL
            SELECT email, {_latest("name")}, {_latest("language", "'en'")},
                {_latest("jurisdiction")}, {_latest("customer_ref")}, bool_or(has_open_order)
            FROM {ROWS} WHERE email IN (SELECT email FROM duplicated) GROUP BY email
        ) merged
    """  # noqa: S608  # nosec B608 # fixed temp table and model names; values are parameters
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")  # the duplicated emails hashed in memory
        if fresh:
            try:
                with transaction.atomic():
                    cursor.execute(insert)
                    return cursor.rowcount
            except IntegrityError:
                pass
        cursor.execute(insert + _ON_CONFLICT)
        return cursor.rowcount


def drop_tables() -> None:
    """Drop the temporary table (an aborted transaction drops it as it rolls back, a lost
    connection with its session: then there is nothing to do, and no AttributeError may hide
    the lost connection from the task that retries the import)."""
    raw = connection.connection
    if raw is None or raw.closed or raw.info.transaction_status == TransactionStatus.INERROR:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {ROWS}, notices_import_fixed")
