"""Spreadsheet exports that cannot run code: every CSV and XLSX export in windown writes its
cells through here.

A text cell that starts with =, +, -, @, a tab or a carriage return is read by spreadsheet
programs as a formula (CSV injection); such cells get a leading apostrophe, and XLSX cells
are written as strings, never as formulas. `unneutralise` undoes it exactly, so an export
read back by an import round-trips.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import IO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Prefix a text cell a spreadsheet would run as a formula with an apostrophe.

    Text already starting with apostrophes before such a character gets one more, so
    `unneutralise` restores every value exactly (the export round-trips).
    """
    if value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo `neutralise` on a cell read back from a file."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


def cell(value) -> str | int | float:
    """Return a safe cell: numbers stay numbers, dates ISO text, anything else neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return neutralise(str(value))


def safe_row(values: Iterable) -> list:
    return [cell(value) for value in values]


def csv_chunks(header: list[str], rows: Iterable[Iterable], every: int = 500) -> Iterator[str]:
    """Yield a CSV (header first, safe cells) a few hundred rows at a time, for streaming."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_row(header))
    for number, row in enumerate(rows, start=1):
        writer.writerow(safe_row(row))
        if number % every == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_append(sheet, values: Iterable) -> None:
    """Append a row of safe cells to a write-only openpyxl sheet; text is always a string."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for value in safe_row(values):
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # never "f" (formula), whatever the text
        row.append(written)
    sheet.append(row)


def write_xlsx(sheets: dict[str, tuple[list[str], Iterable[Iterable]]], stream: IO[bytes]) -> None:
    """Write a workbook of {sheet title: (header, rows)} with safe cells."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title)
        if header:
            xlsx_append(sheet, header)
        for row in rows:
            xlsx_append(sheet, row)
    workbook.save(stream)
