"""Record that a decision was carried out: the destruction phase calls this when it performs."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from compliance.models import Decision
from windown.audit import audit_record
from windown.models import User


@transaction.atomic
def decision_mark_executed(
    *, decision: Decision, job_reference: str, at: dt.datetime, actor: User | None
) -> Decision:
    """Record that the decision was executed, when and by which destruction job."""
    decision.executed_at = at
    decision.executed_by_job = job_reference
    decision.save(update_fields=["executed_at", "executed_by_job"])
    audit_record(
        winddown=decision.winddown,
        actor=actor,
        action="compliance.decision_executed",
        obj=decision,
        payload={
            "holding": str(decision.holding),
            "disposition": decision.effective_disposition,
            "job": job_reference,
            "at": at,
        },
    )
    return decision
