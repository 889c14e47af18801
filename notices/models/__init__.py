"""Recipients, campaigns, per-language templates, deliveries and the customers' subject requests."""

from notices.models.campaigns import Campaign, NoticeTemplate, ReceiptTemplate
from notices.models.deliveries import Delivery, DeliveryTally, RateLimitSlot, TrackingEvent
from notices.models.recipients import Language, Recipient, RecipientImport
from notices.models.requests import RequestExport, RequestReply, SubjectRequest

__all__ = [
    "Campaign",
    "Delivery",
    "DeliveryTally",
    "Language",
    "NoticeTemplate",
    "RateLimitSlot",
    "ReceiptTemplate",
    "Recipient",
    "RecipientImport",
    "RequestExport",
    "RequestReply",
    "SubjectRequest",
    "TrackingEvent",
]
