"""Import recipients from CSV or XLSX, streaming: the file is never held in memory.

Every row is validated first; if any is invalid the whole file is refused, with the invalid
rows and their numbers, unless the user confirmed that invalid rows may be skipped: then
nothing has changed. Duplicate emails (case-insensitive) are merged, within the file and with
the wind-down's existing recipients. On PostgreSQL the rows are checked in Python while they
are read (import_check), COPYed and merged and upserted in SQL (import_copy); a first import
into a wind-down without recipients COPYs them straight into the table while it reads
(import_fresh). Elsewhere two passes in Python upsert them in batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

import psycopg
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notices.models import Language, Recipient
from notices.services import import_copy, import_fresh
from notices.services.import_rows import ImportReport, parse_row, read_rows
from windown import roles
from windown.audit import audit_record
from windown.models import Membership

__all__ = ["ImportRefused", "ImportReport", "recipients_import"]

BATCH_SIZE = 5000


class ImportRefused(ValidationError):
    """The file has invalid rows and the user did not confirm skipping them."""

    def __init__(self, report: ImportReport):
        self.report = report
        lines = [_("Row %(row)s: %(error)s") % {"row": r, "error": e} for r, e in report.errors]
        super().__init__(
            [
                ngettext(
                    "%(count)s invalid row; nothing was imported.",
                    "%(count)s invalid rows; nothing was imported.",
                    report.invalid,
                )
                % {"count": report.invalid},
                *lines,
            ]
        )


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
_FIELDS = ("email", "name", "language", "jurisdiction", "customer_ref", "has_open_order")


def _upsert(winddown_id: int, rows: list[dict]) -> None:
    """Upsert a batch (emails unique within it); call inside a transaction."""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {_TABLE} (winddown_id, {', '.join(_FIELDS)}, created_at, updated_at) "  # noqa: S608  # nosec B608 # table from _meta, values are parameters
            f"VALUES (%s, %s, %s, %s, %s, %s, %s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) "
            "ON CONFLICT (winddown_id, email) DO UPDATE SET "
            f"name = COALESCE(NULLIF(excluded.name, ''), {_TABLE}.name), "
            "language = excluded.language, "
            f"jurisdiction = COALESCE(NULLIF(excluded.jurisdiction, ''), {_TABLE}.jurisdiction), "
            f"customer_ref = COALESCE(NULLIF(excluded.customer_ref, ''), {_TABLE}.customer_ref), "
            "has_open_order = excluded.has_open_order, updated_at = CURRENT_TIMESTAMP",
            [(winddown_id, *(row[f] for f in _FIELDS)) for row in rows],
        )


def _valid_rows(
    file: BinaryIO, filename: str, report: ImportReport, encoding: str = ""
) -> Iterator[dict]:
    """Parse the file, yielding valid rows and recording invalid ones in `report`."""
    header, rows, hashing = read_rows(file, filename, encoding, report)
    for number, values in enumerate(rows, start=2):
        if not any(str(v).strip() for v in values):
            continue
        report.rows += 1
        try:
            yield parse_row(dict(zip(header, values, strict=False)))
        except ValidationError as error:
            report.refuse_row(number, error)
    report.sha256 = hashing.digest.hexdigest()


def _record(by: Membership, filename: str, report: ImportReport, before: int) -> None:
    """Count the new recipients and record the import; call inside the last transaction."""
    report.created = Recipient.objects.filter(winddown=by.winddown).count() - before
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="notices.recipients_imported",
        payload={
            "filename": filename,
            "sha256": report.sha256,
            "rows": report.rows,
            "created": report.created,
            "invalid_skipped": report.invalid,
            "encoding": report.encoding,
        },
    )


def _import_in_batches(
    by, file, filename, skip_invalid, progress, before, encoding
) -> ImportReport:
    """Check every row, then upsert in committed batches (two passes over a seekable file)."""
    checked = ImportReport()
    for _row in _valid_rows(file, filename, checked, encoding):
        if progress and checked.rows % BATCH_SIZE == 0:
            progress("checking", checked.rows)
    if checked.invalid and not skip_invalid:
        raise ImportRefused(checked)
    if progress:
        progress("checked", checked.rows)
    file.seek(0)
    report = ImportReport()
    batch: dict[str, dict] = {}
    for row in _valid_rows(file, filename, report, encoding):
        _merge(batch, row)
        if len(batch) >= BATCH_SIZE:
            with transaction.atomic():
                _upsert(by.winddown_id, list(batch.values()))
            report.imported += len(batch)
            batch = {}
            if progress:
                progress("importing", report.rows)
    with transaction.atomic():
        if batch:
            _upsert(by.winddown_id, list(batch.values()))
            report.imported += len(batch)
        _record(by, filename, report, before)
    return report


def _import_by_copy(by, file, filename, skip_invalid, progress, before, encoding) -> ImportReport:
    """Check every row in one pass through COPY, then upsert them all in one statement.

    Loading and checking happen outside a transaction, so that progress is visible; the
    temporary tables belong to the session. Only the upsert and the audit event write.
    """
    report = ImportReport()
    header, rows, hashing = read_rows(file, filename, encoding, report)
    try:
        import_copy.copy_and_check(header=header, rows=rows, report=report, progress=progress)
        report.sha256 = hashing.digest.hexdigest()
        if report.invalid and not skip_invalid:
            raise ImportRefused(report)
        if progress:
            progress("checked", report.rows)
            progress("importing", report.rows)
        with transaction.atomic():
            report.imported = import_copy.upsert_checked(
                header=header, winddown_id=by.winddown_id, fresh=not before
            )
            _record(by, filename, report, before)
    finally:
        import_copy.drop_tables()
    return report


def _import_fresh(by, file, filename, skip_invalid, progress, before, encoding) -> ImportReport:
    """A first import (no recipients yet): rows are written while the file is read.

    See import_fresh. If another writer added one of the file's emails meanwhile, all of it
    is rolled back and the file is imported again by `_import_by_copy`, as an upsert.
    """
    report = ImportReport()
    header, rows, hashing = read_rows(file, filename, encoding, report)
    try:
        with transaction.atomic(), import_fresh.outside(progress) as shown:
            report.imported = import_fresh.copy_fresh(
                winddown_id=by.winddown_id, header=header, rows=rows, report=report, progress=shown
            )
            report.sha256 = hashing.digest.hexdigest()
            if report.invalid and not skip_invalid:
                raise ImportRefused(report)
            if shown:
                shown("checked", report.rows)
                shown("importing", report.rows)
            _record(by, filename, report, before)
    except (IntegrityError, psycopg.errors.UniqueViolation):
        file.seek(0)
        before = Recipient.objects.filter(winddown=by.winddown).count()
        return _import_by_copy(by, file, filename, skip_invalid, progress, before, encoding)
    finally:
        import_copy.drop_tables()
    return report


def recipients_import(
    *,
    by: Membership,
    file: BinaryIO,
    filename: str,
    skip_invalid: bool = False,
    progress: Callable[[str, int], None] | None = None,
    encoding: str = "",
) -> ImportReport:
    """Import a recipients file; refuse it if any row is invalid unless `skip_invalid`.

    The file is streamed, never held in memory; `progress(phase, rows)` is called now and
    then. Re-running an import is harmless: rows are upserted by email. A CSV file is read
    in `encoding` (the user's choice) or the one recognised; the report names it.
    """
    roles.require(by, "notices.manage")
    before = Recipient.objects.filter(winddown=by.winddown).count()
    if connection.vendor != "postgresql":
        run = _import_in_batches
    else:
        run = _import_by_copy if before else _import_fresh
    return run(by, file, filename, skip_invalid, progress, before, encoding)
