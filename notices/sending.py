"""Send a campaign's deliveries so that no notice is lost and none is sent twice in effect.

A worker claims a small batch of queued deliveries (SELECT ... FOR UPDATE SKIP LOCKED on
PostgreSQL, a conditional UPDATE elsewhere) and leases them. Before every message it waits
for a slot of the global rate limit and checks the campaign is still sending (so pause and
cancel stop it before the next message), sends, and records that row's outcome, only if the
row is still leased to it: up to NOTICES_OUTCOME_CHUNK outcomes (8) per UPDATE, each UPDATE
in its own transaction, written when the chunk fills, when its oldest outcome is
NOTICES_OUTCOME_MAX_AGE_MS old, and before any other query (notices/outcome_batches.py; one
outcome's UPDATE: notices/outcomes.py). A crashed worker's leases expire and the sweeper
re-queues them: the only notices that can go out twice are those in flight at the crash,
at most 2 x chunk per sending task (`outcome_batches.in_flight_per_task`).
While the SMTP server answers MAIL FROM the next notice of the batch is composed (pure
computation: whether and when it is sent is decided when its turn comes, as for any other).

Each UPDATE of outcomes commits on its own. On PostgreSQL the sending loop commits with
`synchronous_commit = off` (NOTICES_ASYNC_COMMIT, on by default) for its session only: a
commit returns before its WAL record is flushed, which takes the fsync (~2.5 ms) out of every
message. A committed outcome is visible to every other session at once and survives a
worker crash (kill -9) as before; only a crash of the database server itself (or its
machine) can lose the last ~0.6 s of outcomes (3 x wal_writer_delay). Those rows fall back
to "sending" or "queued", the sweeper re-queues them and they are sent again: after a
database crash, duplicates are bounded by 0.6 s of sending. Nothing is lost either way.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import smtplib
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from notices.facts import batch_facts
from notices.models import Campaign, Delivery
from notices.outcome_batches import BatchedOutcomeWriter
from notices.outcomes import OutcomeWriter
from notices.ratelimit import Pacer
from notices.recovery import beat_quietly, connection_lost, heartbeat, recover_batch
from notices.selectors import REMAINING, delivery_counts
from notices.transports import transport
from windown.audit import audit_record

log = logging.getLogger(__name__)
S = Delivery.Status


# What composing and recording a notice reads (loading whole rows costs more than sending).
SENDING_FIELDS = (
    "campaign_id",
    "message_id",
    "attempts",
    "recipient__winddown_id",
    "recipient__email",
    "recipient__name",
    "recipient__language",
    "recipient__jurisdiction",
    "recipient__customer_ref",
    "recipient__unsubscribed_at",
)

# How stale the worker's view of the campaign's status may be (pause must act within a second).
STATUS_CHECK_SECONDS = 0.2


class Batch(Enum):
    SENT = "sent"  # a batch was processed; there may be more
    EMPTY = "empty"  # nothing due right now
    STOPPED = "stopped"  # the campaign is no longer sending


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _lease_end():
    return timezone.now() + timedelta(seconds=settings.NOTICES_LEASE_SECONDS)


def _due(campaign_id: int):
    now = timezone.now()
    return Delivery.objects.filter(campaign_id=campaign_id, status=S.QUEUED).filter(
        Q(next_attempt_at=None) | Q(next_attempt_at__lte=now)
    )


def claim_batch(campaign_id: int, *, worker: str, size: int) -> list[int]:
    """Lease up to `size` due deliveries to `worker`; return their ids."""
    claim = {"status": S.SENDING, "claimed_by": worker, "lease_expires_at": _lease_end()}
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            rows = _due(campaign_id).select_for_update(skip_locked=True).order_by("pk")
            ids = list(rows.values_list("pk", flat=True)[:size])
            Delivery.objects.filter(pk__in=ids).update(**claim)
        return ids
    # No SKIP LOCKED (SQLite): a row is ours only if our conditional UPDATE changed it.
    candidates = list(_due(campaign_id).order_by("pk").values_list("pk", flat=True)[:size])
    return [
        pk for pk in candidates if Delivery.objects.filter(pk=pk, status=S.QUEUED).update(**claim)
    ]


def _finish(pk: int, worker: str, *, writer: OutcomeWriter | None = None, **fields) -> bool:
    """Commit a delivery's outcome if the lease is still ours (through `writer`, overlapped)."""
    fields.update(claimed_by="", lease_expires_at=None, updated_at=timezone.now())
    if writer is not None:
        return bool(writer.write(pk, worker, fields))
    writer = OutcomeWriter()
    rows = writer.write(pk, worker, fields)
    return bool(writer.collect() if rows is None else rows)


