"""Senders that crash or lose the database: short leases kept alive, reconnection, hand-back.

Leases are short (NOTICES_LEASE_SECONDS, 15 s) and a sending task renews the leases of its
batch, with the campaign's heartbeat, every NOTICES_HEARTBEAT_SECONDS (3 s) between two
messages (`heartbeat`). When a worker dies (SIGKILL, OOM, a lost machine) its rows are free
again at most a lease after its last heartbeat: the campaign's live send tasks re-queue them
every heartbeat (`requeue_expired`), as does the sweeper (`notices.tick`, every 5 s), which
also gives a campaign whose heartbeat has stopped for two periods new send tasks. So sending
resumes within about 10 s of a crash and the dead worker's rows go out again within about
20 s, instead of waiting out a two-minute lease.

When PostgreSQL drops a sender's connection (a restart, a failover, pg_terminate_backend, a
network cut), the batch stops with a connection error. `recover_batch` then reconnects
(polling, for up to NOTICES_DB_RECOVERY_SECONDS) and gives the batch's rows that are still
leased to it back to the queue: every row whose outcome was committed is left alone, so only
the message whose outcome was on its way can go out twice. The task then carries on claiming.
An error that leaves the connection working (a bug, a constraint) is not retried: it would
send the same rows again and again.
"""

from __future__ import annotations

import contextlib
import logging
import time
from datetime import timedelta

import psycopg
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.utils import timezone

from notices.models import Campaign, Delivery
from notices.outcomes import OutcomeTimeout

log = logging.getLogger(__name__)
S = Delivery.Status
# How often a sender waiting for the database tries to reconnect.
RECONNECT_POLL_SECONDS = 0.25
LOST = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)


def heartbeat(campaign_id: int, ids: list[int], worker: str) -> set[int]:
    """Renew the leases of `ids` still ours and the campaign's heartbeat; return ours."""
    mine = Delivery.objects.filter(pk__in=ids, status=S.SENDING, claimed_by=worker)
    mine.update(lease_expires_at=timezone.now() + timedelta(seconds=settings.NOTICES_LEASE_SECONDS))
    Campaign.objects.filter(pk=campaign_id).update(heartbeat_at=timezone.now())
    return set(mine.values_list("pk", flat=True))


def requeue_expired(campaign_id: int) -> int:
    """Re-queue the campaign's deliveries whose lease ran out (their sender died)."""
    return Delivery.objects.filter(
        campaign_id=campaign_id, status=S.SENDING, lease_expires_at__lt=timezone.now()
    ).update(status=S.QUEUED, claimed_by="", lease_expires_at=None)


def connection_lost(error: BaseException) -> bool:
    """Whether `error` means the database connection is gone (not a bug or a constraint).

    Not an OutcomeTimeout: that server is alive but stalled (a lock, a disk); its batch stops
    and its short leases expire, as notices/outcomes.py says.
    """
    if isinstance(error, OutcomeTimeout):
        return False
    if isinstance(error, LOST):
        return True
    if not isinstance(error, DatabaseError | psycopg.Error):
        return False
    try:  # e.g. "terminating connection due to administrator command" as a statement's error
        return connection.connection is None or not connection.is_usable()
    except Exception:
        return True


def wait_for_database() -> None:
    """Drop the broken connection and reconnect, for up to NOTICES_DB_RECOVERY_SECONDS."""
    deadline = time.monotonic() + settings.NOTICES_DB_RECOVERY_SECONDS
    while True:
        with contextlib.suppress(Exception):  # a broken connection may fail to close
            connection.close()
        try:
            connection.ensure_connection()
            return
        except LOST:
            if time.monotonic() >= deadline:
                raise
            time.sleep(RECONNECT_POLL_SECONDS)


def recover_batch(ids: list[int], worker: str) -> int:
    """Reconnect, then re-queue the batch's rows still leased to `worker`; return how many."""
    wait_for_database()
    released = Delivery.objects.filter(pk__in=ids, status=S.SENDING, claimed_by=worker).update(
        status=S.QUEUED, claimed_by="", lease_expires_at=None
    )
    log.warning("Lost the database mid-batch: reconnected and re-queued %s deliveries", released)
    return released


def beat_quietly(campaign_id: int) -> None:
    """The heartbeat at the end of a batch: a database gone meanwhile is not the batch's error."""
    try:
        Campaign.objects.filter(pk=campaign_id).update(heartbeat_at=timezone.now())
    except Exception as error:
        if not connection_lost(error):
            raise
        log.warning("Campaign %s: heartbeat not recorded, the database is unreachable", campaign_id)
