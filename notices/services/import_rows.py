"""Read a recipients file (CSV or XLSX) as a stream of rows, and check one row in Python."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from notices.models import Language
from windown import textencoding, uploads
from windown.headers import validate_header_text

COLUMNS = ["email", "name", "language", "jurisdiction", "customer_ref", "has_open_order"]
TRUE, FALSE = (
    {"1", "true", "yes", "y", "x", "是", "ja", "oui", "sí", "si"},
    {"", "0", "false", "no", "n", "否", "nein", "non"},
)
EMAIL_MAX_LENGTH = 254  # Recipient.email; the validator alone would let 320 through
MAX_REPORTED = 200


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    created: int = 0
    invalid: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    sha256: str = ""
    encoding: str = ""  # for CSV: the codec the file was read with

    def refuse_row(self, number: int, error: ValidationError) -> None:
        """Count an invalid row; name it if fewer than MAX_REPORTED are named already."""
        self.invalid += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append((number, " ".join(error.messages)))


def _csv_rows(file: BinaryIO, chosen: str, report: ImportReport | None) -> Iterator[list]:
    buffered = io.BufferedReader(file, buffer_size=textencoding.SAMPLE_BYTES)
    detected = textencoding.resolve(
        buffered.peek(textencoding.SAMPLE_BYTES)[: textencoding.SAMPLE_BYTES], chosen, final=False
    )
    if report is not None:
        report.encoding = detected.encoding
    text = io.TextIOWrapper(buffered, encoding=detected.encoding, newline="")
    try:
        sample = text.read(4096)
    except UnicodeDecodeError as error:
        raise textencoding.undecodable(detected.encoding, error, _("in its first rows")) from None
    # The delimiter is the header row's most frequent of comma, semicolon and tab (the
    # inventory's reader does the same): the rows' text cannot change it. Quoting is RFC
    # 4180's, as spreadsheets write it (csv.Sniffer guessed both from the rows, and misread
    # quoted line breaks and tabs in hostile files).
    delimiter = max(",;\t", key=sample.split("\n", 1)[0].count)
    # itertools.chain, not a generator: every line of a million-row file passes through it.
    lines = itertools.chain(io.StringIO(sample + text.readline()), text)
    reader = csv.reader(lines, csv.excel, delimiter=delimiter)
    return _decoded(reader, detected.encoding)


def _decoded(reader, encoding: str) -> Iterator[list]:
    """The reader's rows; bytes that are not `encoding` refuse the file with where they are."""
    try:
        yield from reader
    except UnicodeDecodeError as error:
        raise textencoding.undecodable(
            encoding, error, _("after row %(row)s") % {"row": reader.line_num}
        ) from error
    except csv.Error as error:  # e.g. a NUL byte, or a field over the csv module's limit
        raise ValidationError(
            _("The file cannot be read as CSV after row %(row)s: %(error)s; nothing was imported.")
            % {"row": reader.line_num, "error": error},
            code="csv",
        ) from error


def _xlsx_rows(file: BinaryIO) -> Iterator[list]:
    from openpyxl import load_workbook

    workbook = load_workbook(file, read_only=True, data_only=True)
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield ["" if v is None else str(v) for v in row]
    finally:
        workbook.close()


def read_rows(
    file: BinaryIO, filename: str, encoding: str = "", report: ImportReport | None = None
) -> tuple[list[str], Iterator[list], uploads.HashingReader]:
    """The normalised header, the remaining rows, and the hash of what has been read.

    A CSV file is read in `encoding` if the user chose one, else in the one recognised
    (windown.textencoding); `report.encoding` names it.
    """
    hashing = uploads.HashingReader(file)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        # A zip archive needs seeking: hash it in one streaming pass, then let openpyxl read
        # the sheet in read-only (streaming) mode.
        while hashing.read(1 << 20):
            pass
        uploads.check_xlsx(
            file,
            max_uncompressed=settings.NOTICES_IMPORT_MAX_UNCOMPRESSED_BYTES,
            max_rows=settings.NOTICES_IMPORT_MAX_ROWS,
        )
        rows = _xlsx_rows(file)
    else:
        rows = _csv_rows(io.BufferedReader(hashing, buffer_size=1 << 16), encoding, report)
    header = [str(h).strip().lower().lstrip("\ufeff") for h in next(rows, [])]
    if "email" not in header:
        raise ValidationError(_("The first row must name the columns: %s") % ", ".join(COLUMNS))
    return header, rows, hashing


def upload_check(upload) -> None:
    """Refuse a recipients upload over NOTICES_IMPORT_MAX_BYTES (the message says MiB)."""
    uploads.check_size(getattr(upload, "size", None), settings.NOTICES_IMPORT_MAX_BYTES)


@dataclass
class Preview:
    """What an import will read: the encoding (for CSV) and the first rows, decoded."""

    encoding: str = ""
    rows: list[list[str]] = field(default_factory=list)
    error: str = ""

    @property
    def encoding_label(self) -> str:
        return textencoding.LABELS.get(self.encoding, self.encoding)


def preview_rows(file: BinaryIO, filename: str, encoding: str = "", count: int = 6) -> Preview:
    """Decode the header and the first rows of a recipients file, storing nothing."""
    report = ImportReport()
    header, rows, _hashing = read_rows(file, filename, encoding, report)
    first = [[str(v) for v in row] for row in itertools.islice(rows, count - 1)]
    return Preview(encoding=report.encoding, rows=[header, *first])


def _invalid(column: str, message: str) -> ValidationError:
    return ValidationError(
        _("Column “%(column)s”: %(message)s") % {"column": column, "message": message}
    )


def parse_row(values: dict[str, str]) -> dict:
    """Check and normalise one row; raise ValidationError naming the column and the problem."""
    email = values.get("email", "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise _invalid("email", " ".join(error.messages)) from error
    if len(email) > EMAIL_MAX_LENGTH:
        raise _invalid("email", str(validate_email.message))
    flag = values.get("has_open_order", "").strip().lower()
    if flag not in TRUE | FALSE:
        raise _invalid("has_open_order", _("yes or no, not “%s”") % flag)
    jurisdiction = values.get("jurisdiction", "").strip().upper()
    if jurisdiction and not (
        (len(jurisdiction) == 2 and jurisdiction.isalpha())
        or jurisdiction == "OTHER"
        or (jurisdiction[:3] == "US-" and len(jurisdiction) == 5)
    ):
        raise _invalid("jurisdiction", _("unknown code “%s”") % jurisdiction)
    name, ref = values.get("name", "").strip(), values.get("customer_ref", "").strip()
    if len(name) > 200:
        raise _invalid("name", _("longer than %d characters") % 200)
    try:
        validate_header_text(name)  # the name goes into the To: header
    except ValidationError as error:
        raise _invalid("name", " ".join(error.messages)) from error
    if len(ref) > 100:
        raise _invalid("customer_ref", _("longer than %d characters") % 100)
    return {
        "email": email,
        "name": name,
        "language": Language.normalise(values.get("language")),
        "jurisdiction": jurisdiction,
        "customer_ref": ref,
        "has_open_order": flag in TRUE,
    }
