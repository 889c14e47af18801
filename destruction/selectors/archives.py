"""Archive reads (placeholder: the `darch` branch's module replaces this one at merge)."""

from __future__ import annotations

from destruction.models import Archive
from inventory.models import Holding


def archive_verified_for_holding(holding: Holding) -> Archive | None:
    """Return the newest verified, not shredded archive of the holding's decision."""
    return (
        Archive.objects.filter(
            decision__holding=holding, status=Archive.Status.VERIFIED, shredded_at__isnull=True
        )
        .order_by("-verified_at", "-pk")
        .first()
    )
