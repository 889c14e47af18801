"""Sending deliveries: claim one, POST it signed, record the answer, retry with backoff.

A delivery is claimed with a conditional, SKIP LOCKED update that sets a lease; a worker that
dies mid-send leaves the lease to expire and the sweeper queues the delivery again (at least
once: receivers deduplicate on `webhook-id`). Deliveries of one object reach an endpoint in the
order of the audit trail: one is not sent while an earlier one of the same object is pending.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from windown import roles
from windown.audit import audit_record
from windown.models import Membership
from windown.webhooks.models import WebhookDelivery
from windown.webhooks.publish import enqueue_deliveries
from windown.webhooks.secrets import secret_decrypt, signature
from windown.webhooks.transport import Answer, post

Status = WebhookDelivery.Status


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next attempt after `attempts` failed ones: doubling, capped."""
    seconds = settings.WEBHOOKS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.WEBHOOKS_RETRY_MAX_SECONDS))


def _earlier_pending() -> Exists:
    return Exists(
        WebhookDelivery.objects.filter(
            endpoint_id=OuterRef("endpoint_id"),
            event__object_key=OuterRef("event__object_key"),
            event_id__lt=OuterRef("event_id"),
            status=Status.PENDING,
        )
    )


def _due(now: datetime):
    return WebhookDelivery.objects.filter(
        Q(leased_until__isnull=True) | Q(leased_until__lt=now),
        status=Status.PENDING,
        next_attempt_at__lte=now,
        endpoint__is_active=True,
    )


def deliveries_due(limit: int = 500) -> list[int]:
    """Return the deliveries that may be sent now (due, unleased, none earlier of their object)."""
    now = timezone.now()
    due = _due(now).exclude(_earlier_pending()).order_by("event_id", "pk")
    return list(due.values_list("pk", flat=True)[:limit])


def _claim(pk: int) -> WebhookDelivery | None:
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            _due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("event", "endpoint")
            .filter(pk=pk)
            .first()
        )
        if delivery is None or _due(now).filter(pk=pk).filter(_earlier_pending()).exists():
            return None
        delivery.leased_until = now + timedelta(seconds=settings.WEBHOOKS_LEASE_SECONDS)
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.save(update_fields=["leased_until", "attempts", "last_attempt_at"])
    return delivery


def signed_request(delivery: WebhookDelivery, timestamp: int) -> tuple[bytes, dict[str, str]]:
    """Return the body and headers of one attempt (Standard Webhooks + X-Windown-* names)."""
    event = delivery.event
    body = json.dumps(event.body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    body_bytes = body.encode()
    sig = signature(
        secret=secret_decrypt(delivery.endpoint.secret_encrypted),
        msg_id=event.event_id,
        timestamp=timestamp,
        body=body_bytes,
    )
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "windown-webhooks/1",
        "webhook-id": event.event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sig,
        "X-Windown-Event": event.type,
        "X-Windown-Timestamp": str(timestamp),
        "X-Windown-Signature": sig,
    }
    return body_bytes, headers


def _record(delivery: WebhookDelivery, answer: Answer) -> None:
    now = timezone.now()
    with transaction.atomic():
        row = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        row.response_code, row.duration_ms = answer.status, answer.duration_ms
        row.last_error, row.leased_until = answer.error[:500], None
        if answer.ok:
            row.status, row.delivered_at = Status.DELIVERED, now
        elif now + retry_delay(row.attempts) > row.retry_until:
            row.status = Status.FAILED
            audit_record(
                winddown=delivery.endpoint.winddown,
                actor=None,
                actor_label="system:webhooks",
                action="webhooks.delivery_failed",
                obj=row,
                payload={
                    "event": delivery.event.event_id,
                    "url": delivery.endpoint.url,
                    "attempts": row.attempts,
                    "error": row.last_error,
                },
            )
        else:
            row.next_attempt_at = now + retry_delay(row.attempts)
        row.save()
        if row.status != Status.PENDING:
            _kick_next_of_object(row)


def _kick_next_of_object(row: WebhookDelivery) -> None:
    """Queue the next pending delivery of the same object to the same endpoint, if any."""
    following = (
        WebhookDelivery.objects.filter(
            endpoint_id=row.endpoint_id,
            event__object_key=row.event.object_key,
            event_id__gt=row.event_id,
            status=Status.PENDING,
        )
        .order_by("event_id")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        enqueue_deliveries([following])


def delivery_attempt(pk: int) -> Answer | None:
    """Claim delivery `pk` if it is due and send it once; return the answer (None: not due)."""
    delivery = _claim(pk)
    if delivery is None:
        return None
    body, headers = signed_request(delivery, int(timezone.now().timestamp()))
    answer = post(delivery.endpoint.url, body, headers)
    _record(delivery, answer)
    return answer


@transaction.atomic
def delivery_resend(*, by: Membership, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again (same event id), with a fresh day of retries."""
    roles.require(by, "webhooks.manage")
    row = WebhookDelivery.objects.select_for_update().get(
        pk=delivery.pk, endpoint__winddown_id=by.winddown_id
    )
    now = timezone.now()
    before = row.status
    row.status, row.next_attempt_at, row.leased_until = Status.PENDING, now, None
    row.retry_until = now + timedelta(seconds=settings.WEBHOOKS_RETRY_WINDOW_SECONDS)
    row.save()
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="webhooks.delivery_resent",
        obj=row,
        payload={"event": row.event.event_id, "url": row.endpoint.url, "status": before},
    )
    enqueue_deliveries([row.pk])
    return row
