"""Turn an audit event into a webhook event and its deliveries, in the audit's transaction."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from windown.models.audit import AuditEvent
from windown.webhooks.events import event_body, event_type_for
from windown.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent


def enqueue_deliveries(pks: list[int]) -> None:
    """Queue a send of each delivery once the current transaction commits."""
    from windown.webhooks.tasks import deliver_webhook  # the task module imports the services

    def kick() -> None:
        for pk in pks:
            deliver_webhook.delay(pk)

    transaction.on_commit(kick)


def event_publish(audit_event: AuditEvent) -> WebhookEvent | None:
    """Create the webhook event of `audit_event` and a delivery per subscribed endpoint."""
    type_name = event_type_for(audit_event.action, audit_event.payload)
    if type_name is None:
        return None
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(
            winddown_id=audit_event.winddown_id, is_active=True
        )
        if type_name in endpoint.events
    ]
    if not endpoints:
        return None
    event_id = f"evt_{uuid.uuid4().hex}"
    event = WebhookEvent.objects.create(
        winddown_id=audit_event.winddown_id,
        audit_event=audit_event,
        event_id=event_id,
        type=type_name,
        object_key=f"{audit_event.object_type}:{audit_event.object_id}",
        created_at=audit_event.created_at,
        body=event_body(
            event_id=event_id,
            type_name=type_name,
            winddown_slug=audit_event.winddown.slug,
            sequence=audit_event.seq,
            occurred_at=audit_event.created_at.isoformat(),
            object_type=audit_event.object_type,
            object_id=audit_event.object_id,
            payload=audit_event.payload,
        ),
    )
    retry_until = audit_event.created_at + timedelta(seconds=settings.WEBHOOKS_RETRY_WINDOW_SECONDS)
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            event=event,
            endpoint=endpoint,
            next_attempt_at=audit_event.created_at,
            retry_until=retry_until,
        )
        for endpoint in endpoints
    )
    enqueue_deliveries([d.pk for d in deliveries])
    return event
