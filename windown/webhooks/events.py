"""The public event types, derived from audit actions, and the versioned JSON body (schema v1).

The body is documented in docs/webhooks/event-v1.schema.json; a change that could break a
receiver gets a new version, never an edit of v1. Only the payload keys named here leave the
installation: audit payloads may hold reasons, statements or names that partners must not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class EventType:
    name: str
    label: Any
    keys: tuple[str, ...]


_TYPES = [
    EventType("datamap.imported", _("Data map imported"), ("rows", "systems", "holdings")),
    EventType("department.attested", _("Department attested"), ("department",)),
    EventType(
        "decision.approved",
        _("Decision approved"),
        ("holding", "disposition", "category", "jurisdiction", "count"),
    ),
    EventType("decision.overridden", _("Decision overridden"), ("holding", "disposition")),
    EventType("hold.placed", _("Legal hold placed"), ("reference", "jurisdictions")),
    EventType("hold.released", _("Legal hold released"), ("reference",)),
    EventType("campaign.started", _("Notice campaign started"), ("deliveries",)),
    EventType("campaign.finished", _("Notice campaign finished"), ("counts",)),
    EventType(
        "receipts.sent",
        _("Completion receipts sent"),
        ("jurisdiction", "counts", "appeal_until"),
    ),
    EventType("request.filed", _("Customer request filed"), ("type", "due_date", "jurisdiction")),
    EventType("request.resolved", _("Customer request resolved"), ("on_time",)),
    EventType("destruction.performed", _("Destruction performed"), ("reference",)),
    EventType("destruction.verified", _("Destruction verified"), ("reference",)),
    EventType("certificate.issued", _("Certificate issued"), ("serial", "job", "replaces")),
    EventType("certificate.revoked", _("Certificate revoked"), ("serial",)),
    EventType("archive.shredded", _("Archive crypto-shredded"), ("archive", "job", "shredded_at")),
    EventType("winddown.completed", _("Wind-down completed"), ()),
]
EVENT_TYPES: dict[str, EventType] = {t.name: t for t in _TYPES}

# audit action -> public event type (the audit trail records every state change already)
ACTIONS: dict[str, str] = {
    "inventory.datamap_imported": "datamap.imported",
    "inventory.attested": "department.attested",
    "compliance.decision_approved": "decision.approved",
    "compliance.decisions_approved_in_bulk": "decision.approved",
    "compliance.decision_overridden": "decision.overridden",
    "compliance.hold_placed": "hold.placed",
    "compliance.hold_released": "hold.released",
    "notices.campaign_started": "campaign.started",
    "notices.campaign_done": "campaign.finished",
    "notices.receipts_sent": "receipts.sent",
    "notices.request_received": "request.filed",
    "notices.request_resolved": "request.resolved",
    "destruction.job_performed": "destruction.performed",
    "destruction.job_verified": "destruction.verified",
    # the certificate actions of issue 10 (branch cert)
    "destruction.certificate_issued": "certificate.issued",
    "destruction.certificate_revoked": "certificate.revoked",
    "destruction.archive_crypto_shredded": "archive.shredded",
    "winddown.status_changed": "winddown.completed",  # only when it moves to closed
}


def event_type_for(action: str, payload: dict[str, Any]) -> str | None:
    """Return the public event type of an audit action, or None if it is not published."""
    name = ACTIONS.get(action)
    if name == "winddown.completed" and payload.get("to") != "closed":
        return None
    return name


def event_choices() -> list[tuple[str, Any]]:
    return [(t.name, t.label) for t in _TYPES]


def event_body(
    *,
    event_id: str,
    type_name: str,
    winddown_slug: str,
    sequence: int,
    occurred_at: str,
    object_type: str,
    object_id: str,
    payload: dict[str, Any],
) -> dict[str, Any]:
    """Build the JSON body of an event (schema v1) from its audit event's facts."""
    keys = EVENT_TYPES[type_name].keys
    data = {key: payload[key] for key in keys if key in payload}
    if "serial" in data:
        data["verify_url"] = f"{settings.SITE_URL}/verify/{data['serial']}/"
    return {
        "version": SCHEMA_VERSION,
        "id": event_id,
        "type": type_name,
        "timestamp": occurred_at,
        "winddown": winddown_slug,
        "sequence": sequence,
        "object": {"type": object_type.split(".")[-1], "id": object_id},
        "data": data,
    }
