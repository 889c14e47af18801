"""Recipient import jobs: an uploaded file imported by a worker, with progress and a report."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notices.models import RecipientImport
from notices.services.import_rows import Preview, preview_rows, upload_check
from notices.services.importing import ImportRefused, recipients_import
from windown import roles, textencoding
from windown.models import Membership

_LOCK_SPACE = 0x1E5_0000_0000  # advisory lock keys of import jobs: this + the job's id


@transaction.atomic
def import_job_create(
    *,
    by: Membership,
    upload,
    skip_invalid: bool = False,
    encoding: str = "",
    preview: bool = False,
) -> RecipientImport:
    """Store an uploaded file and queue its import on a worker.

    With `preview` the import waits until the user has seen the first rows as decoded and
    started it (`import_job_start`); nothing is imported before.
    """
    from notices.tasks import recipients_import_run  # the task module imports this one

    roles.require(by, "notices.manage")
    upload_check(upload)
    if encoding and encoding not in textencoding.CODECS:
        raise ValidationError(_("Unknown text encoding “%s”.") % encoding, code="encoding")
    S = RecipientImport.Status
    job = RecipientImport(
        winddown=by.winddown,
        requested_by=by,
        filename=upload.name[:255],
        skip_invalid=skip_invalid,
        encoding=encoding,
        language=translation.get_language() or "",
        status=S.PREVIEW if preview else S.PENDING,
    )
    job.file.save(upload.name, upload, save=False)
    job.save()
    if not preview:
        transaction.on_commit(lambda: recipients_import_run.delay(job.pk))
    return job


def import_job_preview(job: RecipientImport) -> Preview:
    """The encoding a waiting import will be read with and its first rows, decoded."""
    try:
        with job.file.open("rb") as file:
            return preview_rows(file, job.filename, job.encoding)
    except ValidationError as error:
        return Preview(error=" ".join(error.messages))


@transaction.atomic
def import_job_start(
    *, by: Membership, job: RecipientImport, encoding: str, skip_invalid: bool
) -> None:
    """Start an import the user previewed, in the encoding they confirmed (or recognised)."""
    from notices.tasks import recipients_import_run  # the task module imports this one

    roles.require(by, "notices.manage")
    if encoding and encoding not in textencoding.CODECS:
        raise ValidationError(_("Unknown text encoding “%s”.") % encoding, code="encoding")
    S = RecipientImport.Status
    updated = RecipientImport.objects.filter(pk=job.pk, status=S.PREVIEW).update(
        status=S.PENDING, encoding=encoding, skip_invalid=skip_invalid
    )
    if not updated:
        raise ValidationError(_("This import has already been started."))
    transaction.on_commit(lambda: recipients_import_run.delay(job.pk))


def import_job_confirm_skip(*, by: Membership, job):
    """Re-run a refused import, this time skipping the invalid rows (the user confirmed)."""
    from notices.tasks import recipients_import_run  # the task module imports this one

    roles.require(by, "notices.manage")
    updated = RecipientImport.objects.filter(
        pk=job.pk, status=RecipientImport.Status.REFUSED
    ).update(skip_invalid=True, status=RecipientImport.Status.PENDING, rows_done=0, report={})
    if not updated:
        raise ValidationError(_("Only a refused import can be confirmed."))
    transaction.on_commit(lambda: recipients_import_run.delay(job.pk))


def import_job_run(job_id: int, *, resume: bool = False) -> None:
    """Run a queued import (the worker's side), recording progress as it goes.

    `resume`: run it again although it is marked running (its run lost the database before
    it could finish; the task retries). On PostgreSQL a session lock on the job keeps two runs
    apart, and goes with a lost connection; re-running is harmless (rows are upserted by email,
    and the upsert and its audit event commit together or not at all).
    """
    S = RecipientImport.Status
    with _exclusive(job_id) as ours:
        statuses = [S.PENDING, S.RUNNING] if resume else [S.PENDING]
        taken = RecipientImport.objects.filter(pk=job_id, status__in=statuses)
        if not ours or not taken.update(status=S.RUNNING):
            return  # already taken by another delivery of the task, or not pending
        language = RecipientImport.objects.filter(pk=job_id).values_list("language", flat=True)
        with translation.override(language.first() or None):  # the uploader's language
            _run(job_id)


@contextmanager
def _exclusive(job_id: int) -> Iterator[bool]:
    """Hold PostgreSQL's session lock on the job while it runs (elsewhere: always yours)."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = _LOCK_SPACE + job_id
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        ours = cursor.fetchone()[0]
    try:
        yield ours
    finally:
        if ours:
            with contextlib.suppress(Exception), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])  # a lost one is gone


def _run(job_id: int) -> None:
    S = RecipientImport.Status
    job = RecipientImport.objects.select_related(
        "requested_by__winddown", "requested_by__user"
    ).get(pk=job_id)

    def progress(phase: str, rows: int) -> None:
        if phase == "checked":  # the whole file is valid (or confirmed): its size is known
            RecipientImport.objects.filter(pk=job_id).update(report={"rows_total": rows})
        else:
            RecipientImport.objects.filter(pk=job_id).update(phase=phase, rows_done=rows)

    outcome = {"status": S.DONE, "finished_at": timezone.now()}
    try:
        with job.file.open("rb") as file:
            report = recipients_import(
                by=job.requested_by,
                file=file,
                filename=job.filename,
                skip_invalid=job.skip_invalid,
                progress=progress,
                encoding=job.encoding,
            )
    except ImportRefused as refused:
        outcome.update(status=S.REFUSED, report=refused.report.__dict__)
    except ValidationError as error:
        outcome.update(status=S.FAILED, report={"errors": [[0, m] for m in error.messages]})
    else:
        outcome.update(report=report.__dict__, rows_done=report.rows, file="")
    RecipientImport.objects.filter(pk=job_id).update(**outcome)
    if outcome["status"] == S.DONE:  # recorded first: a run that stops here is not repeated
        job.file.delete(save=False)


def import_files_purge(*, older_than_hours: int = 24) -> int:
    """Delete uploaded files of imports that were refused or failed and left so for a day."""

    stale = RecipientImport.objects.filter(
        status__in=[RecipientImport.Status.REFUSED, RecipientImport.Status.FAILED],
        finished_at__lt=timezone.now() - timedelta(hours=older_than_hours),
    ).exclude(file="")
    removed = 0
    for job in stale:
        job.file.delete(save=False)
        RecipientImport.objects.filter(pk=job.pk).update(file="")
        removed += 1
    return removed
