"""The streaming core of archives: read an export, apply the field plan, encrypt it with age.

Nothing here loads a file whole: rows go from the upload through the csv module and pyrage's
`encrypt_io` in batches, so the plaintext CSV exists only in memory, a batch at a time, and is
never written to disk. Errors name the row (the header is row 1) and the column.

Every cell of the archived CSV goes through windown.spreadsheets.neutralise, the one helper
every export uses: a custodian who opens the decrypted file in a spreadsheet runs no formula.
The change is reversible (`unneutralise` removes the one apostrophe), so the record's content
is kept whole; the manifest says so (`plaintext.cells`).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import itertools
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import pyrage
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyrage import x25519

from windown import textencoding, uploads
from windown.spreadsheets import neutralise

SNIFF_BYTES = 1 << 16
BATCH_ROWS = 2000


# ---------------------------------------------------------------------------------------- keys
def parse_recipient(text: str) -> x25519.Recipient:
    """Return the age X25519 recipient, refusing anything else (a private key above all)."""
    text = text.strip()
    if text.upper().startswith("AGE-SECRET-KEY-"):
        raise ValidationError(
            _(
                "This is a private key. Never share it: register the public key "
                "(the line `# public key: age1…` that age-keygen prints) and generate a new "
                "identity, since this one has left the custodian's hands."
            )
        )
    try:
        return x25519.Recipient.from_str(text)
    except pyrage.RecipientError as error:
        raise ValidationError(
            _("Not an age public key (it starts with age1 and comes from age-keygen).")
        ) from error


def parse_identities(text: str) -> list[x25519.Identity]:
    """Return the X25519 identities of an age identity file (comments and blanks skipped)."""
    identities = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            try:
                identities.append(x25519.Identity.from_str(line))
            except pyrage.IdentityError as error:
                raise ValidationError(
                    _("The identity file holds a line that is not an age identity.")
                ) from error
    if not identities:
        raise ValidationError(_("The identity file holds no age identity (AGE-SECRET-KEY-1…)."))
    return identities


def new_archive_identity(label: str) -> tuple[bytes, str]:
    """Make a fresh X25519 identity; return it as an age identity file and its public key."""
    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    text = (
        f"# windown archive key: {label}\n# created: {created}\n"
        f"# public key: {public}\n{identity}\n"
    )
    return text.encode(), public


def seal_envelope(identity_file: bytes, recipients: Iterable[str]) -> bytes:
    """Encrypt the archive's identity file to the custodians' public keys (age)."""
    return pyrage.encrypt(identity_file, [parse_recipient(r) for r in recipients])


def open_envelope(envelope: bytes, custodian_identity: str) -> list[x25519.Identity]:
    """Decrypt a key envelope with a custodian's identity file; return the archive identity."""
    try:
        identity_file = pyrage.decrypt(envelope, parse_identities(custodian_identity))
    except pyrage.DecryptError as error:
        raise ValidationError(
            _("This identity cannot open the archive's key envelope (not one of its recipients).")
        ) from error
    return parse_identities(identity_file.decode())


# ------------------------------------------------------------------------------------ reading
@dataclass
class Export:
    """An uploaded export: its header, its data rows, and the hash of its bytes."""

    header: list[str]
    rows: Iterator[list]
    format: str
    source: _Hashing
    encoding: str = ""
    delimiter: str = ","


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
    hashing = _Hashing(file)
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
    hashing = _Hashing(file)
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


# ------------------------------------------------------------------------------------ the plan
def _norm(name: str) -> str:
    return str(name).strip().lstrip("\ufeff").strip().lower()


@dataclass(frozen=True)
class ColumnPlan:
    header: list[str]
    keep_indexes: list[int]
    kept: list[str]
    dropped: list[str]


