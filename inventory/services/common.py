"""What every inventory write does after changing a department's data: mark that department's
attestation "changed since attested" and tell the phases above which holdings changed."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from inventory.models import Attestation, Holding
from inventory.signals import holdings_changed
from windown.audit import audit_record
from windown.models import User, WindDown


def attestations_invalidate(
    *, winddown: WindDown, departments: Iterable[str], reason: str, actor: User | None
) -> list[str]:
    """Mark the current attestations of `departments` as changed since attested; return them."""
    stale = list(
        Attestation.objects.filter(
            winddown=winddown, department__in=set(departments), invalidated_at=None
        )
    )
    now = timezone.now()
    for attestation in stale:
        attestation.invalidated_at = now
        attestation.invalidated_reason = reason[:200]
        attestation.save(update_fields=["invalidated_at", "invalidated_reason"])
        audit_record(
            winddown=winddown,
            actor=actor,
            action="inventory.attestation_invalidated",
            obj=attestation,
            payload={"department": attestation.department, "reason": reason},
        )
    return [a.department for a in stale]


def holdings_changed_on_commit(
    *, winddown: WindDown, holding_ids: Iterable[int], deleted: bool = False
) -> None:
    """Send `holdings_changed` once the surrounding transaction has committed."""
    ids = sorted(holding_ids)
    if not ids:
        return
    transaction.on_commit(
        lambda: holdings_changed.send(
            sender=Holding, winddown=winddown, holding_ids=ids, deleted=deleted
        )
    )
