"""Data-map import jobs: the upload is stored and a worker reads it, twice if the user agrees.

The web process only stores the file (after the size checks: the upload's, and for XLSX what
it expands to, read from the zip in bounded memory) and queues a task; the worker parses it
and records the report (the preview: what would change, or every problem with its row and
column). When the user confirms, a second task imports it. A rejected file changes nothing.
Same pattern as the recipient import (notices/services/import_jobs.py).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inventory.datamap.reading import XLSX_MAGIC
from inventory.datamap.report import ImportReport, report_from_json, report_to_json
from inventory.models import DataMapImport
from inventory.services.datamap import datamap_import, size_problem
from windown import roles, textencoding, uploads
from windown.models import Membership

S = DataMapImport.Status
RUNNING = (S.PENDING, S.CHECKING, S.QUEUED, S.IMPORTING)
# the status a task takes a job from -> the status it runs in (again, after a worker died)
CLAIMS = {
    S.PENDING: S.CHECKING,
    S.CHECKING: S.CHECKING,
    S.QUEUED: S.IMPORTING,
    S.IMPORTING: S.IMPORTING,
}


def _check_upload(upload) -> None:
    """Refuse a file over the size limits (named on the form's `file` field)."""
    problem = size_problem(upload.size)
    if problem:
        raise ValidationError({"file": ValidationError(problem, code="too_large")})
    head = upload.read(len(XLSX_MAGIC))
    upload.seek(0)
    if head == XLSX_MAGIC or upload.name.lower().endswith((".xlsx", ".xlsm")):
        try:
            uploads.check_xlsx(  # streams the zip once, in bounded memory; parses nothing
                upload,
                max_uncompressed=settings.WINDOWN_IMPORT_MAX_UNCOMPRESSED_BYTES,
                max_rows=settings.WINDOWN_IMPORT_MAX_ROWS,
            )
        except ValidationError as error:
            raise ValidationError({"file": error}) from error


@transaction.atomic
def datamap_job_create(
    *, by: Membership, upload, encoding: str = "", preview: bool = True
) -> DataMapImport:
    """Store an uploaded data map and queue its check (the preview) on a worker.

    Without `preview` the worker imports it at once (if every row is valid; else nothing).
    """
    from inventory.tasks import datamap_import_run  # the task module imports this one

    if not roles.holds(by, "inventory.import"):
        raise PermissionDenied(roles.refusal(by, "inventory.import"))
    if encoding and encoding not in textencoding.CODECS:
        raise ValidationError(_("Unknown text encoding “%s”.") % encoding, code="encoding")
    _check_upload(upload)
    datamap_job_files_purge()
    job = DataMapImport(
        winddown=by.winddown,
        requested_by=by,
        filename=upload.name[:255],
        encoding=encoding,
        language=translation.get_language() or "",
        status=S.PENDING if preview else S.QUEUED,
    )
    job.file.save(upload.name, upload, save=False)
    job.save()
    transaction.on_commit(lambda: datamap_import_run.delay(job.pk))
    return job


def datamap_job_report(job: DataMapImport) -> ImportReport | None:
    """The report the worker recorded (None while it has not read the file)."""
    return report_from_json(job.report) if "sha256" in job.report else None


@transaction.atomic
def datamap_job_apply(*, by: Membership, job: DataMapImport) -> None:
    """Queue the import of a checked file the user has seen the report of."""
    from inventory.tasks import datamap_import_run  # the task module imports this one

    if not roles.holds(by, "inventory.import"):
        raise PermissionDenied(roles.refusal(by, "inventory.import"))
    if job.requested_by_id != by.pk:
        raise PermissionDenied(_("Only the member who uploaded this file may import it."))
    report = datamap_job_report(job)
    if report is None or not (report.ok and report.changes_anything):
        raise ValidationError(_("This file has nothing to import."))
    updated = DataMapImport.objects.filter(pk=job.pk, status=S.PREVIEWED).update(status=S.QUEUED)
    if not updated:
        raise ValidationError(_("This import has already been started."))
    transaction.on_commit(lambda: datamap_import_run.delay(job.pk))


def datamap_job_run(job_id: int) -> None:
    """The worker's side: check a pending file, or import a confirmed one.

    Taken again after a worker died (the task is acknowledged late): checking writes nothing,
    and an import records its outcome in the transaction that writes the data map, holding
    the job's row, so a second delivery finds it done.
    """
    job = DataMapImport.objects.select_related("requested_by__winddown", "requested_by__user")
    job = job.filter(pk=job_id).first()
    if job is None:
        return
    running = CLAIMS.get(job.status)
    taken = DataMapImport.objects.filter(pk=job_id, status=job.status)
    if running is None or not taken.update(status=running):
        return  # finished, waiting for the user, or taken by another delivery of the task
    with translation.override(job.language or None):  # the report in the uploader's language
        if running == S.CHECKING:
            _check(job)
        else:
            _import(job)


def _read(job: DataMapImport, *, dry_run: bool) -> ImportReport:
    with job.file.open("rb") as file:
        data = file.read()  # bounded by WINDOWN_IMPORT_MAX_BYTES, checked at upload
    return datamap_import(
        by=job.requested_by,
        data=data,
        filename=job.filename,
        dry_run=dry_run,
        encoding=job.encoding,
    )


def _failed(error: Exception) -> dict:
    """A file that could not be read (or a requester who lost the right to import it)."""
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    return {"status": S.FAILED, "report": {"errors": messages}}


def _check(job: DataMapImport) -> None:
    try:
        report = _read(job, dry_run=True)
    except (ValidationError, PermissionDenied) as error:
        outcome = _failed(error)
    else:
        changes = report.ok and report.changes_anything
        status = S.PREVIEWED if changes else S.REFUSED if not report.ok else S.UNCHANGED
        outcome = {"status": status, "report": report_to_json(report)}
    DataMapImport.objects.filter(pk=job.pk, status=S.CHECKING).update(
        **outcome, finished_at=timezone.now()
    )
    if outcome["status"] == S.UNCHANGED:
        _forget_file(job)


def _import(job: DataMapImport) -> None:
    with transaction.atomic():
        locked = DataMapImport.objects.select_for_update().get(pk=job.pk)
        if locked.status != S.IMPORTING:
            return
        try:
            report = _read(job, dry_run=False)
        except (ValidationError, PermissionDenied) as error:
            outcome = _failed(error)
        else:  # not ok: the data map changed since the preview, and nothing was written
            status = S.DONE if report.applied else S.REFUSED
            outcome = {"status": status, "report": report_to_json(report)}
        DataMapImport.objects.filter(pk=job.pk).update(**outcome, finished_at=timezone.now())
    if outcome["status"] == S.DONE:
        _forget_file(job)


def _forget_file(job: DataMapImport) -> None:
    job.file.delete(save=False)
    DataMapImport.objects.filter(pk=job.pk).update(file="")


def datamap_job_files_purge(*, older_than_hours: int = 24) -> int:
    """Delete the files of imports nobody finished within a day (a data map is personal data)."""
    stale = DataMapImport.objects.filter(
        created_at__lt=timezone.now() - timedelta(hours=older_than_hours)
    ).exclude(file="")
    removed = 0
    for job in stale.exclude(status__in=RUNNING):
        _forget_file(job)
        removed += 1
    return removed