def release(ids: list[int], worker: str) -> None:
    """Give unsent claimed deliveries back to the queue (pause, cancel, shutdown)."""
    Delivery.objects.filter(pk__in=ids, status=S.SENDING, claimed_by=worker).update(
        status=S.QUEUED, claimed_by="", lease_expires_at=None
    )


def settle_cancelled(campaign_id: int) -> int:
    """Mark the queued notices of a cancelled campaign suppressed: never sent, and said so."""
    return Delivery.objects.filter(
        campaign_id=campaign_id,
        campaign__status=Campaign.Status.CANCELLED,
        status=S.QUEUED,
    ).update(status=S.SUPPRESSED, last_error="campaign cancelled", next_attempt_at=None)


@dataclass(frozen=True)
class Failure:
    transient: bool
    reply: str


def classify(error: Exception) -> Failure:
    """Tell a temporary failure (retry later) from a permanent one (give up), with the reply."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code, text = next(iter(error.recipients.values()))
    elif isinstance(error, smtplib.SMTPResponseException):
        code, text = error.smtp_code, error.smtp_error
    elif isinstance(error, AnymailRecipientsRefused):
        return Failure(False, str(error))
    elif isinstance(error, AnymailAPIError):
        status = getattr(error, "status_code", None) or 500
        return Failure(status >= 500 or status == 429, str(error))
    else:  # connection refused or dropped, timeouts, anything unexpected: try again later
        return Failure(True, f"{type(error).__name__}: {error}")
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return Failure(not 500 <= int(code) < 600, f"{code} {text}")


def _backoff(attempts: int) -> timedelta:
    base = settings.NOTICES_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    return timedelta(seconds=min(base, 3600) * random.uniform(0.8, 1.2))  # nosec B311 # retry jitter, not security


@contextlib.contextmanager
def _outcome_commits():
    """Commit outcomes without waiting for the WAL flush (see the module's docstring)."""
    if connection.vendor != "postgresql" or not settings.NOTICES_ASYNC_COMMIT:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _send_one(delivery: Delivery, upcoming, conn, worker: str, writer: OutcomeWriter) -> None:
    attempts = delivery.attempts + 1
    try:
        provider_id = conn.send(delivery, upcoming)
    except Exception as error:
        failure = classify(error)
        if not isinstance(error, smtplib.SMTPResponseException):
            conn.reset()
        if failure.transient and attempts < settings.NOTICES_MAX_ATTEMPTS:
            _finish(
                delivery.pk,
                worker,
                writer=writer,
                status=S.QUEUED,
                attempts=attempts,
                last_error=failure.reply,
                next_attempt_at=timezone.now() + _backoff(attempts),
            )
        else:
            _finish(
                delivery.pk,
                worker,
                writer=writer,
                status=S.FAILED,
                attempts=attempts,
                last_error=failure.reply,
            )
        return
    _finish(
        delivery.pk,
        worker,
        writer=writer,
        status=S.SENT,
        attempts=attempts,
        sent_at=timezone.now(),
        provider_message_id=provider_id,
        last_error="",
    )


def _still_sending(campaign_id: int) -> bool:
    status = Campaign.objects.filter(pk=campaign_id).values_list("status", flat=True).first()
    return status == Campaign.Status.SENDING


def renew_leases(ids: list[int], worker: str) -> set[int]:
    """Extend the lease of the rows still ours; return their ids."""
    mine = Delivery.objects.filter(pk__in=ids, status=S.SENDING, claimed_by=worker)
    mine.update(lease_expires_at=_lease_end())
    return set(mine.values_list("pk", flat=True))


def run_batch(campaign_id: int, *, worker: str) -> Batch:
    """Claim one batch of the campaign's due deliveries and send them one by one."""
    campaign = Campaign.objects.select_related("winddown").filter(pk=campaign_id).first()
    if campaign is None or campaign.status != Campaign.Status.SENDING:
        return Batch.STOPPED
    size = max(1, min(settings.NOTICES_BATCH_SIZE, campaign.rate_limit * 2))
    ids = claim_batch(campaign_id, worker=worker, size=size)
    if not ids:
        return Batch.EMPTY
    templates = {t.language: t for t in campaign.templates.all()}
    rows = Delivery.objects.select_related("recipient").only(*SENDING_FIELDS).in_bulk(ids)
    conn = transport(campaign, templates, batch_facts(campaign.winddown_id, rows.values()))
    try:
        with _outcome_commits():
            return _send_all(campaign, ids, rows, conn, worker)
    except Exception as error:
        if not connection_lost(error):
            raise
        recover_batch(ids, worker)
        return Batch.SENT
    finally:
        conn.close()
        beat_quietly(campaign_id)


def _send_all(campaign: Campaign, ids: list[int], rows: dict, conn, worker: str) -> Batch:
    """Send a claimed batch in order.

    Before every message the campaign's status is read again if the last reading is older
    than STATUS_CHECK_SECONDS, so pause and cancel take effect well within a second without a
    query per message at high rates. Leases are renewed, all at once, when half of the lease
    time has passed; a row whose lease was lost is left alone.
    """
    writer = BatchedOutcomeWriter()
    try:
        with connection.execute_wrapper(writer.before_query):
            return _send_each(campaign, ids, rows, conn, worker, writer)
    finally:
        writer.collect()  # the last outcome is committed before anything else happens


def _send_each(campaign, ids, rows, conn, worker: str, writer: OutcomeWriter) -> Batch:
    renewed_at, ours = time.monotonic(), set(ids)
    checked_at = float("-inf")
    pacer = Pacer(campaign.pk, campaign.rate_limit)
    for index, pk in enumerate(ids):
        delivery = rows[pk]
        if delivery.recipient.unsubscribed_at is not None:
            _finish(pk, worker, writer=writer, status=S.SUPPRESSED, last_error="unsubscribed")
            continue
        pacer.wait(remaining=len(ids) - index)
        if time.monotonic() - checked_at >= STATUS_CHECK_SECONDS:
            if not _still_sending(campaign.pk):
                release(ids[index:], worker)
                settle_cancelled(campaign.pk)
                return Batch.STOPPED
            checked_at = time.monotonic()
        if time.monotonic() - renewed_at > settings.NOTICES_HEARTBEAT_SECONDS:
            ours, renewed_at = heartbeat(campaign.pk, ids[index:], worker), time.monotonic()
        if pk not in ours:
            continue  # the lease was lost: another worker has this one now
        upcoming = rows[ids[index + 1]] if index + 1 < len(ids) else None
        writer.before_send()
        _send_one(delivery, upcoming, conn, worker, writer)
    return Batch.SENT


def campaign_finish_if_complete(campaign_id: int) -> bool:
    """Mark a sending campaign done once no delivery is queued or in flight; audit a summary."""
    if Delivery.objects.filter(campaign_id=campaign_id, status__in=REMAINING).exists():
        return False
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update().select_related("winddown").get(pk=campaign_id)
        )
        if campaign.status != Campaign.Status.SENDING:
            return False
        campaign.status = Campaign.Status.DONE
        campaign.finished_at = timezone.now()
        campaign.save(update_fields=["status", "finished_at"])
        audit_record(
            winddown=campaign.winddown,
            actor=None,
            action="notices.campaign_done",
            obj=campaign,
            payload={"counts": delivery_counts(campaign)},
        )
        if campaign.kind == Campaign.Kind.RECEIPT:  # published as the "receipts.sent" webhook
            audit_record(
                winddown=campaign.winddown,
                actor=None,
                action="notices.receipts_sent",
                obj=campaign,
                payload={
                    "jurisdiction": campaign.receipt_jurisdiction,
                    "counts": delivery_counts(campaign),
                    "appeal_until": campaign.appeal_until,
                },
            )
    return True


