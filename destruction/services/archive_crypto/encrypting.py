"""Encrypting an export with age as it streams, and decrypting an archive back to a file.

Rows go from the upload through the csv module and pyrage's `encrypt_io` in batches, so the
plaintext CSV exists only in memory, a batch at a time, and is never written to disk.

Every cell of the archived CSV goes through windown.spreadsheets.neutralise, the one helper
every export uses: a custodian who opens the decrypted file in a spreadsheet runs no formula.
The change is reversible (`unneutralise` removes the one apostrophe), so the record's content
is kept whole; the manifest says so (`plaintext.cells`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import pyrage
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyrage import x25519

from destruction.services.archive_crypto.keys import (
    new_archive_identity,
    open_envelope,
    seal_envelope,
)
from destruction.services.archive_crypto.plan import ColumnPlan, checked_batch, plan_columns
from destruction.services.archive_crypto.reading import locate_bad_bytes, open_export
from windown.spreadsheets import neutralise

BATCH_ROWS = 2000


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
