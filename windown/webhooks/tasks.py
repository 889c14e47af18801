"""Celery tasks of the webhooks: send one delivery; queue every delivery that is due."""

from celery import shared_task

from windown.webhooks.services import deliveries_due, delivery_attempt


@shared_task(name="windown.webhooks.deliver")
def deliver_webhook(delivery_pk: int) -> None:
    """Send delivery `delivery_pk` if it is still due (a duplicate message does nothing)."""
    delivery_attempt(delivery_pk)


@shared_task(name="windown.webhooks.sweep")
def sweep_webhooks() -> int:
    """Queue retries that came due and deliveries whose worker died (expired lease)."""
    due = deliveries_due()
    for pk in due:
        deliver_webhook.delay(pk)
    return len(due)
