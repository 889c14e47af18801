"""Reads of archives: what a member may see, what gate 5 needs, what is due for shredding."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from compliance.models import Decision, Disposition, LegalHold
from compliance.selectors import holdings_covered_by
from destruction.models import Archive, CustodianKey
from inventory.models import Holding
from windown.models import WindDown

OPEN_STATUSES = [Archive.Status.ENCRYPTED, Archive.Status.VERIFIED]


def archives_of(winddown: WindDown) -> QuerySet[Archive]:
    return Archive.objects.filter(winddown=winddown).select_related(
        "winddown",
        "decision__holding__system",
        "decision__holding__category",
        "created_by",
        "verified_by",
        "shredded_by",
    )


def custodian_keys_of(winddown: WindDown, *, active_only: bool = False) -> QuerySet[CustodianKey]:
    keys = CustodianKey.objects.filter(winddown=winddown).select_related(
        "registered_by", "retired_by"
    )
    return keys.filter(retired_at__isnull=True) if active_only else keys


def is_effective_archive_decision(decision: Decision) -> bool:
    """Say whether `archive` is in force for this decision (approved, or overridden and
    second-approved, and no legal hold laid over it). The one place destruction's archives ask
    compliance this."""
    return archivable_decisions(decision.winddown).filter(pk=decision.pk).exists()


def archivable_decisions(winddown: WindDown) -> QuerySet[Decision]:
    """The decisions an archive may be made for: `archive` in force (a held decision waits for
    the hold's release, like every other change to the data it covers)."""
    return (
        Decision.objects.with_effective()
        .effective()
        .filter(winddown=winddown, effective_disposition=Disposition.ARCHIVE)
        .select_related("holding__system", "holding__category")
    )


def archive_verified_for_holding(holding: Holding) -> Archive | None:
    """Return the newest verified, not shredded archive of the holding's decision (gate 5)."""
    return (
        Archive.objects.filter(
            decision__holding=holding, status=Archive.Status.VERIFIED, shredded_at__isnull=True
        )
        .order_by("-verified_at", "-pk")
        .first()
    )


def held_holding_ids(winddown_id: int) -> set[int]:
    """The holdings that an active legal hold covers (through compliance's selector)."""
    covered: set[int] = set()
    for hold in LegalHold.objects.filter(winddown_id=winddown_id, status=LegalHold.Status.ACTIVE):
        covered.update(h.pk for h in holdings_covered_by(hold))
    return covered


def _past_retention(winddown: WindDown, today: date | None) -> tuple[list[Archive], set[int]]:
    """Open archives whose retain_until is before today, and the holdings holds cover."""
    today = today or timezone.localdate()
    candidates = list(
        archives_of(winddown).filter(status__in=OPEN_STATUSES, retain_until__lt=today)
    )
    return candidates, (held_holding_ids(winddown.pk) if candidates else set())


def archives_due_for_shredding(winddown: WindDown, *, today: date | None = None) -> list[Archive]:
    """Archives whose retention has ended (retain_until before today) and no active hold covers."""
    candidates, held = _past_retention(winddown, today)
    return [a for a in candidates if a.decision.holding_id not in held]


def archives_due_panel(winddown: WindDown, *, today: date | None = None) -> dict:
    """Context for the director's panel `destruction/_archives_due_panel.html`: the archives due
    for shredding, and those past retention that a hold keeps."""
    candidates, held = _past_retention(winddown, today)
    return {
        "archives_due": [a for a in candidates if a.decision.holding_id not in held],
        "archives_held": [a for a in candidates if a.decision.holding_id in held],
    }
