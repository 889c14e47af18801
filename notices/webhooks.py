"""Apply an ESP's tracking events (through django-anymail) to deliveries, once per event id."""

from __future__ import annotations

import logging

from anymail.signals import AnymailTrackingEvent, EventType
from django.db import IntegrityError, transaction

from notices.models import Delivery, TrackingEvent

log = logging.getLogger(__name__)
S = Delivery.Status

OUTCOMES = {
    EventType.DELIVERED: S.DELIVERED,
    EventType.BOUNCED: S.BOUNCED,
    EventType.COMPLAINED: S.COMPLAINED,
    EventType.REJECTED: S.FAILED,
}
# An event may not undo a worse one that arrived first (a late "delivered" after a bounce).
RANK = {S.SENT: 0, S.DELIVERED: 1, S.FAILED: 2, S.BOUNCED: 2, S.COMPLAINED: 3}


def _delivery_for(event: AnymailTrackingEvent) -> Delivery | None:
    metadata = event.metadata or {}
    if metadata.get("delivery_id"):
        return Delivery.objects.filter(pk=metadata["delivery_id"]).first()
    if event.message_id:
        deliveries = Delivery.objects.exclude(provider_message_id="")  # the partial index
        return deliveries.filter(provider_message_id=event.message_id).first()
    return None


def tracking_event_apply(event: AnymailTrackingEvent) -> bool:
    """Update the delivery an event is about; return False for duplicates and strangers."""
    outcome = OUTCOMES.get(event.event_type)
    delivery = _delivery_for(event) if outcome else None
    if delivery is None:
        return False
    event_id = event.event_id or f"{event.message_id}:{event.event_type}:{event.timestamp}"
    try:
        with transaction.atomic():
            TrackingEvent.objects.create(
                event_id=event_id,
                delivery=delivery,
                event_type=event.event_type,
                description=(event.description or event.mta_response or "")[:2000],
            )
            current = RANK.get(delivery.status, -1)
            if RANK[outcome] >= current:
                fields = {"status": outcome}
                if outcome in (S.BOUNCED, S.FAILED):
                    fields["last_error"] = event.mta_response or event.description or ""
                Delivery.objects.filter(pk=delivery.pk).update(**fields)
    except IntegrityError:
        log.info("Tracking event %s already applied", event_id)
        return False
    return True


def on_tracking(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    tracking_event_apply(event)