def plan_columns(header: list[str], keep_fields: list[str], drop_fields: list[str]) -> ColumnPlan:
    """Match the export's columns to the decision's field plan.

    Every column must be named by the plan: a column the plan does not mention is refused,
    not guessed at (dropping it could cut content the law requires to be kept whole; keeping
    it would archive data nobody decided to keep). A field the plan keeps must be present.
    """
    while header and not _norm(header[-1]):
        header = header[:-1]
    names = [_norm(h) for h in header]
    if not names:
        raise ValidationError(_("Row 1 must name the columns; the file has no header row."))
    errors = []
    blank = [str(i + 1) for i, n in enumerate(names) if not n]
    if blank:
        errors.append(_("Row 1: column(s) %s have no name.") % ", ".join(blank))
    duplicates = sorted({n for n in names if n and names.count(n) > 1})
    if duplicates:
        errors.append(_("Row 1: column(s) named twice: %s.") % ", ".join(duplicates))
    keep, drop = {_norm(f) for f in keep_fields}, {_norm(f) for f in drop_fields}
    unplanned = [h for h, n in zip(header, names, strict=True) if n and n not in keep | drop]
    if unplanned:
        errors.append(
            _(
                "Row 1: the decision's field plan does not mention column(s) %(columns)s. "
                "Remove them from the export, or have them added to the holding's fields so "
                "legal decides whether they are kept."
            )
            % {"columns": ", ".join(unplanned)}
        )
    missing = sorted(keep - set(names))
    if missing:
        errors.append(
            _("Row 1: the export lacks field(s) the plan keeps: %s.") % ", ".join(missing)
        )
    if errors:
        raise ValidationError(errors)
    indexes = [i for i, n in enumerate(names) if n in keep]
    return ColumnPlan(
        header=list(header),
        keep_indexes=indexes,
        kept=[header[i].strip().lstrip("\ufeff") for i in indexes],
        dropped=[h.strip().lstrip("\ufeff") for i, h in enumerate(header) if i not in indexes],
    )


def checked_batch(batch: list[list], header: list[str], first_row: int) -> list[list]:
    """Return the batch without blank rows; refuse a row wider or narrower than the header.

    `first_row` is the file's row number of batch[0] (the header is row 1).
    """
    width, checked = len(header), []
    for number, row in enumerate(batch, start=first_row):
        if len(row) == width:
            checked.append(row)
        elif not any(cell.strip() for cell in row):
            continue
        elif len(row) > width and not any(cell.strip() for cell in row[width:]):
            checked.append(row[:width])
        elif len(row) > width:
            raise ValidationError(
                _("Row %(row)s has %(cells)s cells but the header names %(width)s columns.")
                % {"row": number, "cells": len(row), "width": width}
            )
        else:
            raise ValidationError(
                _(
                    "Row %(row)s ends before column %(column)s "
                    "(it has %(cells)s of %(width)s cells)."
                )
                % {"row": number, "column": header[len(row)], "cells": len(row), "width": width}
            )
    return checked


# ---------------------------------------------------------------------------------- encrypting
def _neutralised(cells: Iterable[str]) -> list[str]:
    """The cells as written to the archive: none starts a formula (reversibly, see above)."""
    return list(map(neutralise, cells))


class PlannedCSV(io.RawIOBase):
    """A readable stream of the archived CSV (UTF-8, kept columns only), made batch by batch."""

    def __init__(self, plan: ColumnPlan, rows: Iterator[list]):
        self._rows, self._header, self._width = rows, plan.header, len(plan.header)
        self._next_row = 2  # the header is row 1
        indexes = plan.keep_indexes
        self._pick = (
            operator.itemgetter(*indexes) if len(indexes) > 1 else (lambda r: (r[indexes[0]],))
        )
        self._text = io.StringIO()
        self._writer = csv.writer(self._text)
        self._writer.writerow(_neutralised(plan.kept))
        self._buffer = b""
        self._offset = 0
        self._done = False
        self.rows = 0
        self.size = 0
        self.digest = hashlib.sha256()
        self.error: BaseException | None = None
        self._flush()

    def readable(self) -> bool:
        return True

    def _flush(self) -> None:
        data = self._text.getvalue().encode("utf-8")
        self._text.seek(0)
        self._text.truncate()
        self.digest.update(data)
        self.size += len(data)
        self._buffer, self._offset = data, 0

    def _fill(self) -> None:
        batch = list(itertools.islice(self._rows, BATCH_ROWS))
        if not batch:
            self._done = True
            return
        first, self._next_row = self._next_row, self._next_row + len(batch)
        # every row as wide as the header: checked in C; otherwise row by row
        if set(map(len, batch)) != {self._width}:
            batch = checked_batch(batch, self._header, first)
        self.rows += len(batch)
        self._writer.writerows(map(_neutralised, map(self._pick, batch)))
        self._flush()

    def readinto(self, buffer) -> int:
        try:
            wanted, written = len(buffer), 0
            while written < wanted:
                if self._offset >= len(self._buffer):
                    if self._done:
                        break
                    self._fill()
                    continue
                take = min(wanted - written, len(self._buffer) - self._offset)
                buffer[written : written + take] = self._buffer[self._offset : self._offset + take]
                self._offset += take
                written += take
            return written
        except BaseException as error:  # kept: pyrage turns it into a bare I/O error
            self.error = error
            raise


