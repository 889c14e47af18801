"""A first import into a wind-down without recipients: COPY straight into the recipients table.

The rows are checked in Python while the file is read (`import_check`, as the other
PostgreSQL path does), and every valid row whose email has not occurred earlier in the file
is COPYed into `notices_recipient` at once, so that PostgreSQL inserts them (heap, indexes)
while Python is still reading and checking the rows after them, instead of after the whole
file is in a temporary table. Rows whose email may have occurred before (`first_seen`: a
hash bitmap, so a few unique emails come here too) go to the temporary table, and one
statement merges them at the end into what the COPY wrote: later non-empty values win, a
language other than English wins, an open order anywhere counts — the merge of the other
paths (`importing._merge`, `import_copy.upsert_checked`).

All of it runs in the caller's transaction: a refused file, an unreadable one or a lost
connection leaves nothing behind. Another writer that adds one of the emails meanwhile makes
the COPY fail on the unique constraint; the caller then rolls back and imports the file
again through `import_copy`'s upsert. Progress is reported from a thread of its own
(`outside`): its connection is not in this transaction, so the job's progress is seen
while the rows are written.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections

from notices.models import Recipient
from notices.services import import_copy
from notices.services.import_check import FIELDS, ChunkChecker, first_seen
from notices.services.import_rows import ImportReport

log = logging.getLogger(__name__)
_TABLE = Recipient._meta.db_table
_TARGET = ("winddown_id", *FIELDS, "created_at", "updated_at")
_ROWS = import_copy.ROWS
_STAGED = ("n", *FIELDS, "again")


def _lines(prefix: str, rows: list[tuple], suffix: str) -> str:
    """The rows in COPY's text format, one join, if no field needs escaping; else ''."""
    if not rows:
        return ""
    text = "\n".join(
        f"{prefix}{email}\t{name}\t{language}\t{place}\t{ref}\t{'t' if flag else 'f'}{suffix}"
        for (_n, email, name, language, place, ref, flag) in rows
    )
    text += "\n"
    tabs = len(_TARGET) - 1
    if (
        text.count("\t") == len(rows) * tabs
        and text.count("\n") == len(rows)
        and not import_copy._ESCAPES.search(text)
    ):
        return text
    return ""


def _clean(values) -> list:
    return [v.replace("\x00", "\ufffd") if isinstance(v, str) else v for v in values]


def copy_fresh(
    *,
    winddown_id: int,
    header: list[str],
    rows: Iterator[list],
    report: ImportReport,
    progress: Callable[[str, int], None] | None,
) -> int:
    """Check the rows and write them into the empty wind-down; return the recipients written.

    Call inside a transaction (see the module docstring). Invalid rows are refused in
    `report` (the caller decides whether the import stands).
    """
    with connection.cursor() as cursor:
        import_copy.drop_tables()
        cursor.execute(
            f"CREATE TEMP TABLE {_ROWS} (n bigint, email text, name text, language text, "
            "jurisdiction text, customer_ref text, has_open_order boolean, again boolean)"
        )
        cursor.execute("SELECT now()")
        now = cursor.fetchone()[0].isoformat()
        with import_copy._no_cyclic_gc():
            _stream(cursor, winddown_id, now, rows, ChunkChecker(header, report), progress)
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(_merge_sql(winddown_id))
        cursor.execute(
            f"SELECT count(*) FROM {_TABLE} WHERE winddown_id = %s",  # noqa: S608  # nosec B608 # the model's table name
            [winddown_id],
        )
        return cursor.fetchone()[0]


def _stream(cursor, winddown_id: int, now: str, rows, checker: ChunkChecker, progress) -> None:
    """COPY new emails into the recipients, COPY_ROWS rows per statement; the rows seen
    again are staged after each statement (at most COPY_ROWS of them held at a time)."""
    done, number, unreadable, again = 0, 2, [], first_seen()  # row 1 is the header
    rows = import_copy._until_unreadable(rows, unreadable)
    prefix, suffix = f"{int(winddown_id)}\t", f"\t{now}\t{now}"
    target = f"COPY {_TABLE} ({', '.join(_TARGET)}) FROM STDIN"
    while True:
        staged, written = [], 0
        with cursor.copy(target) as copy:
            for chunk in iter(lambda: list(itertools.islice(rows, import_copy.CHUNK_ROWS)), []):
                valid = checker.check(chunk, number)
                number += len(chunk)
                seen = again(valid)
                new = [row for row, was_seen in zip(valid, seen, strict=True) if not was_seen]
                staged += [row for row, was_seen in zip(valid, seen, strict=True) if was_seen]
                if text := _lines(prefix, new, suffix):
                    copy.write(text)
                else:
                    for row in new:
                        copy.write_row([winddown_id, *_clean(row[1:]), now, now])
                written += len(chunk)
                if written >= import_copy.COPY_ROWS:
                    break
        if staged:
            with cursor.copy(f"COPY {_ROWS} ({', '.join(_STAGED)}) FROM STDIN") as copy:
                for row in staged:
                    copy.write_row([*_clean(row), True])
        if unreadable:  # raised after the COPY ended cleanly
            raise unreadable[0]
        done += written
        if progress and written:
            progress("checking", done)
        if written < import_copy.COPY_ROWS:
            return


def _merge_sql(winddown_id: int) -> str:
    """Merge the staged rows (all later in the file than a row of the same email already
    written, if there is one) into the recipients written by the COPY."""
    fields = ", ".join(FIELDS)
    latest = import_copy._latest
    return f"""
        INSERT INTO {_TABLE} AS r (winddown_id, {fields}, created_at, updated_at)
        SELECT {int(winddown_id)}, email, {latest("name")}, {latest("language", "'en'")},
            {latest("jurisdiction")}, {latest("customer_ref")}, bool_or(has_open_order),
            now(), now()
        FROM {_ROWS} GROUP BY email
        ON CONFLICT (winddown_id, email) DO UPDATE SET
            name = COALESCE(NULLIF(excluded.name, ''), r.name),
            language = CASE WHEN excluded.language <> 'en' THEN excluded.language
                ELSE r.language END,
            jurisdiction = COALESCE(NULLIF(excluded.jurisdiction, ''), r.jurisdiction),
            customer_ref = COALESCE(NULLIF(excluded.customer_ref, ''), r.customer_ref),
            has_open_order = r.has_open_order OR excluded.has_open_order
    """  # noqa: S608  # nosec B608 # fixed temp table and model names; no input


@contextlib.contextmanager
def outside(progress: Callable[[str, int], None] | None):
    """`progress`, called from a thread of its own (its own database connection, outside
    the import's transaction); a failing call is logged, not raised (it only reports)."""
    if progress is None:
        yield None
        return
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-progress")

    def call(phase: str, rows: int) -> None:
        try:
            progress(phase, rows)
        except Exception:
            log.warning("Import progress not recorded", exc_info=True)

    try:
        yield lambda phase, rows: pool.submit(call, phase, rows)
    finally:
        pool.submit(connections.close_all)  # the thread's own connection
        pool.shutdown(wait=True)
