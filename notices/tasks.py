"""Celery tasks of the notices phase: thin, carrying ids only, short-lived.

`campaign_send` works through batches for at most NOTICES_TASK_BUDGET_SECONDS, then queues its
own continuation, so no task comes near the broker's visibility timeout. `tick` runs from beat
every few seconds: it starts scheduled campaigns (no ETA tasks), re-queues expired leases and
restarts sending campaigns whose workers died.
"""

from __future__ import annotations

import logging
import time
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from notices import recovery, sending
from notices.models import Campaign
from notices.services import acknowledgements
from notices.services.campaigns import campaign_begin
from notices.services.import_jobs import import_files_purge, import_job_run
from notices.services.tallies import delivery_tally_compact

log = logging.getLogger(__name__)
IMPORT_RETRY_SECONDS = 3  # between two tries of an import whose database went away


@shared_task(name="notices.campaign_send", acks_late=True)
def campaign_send(campaign_id: int) -> str:
    """Send the campaign's due deliveries for a while, then hand over to a fresh task."""
    worker = sending.worker_name()
    deadline = time.monotonic() + settings.NOTICES_TASK_BUDGET_SECONDS
    swept_at = float("-inf")
    while True:
        while time.monotonic() < deadline:
            sweep = time.monotonic() - swept_at >= settings.NOTICES_HEARTBEAT_SECONDS
            swept_at = time.monotonic() if sweep else swept_at
            outcome = _run_batch(campaign_id, worker, sweep=sweep)
            if outcome is sending.Batch.STOPPED:
                return outcome.value
            if outcome is sending.Batch.EMPTY:
                sending.campaign_finish_if_complete(campaign_id)
                return outcome.value
        if _continue_later(campaign_id):
            return "continued"
        deadline = time.monotonic() + settings.NOTICES_TASK_BUDGET_SECONDS


def _run_batch(campaign_id: int, worker: str, *, sweep: bool):
    """A batch; if the database is gone before anything was claimed, wait for it (bounded).

    With `sweep` (every heartbeat), first take back the campaign's expired leases: a dead
    sender's rows go out again as soon as its lease ends, not when beat's sweeper gets a
    worker slot (behind send tasks).
    """
    try:
        if sweep:
            recovery.requeue_expired(campaign_id)
        return sending.run_batch(campaign_id, worker=worker)
    except Exception as error:
        if not recovery.connection_lost(error):
            raise
        log.warning("Campaign %s: database unreachable, waiting for it", campaign_id)
        recovery.wait_for_database()  # raises after NOTICES_DB_RECOVERY_SECONDS
        return sending.Batch.SENT


def _continue_later(campaign_id: int) -> bool:
    """Queue this task's continuation; with the broker unreachable, keep sending here."""
    try:
        campaign_send.delay(campaign_id)
    except Exception:
        log.warning("Campaign %s: broker unreachable, this task carries on", campaign_id)
        return False
    return True


@shared_task(
    name="notices.request_acknowledge",
    acks_late=True,
    autoretry_for=(OSError, SMTPException),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=24,
)
def request_acknowledge(request_id: int) -> bool:
    """Email the customer what they asked and by when it is answered; retried while the mail
    server fails (a day of backoff), then the failure stays in the worker's log and the
    request shows no acknowledgement in the queue."""
    return acknowledgements.request_acknowledge(request_id)


@shared_task(name="notices.tick")
def tick() -> dict:
    """Start due scheduled campaigns, re-queue expired leases, restart stalled campaigns."""
    started = 0
    for campaign in sending.campaigns_to_start():
        try:
            with transaction.atomic():
                locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
                if locked.status == Campaign.Status.SCHEDULED:
                    campaign_begin(campaign=locked)
                    started += 1
        except ValidationError as error:
            log.error("Scheduled campaign %s could not start: %s", campaign.pk, error)
    result = sending.sweep()
    kicked = sending.campaigns_needing_workers()
    for campaign_id in kicked:
        for _ in range(settings.NOTICES_PARALLEL_TASKS):
            campaign_send.delay(campaign_id)
    for campaign_id in sending.sending_campaign_ids():
        sending.campaign_finish_if_complete(campaign_id)
    removed = import_files_purge()
    return {**result, "started": started, "kicked": len(kicked), "import_files_removed": removed}


# A million rows take minutes: allow up to an hour (the job row guards against a second run).
@shared_task(
    bind=True,
    name="notices.recipients_import_run",
    acks_late=True,
    soft_time_limit=3300,
    time_limit=3400,
    max_retries=None,
)
def recipients_import_run(
    self, job_id: int, resume: bool = False, first_failure: float | None = None
) -> None:
    """Import an uploaded recipients file (progress is recorded on the job row).

    If the database goes away meanwhile, nothing of the import was committed (or all of it):
    try again every few seconds for NOTICES_DB_RECOVERY_SECONDS, resuming the running job.
    """
    try:
        import_job_run(job_id, resume=resume)
    except Exception as error:
        if not recovery.connection_lost(error):
            raise
        first = first_failure or time.time()
        if time.time() - first > settings.NOTICES_DB_RECOVERY_SECONDS:
            raise
        log.warning("Import %s: database unreachable, trying again shortly", job_id)
        kwargs = {"resume": True, "first_failure": first}
        raise self.retry(kwargs=kwargs, countdown=IMPORT_RETRY_SECONDS) from error


@shared_task(name="notices.delivery_tally_compact")
def delivery_tally_compact_task() -> int:
    """Fold the rows the senders appended to the delivery tally (beat: every 10 s)."""
    return delivery_tally_compact()
