"""Import recipients from CSV or XLSX, streaming: the file is never held in memory.

Every row is validated first; if any is invalid the whole file is refused, with the invalid
rows and their numbers, unless the user confirmed that invalid rows may be skipped. Rows are
then upserted in batches. Duplicate emails (case-insensitive) are merged.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from charset_normalizer import from_bytes
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils.translation import gettext as _

from notices.models import Language, Recipient
from windown import roles
from windown.audit import audit_record
from windown.models import Membership

BATCH_SIZE = 5000
COLUMNS = ["email", "name", "language", "jurisdiction", "customer_ref", "has_open_order"]
TRUE, FALSE = (
    {"1", "true", "yes", "y", "x", "是", "ja", "oui", "sí", "si"},
    {"", "0", "false", "no", "n", "否", "nein", "non"},
)
MAX_REPORTED = 200


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    created: int = 0
    invalid: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    sha256: str = ""


class ImportRefused(ValidationError):
    """The file has invalid rows and the user did not confirm skipping them."""

    def __init__(self, report: ImportReport):
        self.report = report
        lines = [_("Row %(row)s: %(error)s") % {"row": r, "error": e} for r, e in report.errors]
        super().__init__(
            [_("%(count)s invalid rows; nothing was imported.") % {"count": report.invalid}, *lines]
        )


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
    yield from csv.reader(_chain(sample, text), dialect)


def _chain(first: str, rest: io.TextIOWrapper) -> Iterator[str]:
    yield from io.StringIO(first + rest.readline())
    yield from rest


def _xlsx_rows(file: BinaryIO) -> Iterator[list]:
    from openpyxl import load_workbook

    workbook = load_workbook(file, read_only=True, data_only=True)
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield ["" if v is None else str(v) for v in row]
    finally:
        workbook.close()


def _parse(values: dict[str, str]) -> dict:
    email = values.get("email", "").strip().lower()
    validate_email(email)
    flag = values.get("has_open_order", "").strip().lower()
    if flag not in TRUE | FALSE:
        raise ValidationError(_("has_open_order must be yes or no, not “%s”") % flag)
    jurisdiction = values.get("jurisdiction", "").strip().upper()
    if jurisdiction and not (
        (len(jurisdiction) == 2 and jurisdiction.isalpha())
        or jurisdiction == "OTHER"
        or (jurisdiction[:3] == "US-" and len(jurisdiction) == 5)
    ):
        raise ValidationError(_("Unknown jurisdiction “%s”") % jurisdiction)
    name, ref = values.get("name", "").strip(), values.get("customer_ref", "").strip()
    if len(name) > 200 or len(ref) > 100:
        raise ValidationError(_("Name or customer reference is too long."))
    return {
        "email": email,
        "name": name,
        "language": Language.normalise(values.get("language")),
        "jurisdiction": jurisdiction,
        "customer_ref": ref,
        "has_open_order": flag in TRUE,
    }


def _merge(batch: dict[str, dict], row: dict) -> None:
    """Merge a duplicate email into the row already seen: later values fill or replace."""
    seen = batch.get(row["email"])
    if seen is None:
        batch[row["email"]] = row
        return
    for key in ("name", "jurisdiction", "customer_ref"):
        seen[key] = row[key] or seen[key]
    if row["language"] != Language.EN:
        seen["language"] = row["language"]
    seen["has_open_order"] = seen["has_open_order"] or row["has_open_order"]


_TABLE = Recipient._meta.db_table
_ON_CONFLICT = (
    "ON CONFLICT (winddown_id, email) DO UPDATE SET "
    f"name = COALESCE(NULLIF(excluded.name, ''), {_TABLE}.name), "
    "language = excluded.language, "
    f"jurisdiction = COALESCE(NULLIF(excluded.jurisdiction, ''), {_TABLE}.jurisdiction), "
    f"customer_ref = COALESCE(NULLIF(excluded.customer_ref, ''), {_TABLE}.customer_ref), "
    "has_open_order = excluded.has_open_order, updated_at = CURRENT_TIMESTAMP"
)
_COLUMNS = "winddown_id, email, name, language, jurisdiction, customer_ref, has_open_order"
_FIELDS = ("email", "name", "language", "jurisdiction", "customer_ref", "has_open_order")


def _upsert(winddown_id: int, rows: list[dict]) -> None:
    """Upsert a batch (emails unique within it); call inside a transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY the batch into a temporary table, then one INSERT ... SELECT: an order of
            # magnitude faster than row-by-row statements.
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS notices_import_batch (email text, name text, "
                "language text, jurisdiction text, customer_ref text, has_open_order boolean) "
                "ON COMMIT DELETE ROWS"
            )
            with cursor.copy(
                f"COPY notices_import_batch ({', '.join(_FIELDS)}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row([row[f] for f in _FIELDS])
            cursor.execute(
                f"INSERT INTO {_TABLE} ({_COLUMNS}, created_at, updated_at) "  # noqa: S608
                f"SELECT %s, {', '.join(_FIELDS)}, now(), now() FROM notices_import_batch "
                f"WHERE true {_ON_CONFLICT}",
                [winddown_id],
            )
            cursor.execute("TRUNCATE notices_import_batch")
            return
        cursor.executemany(
            f"INSERT INTO {_TABLE} ({_COLUMNS}, created_at, updated_at) "  # noqa: S608
            f"VALUES (%s, %s, %s, %s, %s, %s, %s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) "
            f"{_ON_CONFLICT}",
            [(winddown_id, *(row[f] for f in _FIELDS)) for row in rows],
        )


def _rows(file: BinaryIO, filename: str) -> tuple[Iterator[list], _Hashing]:
    hashing = _Hashing(file)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        # A zip archive needs seeking: hash it in one streaming pass, then let openpyxl read
        # the sheet in read-only (streaming) mode.
        while hashing.read(1 << 20):
            pass
        file.seek(0)
        return _xlsx_rows(file), hashing
    return _csv_rows(io.BufferedReader(hashing, buffer_size=1 << 16)), hashing


def _valid_rows(file: BinaryIO, filename: str, report: ImportReport) -> Iterator[dict]:
    """Parse the file, yielding valid rows and recording invalid ones in `report`."""
    rows, hashing = _rows(file, filename)
    header = [str(h).strip().lower().lstrip("\ufeff") for h in next(rows, [])]
    if "email" not in header:
        raise ValidationError(_("The first row must name the columns: %s") % ", ".join(COLUMNS))
    for number, values in enumerate(rows, start=2):
        if not any(str(v).strip() for v in values):
            continue
        report.rows += 1
        try:
            yield _parse(dict(zip(header, values, strict=False)))
        except ValidationError as error:
            report.invalid += 1
            if len(report.errors) < MAX_REPORTED:
                report.errors.append((number, " ".join(error.messages)))
    report.sha256 = hashing.digest.hexdigest()


def recipients_import(
    *,
    by: Membership,
    file: BinaryIO,
    filename: str,
    skip_invalid: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> ImportReport:
    """Import a recipients file; refuse it if any row is invalid unless `skip_invalid`.

    Two streaming passes over a seekable file: the first validates every row (and refuses
    the file before anything is written), the second upserts in committed batches, so a
    million rows never sit in memory or in one long transaction. Re-running an import is
    harmless: rows are upserted by email.
    """
    roles.require(by, "notices.manage")
    winddown = by.winddown
    checked = ImportReport()
    for _row in _valid_rows(file, filename, checked):
        if progress and checked.rows % BATCH_SIZE == 0:
            progress("checking", checked.rows)
    if checked.invalid and not skip_invalid:
        raise ImportRefused(checked)
    if progress:
        progress("checked", checked.rows)
    file.seek(0)
    before = Recipient.objects.filter(winddown=winddown).count()
    report = ImportReport()
    batch: dict[str, dict] = {}
    for row in _valid_rows(file, filename, report):
        _merge(batch, row)
        if len(batch) >= BATCH_SIZE:
            with transaction.atomic():
                _upsert(winddown.pk, list(batch.values()))
            report.imported += len(batch)
            batch = {}
            if progress:
                progress("importing", report.rows)
    with transaction.atomic():
        if batch:
            _upsert(winddown.pk, list(batch.values()))
            report.imported += len(batch)
        report.created = Recipient.objects.filter(winddown=winddown).count() - before
        audit_record(
            winddown=winddown,
            actor=by.user,
            action="notices.recipients_imported",
            payload={
                "filename": filename,
                "sha256": report.sha256,
                "rows": report.rows,
                "created": report.created,
                "invalid_skipped": report.invalid,
            },
        )
    return report
