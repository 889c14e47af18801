"""Factories for destruction tests: decisions as legal left them, notices as they were sent."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from compliance.models import Decision, Ruleset
from destruction.models import Vendor, VendorCertification
from inventory.models import DataCategory, DataSystem, Holding
from notices.models import Campaign, Delivery, Recipient
from windown.models import Membership

_numbers = itertools.count(1)


def system(
    winddown, *, name: str = "", kind: str = DataSystem.Kind.DATABASE, **fields
) -> DataSystem:
    return DataSystem.objects.create(
        winddown=winddown,
        name=name or f"System {next(_numbers)}",
        kind=kind,
        department=fields.pop("department", "Sales"),
        **fields,
    )


def holding(
    winddown, *, on: DataSystem | None = None, key: str = "commerce.order", jurisdiction: str = "DE"
) -> Holding:
    return Holding.objects.create(
        winddown=winddown,
        system=on or system(winddown),
        category=DataCategory.objects.get(winddown=winddown, key=key),
        source=Holding.Source.ORDER,
        jurisdiction=jurisdiction,
        records_total=100,
    )


def decision(
    holding: Holding,
    approver: Membership,
    *,
    disposition: str = "delete",
    status: str = Decision.Status.APPROVED,
    retain_until: dt.date | None = None,
) -> Decision:
    """Create the decision legal approved for a holding (status and disposition as given)."""
    ruleset = Ruleset.objects.filter(winddown=holding.winddown).first() or Ruleset.objects.create(
        winddown=holding.winddown,
        version="test",
        effective=dt.date(2026, 1, 1),
        source="test",
        published=True,
        published_at=timezone.now(),
    )
    approved = status == Decision.Status.APPROVED
    return Decision.objects.create(
        winddown=holding.winddown,
        holding=holding,
        ruleset=ruleset,
        status=status,
        disposition=disposition,
        retain_until=retain_until,
        delete_by=dt.date(2026, 12, 31),
        basis_reasons=[{"code": "text", "params": {"text": "test"}}],
        fingerprint="f" * 64,
        as_of=dt.date(2026, 11, 1),
        evaluated_at=timezone.now(),
        reviewed_by=approver.user if approved else None,
        approved_by=approver.user if approved else None,
    )


def notified(winddown, *, jurisdiction: str = "DE", days_ago: int = 40, count: int = 2) -> Campaign:
    """Send a campaign to `count` customers of `jurisdiction`, delivered `days_ago` days ago."""
    number = next(_numbers)
    campaign = Campaign.objects.create(
        winddown=winddown,
        name=f"Notice {number}",
        audience_jurisdictions=[jurisdiction],
        status=Campaign.Status.DONE,
    )
    sent_at = timezone.now() - dt.timedelta(days=days_ago)
    for i in range(count):
        recipient, _ = Recipient.objects.get_or_create(
            winddown=winddown,
            email=f"c{i}-{jurisdiction.lower()}@example.com",
            defaults={"jurisdiction": jurisdiction},
        )
        Delivery.objects.create(
            campaign=campaign,
            recipient=recipient,
            message_id=f"<{number}-{i}@test>",
            status=Delivery.Status.DELIVERED,
            sent_at=sent_at,
        )
    return campaign


def vendor(
    winddown, by: Membership, *, name: str = "ShredSafe GmbH", expires_on: dt.date | None = None
) -> Vendor:
    vendor = Vendor.objects.create(winddown=winddown, name=name, country="DE")
    VendorCertification.objects.create(
        vendor=vendor,
        scheme=VendorCertification.Scheme.ISO_27001,
        number=f"ISO-{next(_numbers)}",
        issuer="TÜV",
        expires_on=expires_on or timezone.now().date() + dt.timedelta(days=365),
        uploaded_by=by.user,
        uploaded_at=timezone.now(),
    )
    return vendor
