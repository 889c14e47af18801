from windown.models.accounts import User
from windown.models.audit import AuditEvent, AuditHead, Checkpoint
from windown.models.winddown import (
    CompanyAttribute,
    CompanyForm,
    Membership,
    TaxRegistration,
    WindDown,
)
from windown.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

__all__ = [
    "AuditEvent",
    "AuditHead",
    "Checkpoint",
    "CompanyAttribute",
    "CompanyForm",
    "Membership",
    "TaxRegistration",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WindDown",
]
