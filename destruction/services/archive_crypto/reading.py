"""Reading an uploaded export (CSV or XLSX) as a stream of rows, hashing its bytes as it goes.

Nothing is loaded whole; errors name the row (the header is row 1) and the column, including
the first byte that is not text in the detected encoding.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from windown import textencoding, uploads

SNIFF_BYTES = 1 << 16


@dataclass
class Export:
    """An uploaded export: its header, its data rows, and the hash of its bytes."""

    header: list[str]
    rows: Iterator[list]
    format: str
    source: uploads.HashingReader
    encoding: str = ""
    delimiter: str = ","


def _encoding_of(sample: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (what Chinese Excel exports), else another
    encoding only on strong evidence (windown.textencoding); else ""."""
    detected = textencoding.detect(sample, final=False)
    return detected.encoding if detected else ""


def _dialect(sample: str):
    with contextlib.suppress(csv.Error):
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    return csv.excel


def _csv_export(file: BinaryIO) -> Export:
    hashing = uploads.HashingReader(file)
    buffered = io.BufferedReader(hashing, buffer_size=SNIFF_BYTES)
    peeked = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    encoding = _encoding_of(peeked)
    if not encoding:  # neither UTF-8 nor GB18030: say where, read as UTF-8
        sample = peeked.decode("utf-8", errors="replace")
        dialect = _dialect(sample[:8192])
        header = next(csv.reader(io.StringIO(sample), dialect), [])
        broken = Export(header, iter(()), "csv", hashing, "utf-8", dialect.delimiter)
        raise locate_bad_bytes(broken, file, header)
    text = io.TextIOWrapper(buffered, encoding=encoding, newline="")
    sample = text.read(8192)
    dialect = _dialect(sample)
    reader = csv.reader(itertools.chain(io.StringIO(sample + text.readline()), text), dialect)
    try:
        header = next(reader, [])
    except UnicodeDecodeError:
        header = []  # located precisely by the caller
    return Export(
        header=header,
        rows=reader,
        format="csv",
        source=hashing,
        encoding=encoding,
        delimiter=dialect.delimiter,
    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _xlsx_rows(workbook) -> Iterator[list]:
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    finally:
        workbook.close()


def _xlsx_export(file: BinaryIO) -> Export:
    from openpyxl import load_workbook

    # A zip needs seeking: hash it in one streaming pass, then let openpyxl stream the sheet.
    hashing = uploads.HashingReader(file)
    while hashing.read(1 << 20):
        pass
    uploads.check_xlsx(
        file,
        max_uncompressed=settings.DESTRUCTION_ARCHIVE_MAX_UNCOMPRESSED_BYTES,
        max_rows=settings.DESTRUCTION_ARCHIVE_MAX_ROWS,
    )
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged zip
        raise ValidationError(_("The file is not a readable XLSX workbook.")) from error
    rows = _xlsx_rows(workbook)
    return Export(header=next(rows, []), rows=rows, format="xlsx", source=hashing)


def open_export(file: BinaryIO, filename: str) -> Export:
    """Open an uploaded CSV or XLSX export for streaming."""
    uploads.check_size(getattr(file, "size", None), settings.DESTRUCTION_ARCHIVE_MAX_BYTES)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx_export(file)
    if filename.lower().endswith((".csv", ".txt", ".tsv")):
        return _csv_export(file)
    raise ValidationError(_("Upload the export as CSV (UTF-8) or XLSX."))


def locate_bad_bytes(export: Export, file: BinaryIO, header: list[str]) -> ValidationError:
    """Name the first row and column holding bytes that are not `encoding` (a second pass)."""
    file.seek(0)
    encoding, delimiter = export.encoding, export.delimiter.encode()
    decoder_encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    for number, line in enumerate(file, start=1):
        try:
            line.decode(decoder_encoding)
            continue
        except UnicodeDecodeError as error:
            bad = line[error.start]
            column = line[: error.start].count(delimiter)
            name = header[column] if column < len(header) else str(column + 1)
            return ValidationError(
                _(
                    "Row %(row)s, column %(column)s: byte 0x%(byte)02x is not %(encoding)s text. "
                    "Save the export as UTF-8 and upload it again; nothing was archived."
                )
                % {
                    "row": number,
                    "column": name,
                    "byte": bad,
                    "encoding": decoder_encoding.upper(),
                }
            )
    return ValidationError(_("The file is not valid text; nothing was archived."))
