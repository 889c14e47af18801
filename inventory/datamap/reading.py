"""Read a data-map spreadsheet (XLSX or CSV in UTF-8, UTF-8 with BOM, GB18030/GBK…) into rows."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from charset_normalizer import from_bytes
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Chinese Excel saves CSV in the ANSI code page 936 (GBK); GB18030 decodes all of GBK and more.
CHINESE_ENCODINGS = {"gb2312", "gbk", "gb18030", "cp936", "hz", "big5", "big5hkscs", "cp950"}
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Sheet:
    """The header row and an iterator of (spreadsheet row number, cell values)."""

    header: list[str]
    rows: Iterator[tuple[int, tuple]]
    encoding: str = ""  # for CSV: the encoding that was detected


def detect_encoding(data: bytes) -> str:
    """Name the text encoding of a CSV file: BOMs first, then UTF-8, then detection."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    guess = best.encoding.replace("_", "").lower() if best else ""
    if guess and guess not in {e.replace("_", "") for e in CHINESE_ENCODINGS}:
        return best.encoding
    try:  # no guess, or a Chinese one: GB18030 covers GB2312 and GBK
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file's text encoding could not be recognised; save it as UTF-8 CSV or XLSX.")
        ) from None


def _csv_sheet(data: bytes) -> Sheet:
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    # Excel writes commas, or semicolons where the comma is the decimal mark; tabs for "Unicode
    # text". The header row has no quotes, so the most frequent of the three is the delimiter.
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    rows = ((number, tuple(row)) for number, row in enumerate(reader, start=2))
    return Sheet([str(h) for h in header], rows, encoding)


def _xlsx_sheet(data: bytes) -> Sheet:
    # calamine (Rust) reads a 50,000-row sheet in about a second; openpyxl takes ~25 s here.
    import python_calamine as calamine

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


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Open an XLSX or CSV file's first sheet (or the sheet named `datamap`)."""
    name = filename.lower()
    if data.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        return _xlsx_sheet(data)
    if name.endswith((".csv", ".txt")) or not name.rpartition(".")[1]:
        return _csv_sheet(data)
    raise ValidationError(_("Upload an .xlsx or .csv file."))
