from windown.webhooks.services.deliveries import (
    deliveries_due,
    delivery_attempt,
    delivery_resend,
    retry_delay,
)
from windown.webhooks.services.endpoints import (
    endpoint_create,
    endpoint_rotate_secret,
    endpoint_update,
)

__all__ = [
    "deliveries_due",
    "delivery_attempt",
    "delivery_resend",
    "endpoint_create",
    "endpoint_rotate_secret",
    "endpoint_update",
    "retry_delay",
]