class HashingWriter(io.RawIOBase):
    """Write to a binary file, hashing and counting what passes."""

    def __init__(self, raw: BinaryIO):
        self.raw, self.digest, self.size = raw, hashlib.sha256(), 0
        self.error: BaseException | None = None

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.digest.update(data)
        self.size += len(data)
        try:
            self.raw.write(data)
        except BaseException as error:  # kept: pyrage turns it into a bare I/O error
            self.error = error
            raise
        return len(data)


@dataclass
class Sealed:
    rows: int
    plaintext_sha256: str
    plaintext_size: int
    ciphertext_sha256: str
    ciphertext_size: int
    public_key: str
    envelope: bytes
    envelope_sha256: str
    plan: ColumnPlan
    source_sha256: str
    source_format: str
    warnings: list[str] = field(default_factory=list)


def encrypt_export(
    *,
    source: BinaryIO,
    filename: str,
    keep_fields: list[str],
    drop_fields: list[str],
    recipients: list[str],
    out: BinaryIO,
    label: str,
) -> Sealed:
    """Stream `source` through the field plan into age ciphertext written to `out`."""
    export = open_export(source, filename)
    if export.format == "csv" and not export.header:
        raise locate_bad_bytes(export, source, [])
    plan = plan_columns(export.header, keep_fields, drop_fields)
    identity_file, public_key = new_archive_identity(label)
    plaintext = PlannedCSV(plan, export.rows)
    ciphertext = HashingWriter(out)
    try:
        pyrage.encrypt_io(plaintext, ciphertext, [x25519.Recipient.from_str(public_key)])
    except Exception as error:
        cause = plaintext.error or ciphertext.error or error
        if isinstance(cause, ValidationError):
            raise cause from None
        if isinstance(cause, UnicodeDecodeError) and export.format == "csv":
            raise locate_bad_bytes(export, source, plan.header) from None
        raise
    if plaintext.rows == 0:
        raise ValidationError(_("The export has a header but no rows; nothing was archived."))
    if export.format == "csv":
        while export.source.read(1 << 20):  # hash whatever the csv reader left unread
            pass
    envelope = seal_envelope(identity_file, recipients)
    return Sealed(
        rows=plaintext.rows,
        plaintext_sha256=plaintext.digest.hexdigest(),
        plaintext_size=plaintext.size,
        ciphertext_sha256=ciphertext.digest.hexdigest(),
        ciphertext_size=ciphertext.size,
        public_key=public_key,
        envelope=envelope,
        envelope_sha256=hashlib.sha256(envelope).hexdigest(),
        plan=plan,
        source_sha256=export.source.digest.hexdigest(),
        source_format=export.format,
    )


def decrypt_to(
    *, ciphertext: BinaryIO, envelope: bytes, custodian_identity: str, out: BinaryIO
) -> tuple[str, int]:
    """Open the envelope with the custodian's identity, stream the plaintext to `out`.

    Return its SHA-256 and size. age authenticates every 64 KiB chunk and the end of the
    stream, so a changed or truncated ciphertext raises instead of yielding altered data.
    """
    identities = open_envelope(envelope, custodian_identity)
    sink = HashingWriter(out)
    try:
        pyrage.decrypt_io(ciphertext, sink, identities)
    except (pyrage.DecryptError, OSError) as error:
        if sink.error is not None:  # our side failed (a full disk), not the ciphertext
            raise sink.error from None
        raise ValidationError(
            _("The ciphertext does not decrypt: it was altered, truncated or replaced.")
        ) from error
    return sink.digest.hexdigest(), sink.size