def sweep() -> dict[str, int]:
    """Re-queue expired leases (of cancelled campaigns: suppress them); report the counts."""
    requeued = Delivery.objects.filter(
        status=S.SENDING, lease_expires_at__lt=timezone.now()
    ).update(status=S.QUEUED, claimed_by="", lease_expires_at=None)
    suppressed = Delivery.objects.filter(
        campaign__status=Campaign.Status.CANCELLED, status=S.QUEUED
    ).update(status=S.SUPPRESSED, last_error="campaign cancelled", next_attempt_at=None)
    return {"requeued": requeued, "suppressed": suppressed}


def campaigns_needing_workers() -> list[int]:
    """Sending campaigns with due work whose workers have gone quiet (crashed or finished).

    Quiet: no heartbeat for two heartbeat periods (or two sweeper periods, if shorter).
    """
    silence = 2 * min(settings.NOTICES_HEARTBEAT_SECONDS, settings.NOTICES_SWEEP_SECONDS)
    quiet = timezone.now() - timedelta(seconds=silence)
    candidates = Campaign.objects.filter(status=Campaign.Status.SENDING).filter(
        Q(heartbeat_at=None) | Q(heartbeat_at__lt=quiet)
    )
    return [pk for pk in candidates.values_list("pk", flat=True) if _due(pk).exists()]


def campaigns_to_start() -> list[Campaign]:
    return list(
        Campaign.objects.filter(
            status=Campaign.Status.SCHEDULED, scheduled_at__lte=timezone.now()
        ).select_related("winddown")
    )


def sending_campaign_ids() -> list[int]:
    return list(
        Campaign.objects.filter(status=Campaign.Status.SENDING).values_list("pk", flat=True)
    )
