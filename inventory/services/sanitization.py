"""Record that data was destroyed: the destruction phase calls these when a job is performed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from inventory.models import DataSystem, Holding
from windown.audit import audit_record
from windown.models import User

# A sanitisation outcome is not a declaration change: attestations stay valid and the
# holdings are not re-evaluated (their decision is what authorised the destruction).


@transaction.atomic
def holding_mark_destroyed(
    *, holding: Holding, job_reference: str, at: dt.datetime, actor: User | None
) -> Holding:
    """Mark a holding's data destroyed by a destruction job."""
    holding.destroyed_at = at
    holding.destroyed_by_job = job_reference
    holding.save(update_fields=["destroyed_at", "destroyed_by_job", "updated_at"])
    audit_record(
        winddown=holding.winddown,
        actor=actor,
        action="inventory.holding_destroyed",
        obj=holding,
        payload={"holding": str(holding), "job": job_reference, "at": at},
    )
    return holding


@transaction.atomic
def system_mark_sanitized(
    *, system: DataSystem, status: str, job_reference: str, actor: User | None
) -> DataSystem:
    """Mark a system cleaned (its customer data deleted) or destroyed (the media itself)."""
    if status not in (DataSystem.Status.CLEANED, DataSystem.Status.DESTROYED):
        raise ValueError(f"{status} is not a sanitisation status")
    before = system.status
    system.status = status
    system.save(update_fields=["status", "updated_at"])
    audit_record(
        winddown=system.winddown,
        actor=actor,
        action="inventory.system_sanitized",
        obj=system,
        payload={"system": system.name, "status": [before, status], "job": job_reference},
    )
    return system
