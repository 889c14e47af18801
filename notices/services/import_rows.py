"""Read a recipients file (CSV or XLSX) as a stream of rows, and check one row in Python."""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from charset_normalizer import from_bytes
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from notices.models import Language

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

    def refuse_row(self, number: int, error: ValidationError) -> None:
        """Count an invalid row; name it if fewer than MAX_REPORTED are named already."""
        self.invalid += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append((number, " ".join(error.messages)))


class _Hashing(io.RawIOBase):
    """Wrap a binary file, hashing what is read from it."""

    def __init__(self, raw: BinaryIO):
        self.raw, self.digest = raw, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM), GB18030, or whatever charset-normalizer finds."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        best = from_bytes(sample).best()
        return best.encoding if best else "utf-8"


def _csv_rows(file: BinaryIO) -> Iterator[list]:
    buffered = io.BufferedReader(file, buffer_size=1 << 16)
    encoding = detect_encoding(buffered.peek(1 << 16)[: 1 << 16])
    text = io.TextIOWrapper(buffered, encoding=encoding, newline="")
    sample = text.read(4096)
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    # itertools.chain, not a generator: every line of a million-row file passes through it.
    reader = csv.reader(itertools.chain(io.StringIO(sample + text.readline()), text), dialect)
    return _decoded(reader, encoding)


def _decoded(reader, encoding: str) -> Iterator[list]:
    """The reader's rows; bytes that are not `encoding` refuse the file with where they are."""
    try:
        yield from reader
    except UnicodeDecodeError as error:
        raise ValidationError(
            _(
                "The file is not valid %(encoding)s text after row %(row)s (byte %(byte)s). "
                "Save it as UTF-8 and import it again; nothing was imported."
            )
            % {
                "encoding": encoding.removesuffix("-sig").upper(),
                "row": reader.line_num,
                "byte": f"0x{error.object[error.start]:02x}",
            }
        ) from error


def _xlsx_rows(file: BinaryIO) -> Iterator[list]:
    from openpyxl import load_workbook

    workbook = load_workbook(file, read_only=True, data_only=True)
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield ["" if v is None else str(v) for v in row]
    finally:
        workbook.close()


def read_rows(file: BinaryIO, filename: str) -> tuple[list[str], Iterator[list], _Hashing]:
    """The normalised header, the remaining rows, and the hash of what has been read."""
    hashing = _Hashing(file)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        # A zip archive needs seeking: hash it in one streaming pass, then let openpyxl read
        # the sheet in read-only (streaming) mode.
        while hashing.read(1 << 20):
            pass
        file.seek(0)
        rows = _xlsx_rows(file)
    else:
        rows = _csv_rows(io.BufferedReader(hashing, buffer_size=1 << 16))
    header = [str(h).strip().lower().lstrip("\ufeff") for h in next(rows, [])]
    if "email" not in header:
        raise ValidationError(_("The first row must name the columns: %s") % ", ".join(COLUMNS))
    return header, rows, hashing


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
