"""Reads of the webhooks: endpoints with their delivery counts, and an endpoint's log."""

from django.db.models import Count, Q, QuerySet

from windown.models import WindDown
from windown.webhooks.models import WebhookDelivery, WebhookEndpoint

Status = WebhookDelivery.Status


def endpoints_of(winddown: WindDown) -> QuerySet[WebhookEndpoint]:
    """The wind-down's endpoints, each with its pending, delivered and failed counts."""
    return winddown.webhook_endpoints.annotate(
        **{
            f"{status}_count": Count("deliveries", filter=Q(deliveries__status=status))
            for status in Status.values
        }
    ).order_by("pk")


def deliveries_of(endpoint: WebhookEndpoint, status: str = "") -> QuerySet[WebhookDelivery]:
    """The endpoint's delivery log, newest first, optionally of one status."""
    deliveries = endpoint.deliveries.select_related("event").order_by("-pk")
    return deliveries.filter(status=status) if status in Status.values else deliveries


def webhooks_summary(winddown: WindDown) -> dict[str, int]:
    """Endpoints and failed deliveries, for the director's dashboard (one query)."""
    return winddown.webhook_endpoints.aggregate(
        endpoints=Count("pk", distinct=True),
        failed=Count("deliveries", filter=Q(deliveries__status=Status.FAILED)),
    )
