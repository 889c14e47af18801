"""Read a data-map spreadsheet (XLSX or CSV in UTF-8, UTF-8 with BOM, GB18030/GBK…) into rows."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from windown import textencoding, uploads

XLSX_MAGIC = b"PK\x03\x04"
PREVIEW_ROWS = 5


@dataclass
class Sheet:
    """The header row and an iterator of (spreadsheet row number, cell values)."""

    header: list[str]
    rows: Iterator[tuple[int, tuple]]
    encoding: str = ""  # for CSV: the encoding used, as the report names it
    preview: list[list[str]] = field(default_factory=list)  # the first rows, decoded


def _csv_sheet(data: bytes, chosen: str = "") -> Sheet:
    detected = textencoding.resolve(data, chosen)
    try:
        text = data.decode(detected.encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise textencoding.undecodable(detected.encoding, error, _("in line %d") % line) from None
    # Excel writes commas, or semicolons where the comma is the decimal mark; tabs for "Unicode
    # text". The header row has no quotes, so the most frequent of the three is the delimiter.
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    rows = ((number, tuple(row)) for number, row in enumerate(reader, start=2))
    return Sheet([str(h) for h in header], rows, detected.encoding)


def _xlsx_sheet(data: bytes) -> Sheet:
    # calamine (Rust) reads a 50,000-row sheet in about a second; openpyxl takes ~25 s here.
    import python_calamine as calamine

    uploads.check_xlsx(
        io.BytesIO(data),
        max_uncompressed=settings.WINDOWN_IMPORT_MAX_UNCOMPRESSED_BYTES,
        max_rows=settings.WINDOWN_IMPORT_MAX_ROWS,
    )
    try:
        workbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        name = "datamap" if "datamap" in workbook.sheet_names else workbook.sheet_names[0]
        cells = iter(workbook.get_sheet_by_name(name).iter_rows())
    except (
        calamine.CalamineError,
        calamine.PasswordError,
        calamine.XmlError,
        calamine.ZipError,
        IndexError,
    ) as error:
        raise ValidationError(_("The file is not a readable XLSX workbook.")) from error
    header = next(cells, [])
    rows = ((number, tuple(row)) for number, row in enumerate(cells, start=2))
    return Sheet(["" if h is None else str(h) for h in header], rows)


def read_sheet(data: bytes, filename: str, encoding: str = "") -> Sheet:
    """Open an XLSX or CSV file's first sheet (or the sheet named `datamap`).

    A CSV file is read in `encoding` if the user chose one, else in the one recognised.
    """
    name = filename.lower()
    if data.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        sheet = _xlsx_sheet(data)
    elif name.endswith((".csv", ".txt")) or not name.rpartition(".")[1]:
        sheet = _csv_sheet(data, encoding)
    else:
        raise ValidationError(_("Upload an .xlsx or .csv file."))
    first = list(itertools.islice(sheet.rows, PREVIEW_ROWS))
    sheet.preview = [sheet.header, *(["" if c is None else str(c) for c in r] for _n, r in first)]
    sheet.rows = itertools.chain(first, sheet.rows)
    return sheet
