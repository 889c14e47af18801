"""The PostgreSQL path of the recipient import: COPY the rows, check and merge them in SQL.

Python only parses the file and streams the fields into a temporary table. A generated
column, computed by the backend while the COPY runs, says whether SQL is sure the row is
valid (`ok`): the SQL checks accept a subset of what `parse_row` accepts (ASCII emails in the
validator's dot-atom form, for instance). Every other row is read back and judged by
`parse_row` itself, so the verdicts are Python's. The upsert normalises, merges and writes
all valid rows in one statement.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator

from django.core.exceptions import ValidationError
from django.db import connection
from psycopg.pq import TransactionStatus

from notices.models import Language, Recipient
from notices.services.import_rows import EMAIL_MAX_LENGTH, FALSE, TRUE, ImportReport, parse_row

ROWS, FIXED = "notices_import_rows", "notices_import_fixed"
CHUNK_ROWS, COPY_ROWS = 10_000, 100_000  # rows per write; rows per COPY (progress between)
# What str.strip() removes (test_import checks it against str.isspace()); the ASCII part.
WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
WHITESPACE += "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
ASCII_WHITESPACE = WHITESPACE[:10]
# EmailValidator's dot-atom user part and domain, for ASCII only, with ASCII whitespace around
# it: labels neither start nor end with "-", the last is 2+ letters or punycode. That no label
# is longer than 63 characters is checked apart: bounded repeats make PostgreSQL's regex slow.
_LABEL = "[a-z0-9]+(-+[a-z0-9]+)*"
_PAD = "[" + ASCII_WHITESPACE.replace("\x1c\x1d\x1e\x1f", "\x1c-\x1f") + "]*"
EMAIL_RE = (
    rf"^{_PAD}[-!#$%&'*+/=?^_`{{}}|~0-9a-z]+(\.[-!#$%&'*+/=?^_`{{}}|~0-9a-z]+)*"
    rf"@({_LABEL}\.)+([a-z]([a-z]|-+[a-z])+|xn--[a-z0-9]+){_PAD}$"
)
_FIELDS = ("email", "name", "language", "jurisdiction", "customer_ref", "has_open_order")
_ESCAPES = re.compile(r"[\\\r\x00]")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _in(values) -> str:
    return "(" + ", ".join(map(_literal, sorted(values))) + ")"


def _raw_fields(header: list[str]) -> dict[str, str]:
    """The raw column of each field (a repeated name: the last; none: the empty column)."""
    position = {name: i for i, name in enumerate(header)}
    return {name: f"c{position[name]}" if name in position else "absent" for name in _FIELDS}


def _expressions(header: list[str]) -> dict[str, str]:
    """SQL for `ok` and for each normalised field, from the raw columns.

    A value SQL is not sure to normalise exactly as Python does makes the row not `ok`;
    the expressions are evaluated for every row, so they are few and cheap.
    """
    raw = _raw_fields(header)

    def strip(name, chars=ASCII_WHITESPACE):
        return f"btrim({raw[name]}, {_literal(chars)})"

    flag = f'lower({strip("has_open_order")} COLLATE "C")'
    code = f"replace(lower({strip('language')} COLLATE \"C\"), '_', '-')"
    base = f"split_part({code}, '-', 1)"
    codes = _in(Language.values)
    ascii_flags = {v for v in TRUE | FALSE if v.isascii()}
    ok = " AND ".join(
        [
            # Non-ASCII characters are left as they are by lower() in the C collation and
            # then fail the regex.
            f'lower({raw["email"]} COLLATE "C") ~ {_literal(EMAIL_RE)}',
            f"char_length({raw['email']}) <= {EMAIL_MAX_LENGTH}",
            f"(char_length({raw['email']}) - strpos({raw['email']}, '@') <= 63"
            f" OR {raw['email']} !~ '[^.@]{{64}}')",
            f"({flag} IN {_in(ascii_flags)}"
            f" OR {strip('has_open_order')} IN {_in((TRUE | FALSE) - ascii_flags)})",
            f"upper({strip('jurisdiction')} COLLATE \"C\") ~ '^([A-Z]{{2}}|OTHER|US-[ -~]{{2}})?$'",
            f"octet_length({raw['language']}) = char_length({raw['language']})",
            f"char_length({raw['name']}) <= 200 AND char_length({raw['customer_ref']}) <= 100",
        ]
    )
    return {
        "ok": ok,
        "email": f'lower({strip("email")} COLLATE "C")',
        "name": strip("name", WHITESPACE),
        "language": f"CASE WHEN {code} IN {codes} THEN {code} "
        f"WHEN {code} IN ('zh', 'zh-cn', 'zh-sg', 'zh-hans-cn') THEN 'zh-hans' "
        f"WHEN {base} IN {codes} THEN {base} ELSE 'en' END",
        "jurisdiction": f'upper({strip("jurisdiction")} COLLATE "C")',
        "customer_ref": strip("customer_ref", WHITESPACE),
        "has_open_order": f"{flag} IN {_in(TRUE)}",
    }


def _columns(header: list[str]) -> str:
    """Raw text columns and `ok`, computed by the backend while the COPY runs."""
    return ", ".join(
        [
            "n bigint GENERATED ALWAYS AS IDENTITY (START WITH 2)",  # row 1 is the header
            *(f"c{i} text" for i in range(len(header))),
            # What a column the file lacks reads as (a literal would not do: PostgreSQL
            # cannot tell the collation of upper() on a constant in a generated column).
            "absent text NOT NULL DEFAULT ''",
            f"ok boolean GENERATED ALWAYS AS ({_expressions(header)['ok']}) STORED",
        ]
    )


def _blank(width: int) -> str:
    """Whether every field of the row is empty once stripped (such rows are not counted)."""
    return f"btrim({' || '.join(f'c{i}' for i in range(width))}, {_literal(WHITESPACE)}) = ''"


def _copy(cursor, rows: Iterator[list], width: int, progress) -> None:
    """Stream the rows into the temporary table, COPY_ROWS per statement.

    Short rows are padded; fields beyond the header's columns are dropped.
    """
    columns = ", ".join(f"c{i}" for i in range(width))
    done, unreadable = 0, []
    rows = _until_unreadable(rows, unreadable)
    while True:
        with cursor.copy(f"COPY {ROWS} ({columns}) FROM STDIN") as copy:
            written = 0
            for chunk in iter(lambda: list(itertools.islice(rows, CHUNK_ROWS)), []):
                text = "\n".join(map("\t".join, chunk)) + "\n"
                # One join per chunk unless a field needs escaping or a row is ragged.
                if (
                    set(map(len, chunk)) == {width}
                    and text.count("\t") == len(chunk) * (width - 1)
                    and text.count("\n") == len(chunk)
                    and not _ESCAPES.search(text)
                ):
                    copy.write(text)
                else:
                    for row in chunk:
                        row = [str(v).replace("\x00", "\ufffd") for v in row[:width]]
                        copy.write_row(row + [""] * (width - len(row)))
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


def _check_the_rest(cursor, header: list[str], report: ImportReport) -> None:
    """Judge in Python the rows SQL did not accept; copy the valid ones to FIXED."""
    fields = _raw_fields(header).values()
    with connection.chunked_cursor() as rest:
        rest.execute(
            f"SELECT n, {', '.join(fields)} FROM {ROWS} "  # noqa: S608
            f"WHERE NOT ok AND NOT {_blank(len(header))} ORDER BY n"
        )
        while batch := rest.fetchmany(2000):
            fixed = []
            for number, *values in batch:
                try:
                    row = parse_row(dict(zip(_FIELDS, values, strict=True)))
                except ValidationError as error:
                    report.refuse_row(number, error)
                else:
                    fixed.append([number, *(row[f] for f in _FIELDS)])
            with cursor.copy(f"COPY {FIXED} (n, {', '.join(_FIELDS)}) FROM STDIN") as copy:
                for row in fixed:
                    copy.write_row(row)


def copy_and_check(
    *,
    header: list[str],
    rows: Iterator[list],
    report: ImportReport,
    progress: Callable[[str, int], None] | None,
) -> None:
    """Load the rows into temporary tables and check every one; count rows and errors."""
    with connection.cursor() as cursor:
        drop_tables()
        cursor.execute(f"CREATE TEMP TABLE {ROWS} ({_columns(header)})")
        cursor.execute(
            f"CREATE TEMP TABLE {FIXED} (n bigint, email text, name text, language text, "
            "jurisdiction text, customer_ref text, has_open_order boolean)"
        )
        _copy(cursor, rows, len(header), progress)
        cursor.execute(f"SELECT count(*) FROM {ROWS} WHERE ok OR NOT {_blank(len(header))}")  # noqa: S608
        report.rows = cursor.fetchone()[0]
        _check_the_rest(cursor, header, report)


_TABLE = Recipient._meta.db_table


def _valid(header: list[str]) -> str:
    """The valid rows, normalised: SQL's and Python's."""
    values = _expressions(header)
    return (
        f"(SELECT n, {', '.join(f'{values[f]} AS {f}' for f in _FIELDS)} FROM {ROWS} "  # noqa: S608
        f"WHERE ok UNION ALL SELECT n, {', '.join(_FIELDS)} FROM {FIXED})"
    )


def _latest(field: str, unless: str = "''") -> str:
    """The value of the last row of an email group whose `field` is not `unless`."""
    return (
        f"coalesce((array_agg({field} ORDER BY n DESC) "
        f"FILTER (WHERE {field} <> {unless}))[1], {unless})"
    )


def upsert_checked(*, header: list[str], winddown_id: int) -> int:
    """Merge and upsert the valid rows in one statement; call inside a transaction.

    Duplicate emails are merged as in the Python path: later non-empty values win, a
    language other than English wins, an open order anywhere counts. Most emails occur
    once: only the duplicated ones are aggregated. Existing recipients: see ON CONFLICT.
    """
    fields = ", ".join(_FIELDS)
    upsert = f"""
        WITH valid AS MATERIALIZED {_valid(header)},
        duplicated AS (SELECT email FROM valid GROUP BY email HAVING count(*) > 1)
        INSERT INTO {_TABLE} (winddown_id, {fields}, created_at, updated_at)
        SELECT {int(winddown_id)}, {fields}, now(), now() FROM (
            SELECT {fields} FROM valid WHERE email NOT IN (SELECT email FROM duplicated)
            UNION ALL
            SELECT email, {_latest("name")}, {_latest("language", "'en'")},
                {_latest("jurisdiction")}, {_latest("customer_ref")}, bool_or(has_open_order)
            FROM valid WHERE email IN (SELECT email FROM duplicated) GROUP BY email
        ) merged
        ON CONFLICT (winddown_id, email) DO UPDATE SET
            name = COALESCE(NULLIF(excluded.name, ''), {_TABLE}.name),
            language = excluded.language,
            jurisdiction = COALESCE(NULLIF(excluded.jurisdiction, ''), {_TABLE}.jurisdiction),
            customer_ref = COALESCE(NULLIF(excluded.customer_ref, ''), {_TABLE}.customer_ref),
            has_open_order = excluded.has_open_order,
            updated_at = CURRENT_TIMESTAMP
    """  # noqa: S608
    with connection.cursor() as cursor:
        # Enough to hash a million emails in memory rather than on disk, for this statement.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(upsert)
        return cursor.rowcount


def drop_tables() -> None:
    """Drop the temporary tables (an aborted transaction drops them as it rolls back)."""
    if connection.connection.info.transaction_status == TransactionStatus.INERROR:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {ROWS}, {FIXED}")
