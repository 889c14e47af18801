"""Job reads, and the one place destruction reads compliance and notices for its gates.

Everything the gates need from the phases below — a holding's effective decision, the legal
holds and open matters that cover it, who was notified — is read here, through the other
phases' selectors, so a change there is followed in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate

from compliance.models import Decision, Disposition, LegalHold, OpenMatter
from compliance.selectors import holds_of, matters_of
from destruction.models import (
    Archive,
    DestructionJob,
    Evidence,
    JobItem,
    ProcessorRequest,
    Vendor,
    VendorCertification,
)
from inventory.models import Holding
from notices.selectors import NotifiedShare, notified_share
from windown.audit import audit_position
from windown.models import WindDown


def jobs_of(winddown: WindDown, *, status: str = "") -> QuerySet[DestructionJob]:
    queryset = (
        DestructionJob.objects.filter(winddown=winddown)
        .select_related("vendor", "winddown")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-created_at", "-pk")  # Meta.ordering does not apply to grouped queries
    )
    return queryset.filter(status=status) if status else queryset


def items_of(job: DestructionJob) -> QuerySet[JobItem]:
    return job.items.select_related(
        "holding__system",
        "holding__category",
        "system",
        "archive",
        "processor_request__system",
    ).prefetch_related(Prefetch("holding__decision", queryset=Decision.objects.with_effective()))


def evidence_of(job: DestructionJob) -> QuerySet[Evidence]:
    return job.evidence.select_related("uploaded_by")


def vendors_of(winddown: WindDown) -> QuerySet[Vendor]:
    return (
        Vendor.objects.filter(winddown=winddown)
        .select_related("winddown")
        .prefetch_related("certifications")
    )


def decision_of(holding: Holding) -> Decision | None:
    """Return the holding's decision with what is in force (`effective_disposition`,
    `effective_retain_until`, `held`: compliance's DecisionQuerySet.with_effective), or None if
    none was proposed. Holdings loaded by `items_of` carry it already."""
    try:
        decision = holding.decision
    except Decision.DoesNotExist:
        return None
    if not hasattr(decision, "effective_disposition"):
        decision = Decision.objects.with_effective().get(pk=decision.pk)
    return decision


def decision_is_effective(decision: Decision) -> bool:
    """Say whether legal made the decision effective (approved, or overridden and second-approved;
    a stale decision is neither)."""
    return decision.status in Decision.EFFECTIVE


class CoverageIndex:
    """The active holds and open matters of a wind-down, loaded once for a job's gates."""

    def __init__(self, winddown: WindDown):
        self.holds = [
            (hold, {s.pk for s in hold.systems.all()}, {c.pk for c in hold.categories.all()})
            for hold in holds_of(winddown).filter(status=LegalHold.Status.ACTIVE)
        ]
        matters = matters_of(winddown, {"state": "open"}).prefetch_related("holdings")
        self.matters_by_holding: dict[int, list[OpenMatter]] = {}
        for matter in matters:
            for holding in matter.holdings.all():
                self.matters_by_holding.setdefault(holding.pk, []).append(matter)

    def holds_covering(self, holding: Holding) -> list[LegalHold]:
        return [h for h, systems, cats in self.holds if h.covers(holding, systems, cats)]

    def holds_on_system(self, system_id: int) -> list[LegalHold]:
        """Return the active holds naming the system itself (they cover the media too)."""
        return [h for h, systems, _cats in self.holds if system_id in systems]

    def open_matters_covering(self, holding: Holding) -> list[OpenMatter]:
        return self.matters_by_holding.get(holding.pk, [])


def notified(winddown: WindDown, jurisdictions: Iterable[str], *, on: dt.date) -> dict:
    """Return, per jurisdiction, who was notified at least the wind-down's lead days before `on`."""
    cutoff = on - dt.timedelta(days=winddown.notice_lead_days)
    return {code: notified_share(winddown, code, cutoff=cutoff) for code in set(jurisdictions)}


__all__ = ["NotifiedShare"]


def destruction_summary(winddown: WindDown) -> dict:
    """Figures for the director's dashboard panel (a fixed number of queries at any size)."""
    counts = dict(
        DestructionJob.objects.filter(winddown=winddown)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    to_delete = _deletion_progress(winddown)
    archives = Archive.objects.filter(winddown=winddown).aggregate(
        archives_to_make=Count("pk", filter=~Q(status=Archive.Status.SHREDDED)),
        archives_verified=Count("pk", filter=Q(status=Archive.Status.VERIFIED)),
    )
    return {
        "jobs": [(label, counts.get(value, 0)) for value, label in DestructionJob.Status.choices],
        "jobs_by_status": [
            (label, counts[value])
            for value, label in DestructionJob.Status.choices
            if counts.get(value)
        ],
        "total_jobs": sum(counts.values()),
        "failed_jobs": counts.get(DestructionJob.Status.FAILED, 0),
        "jobs_started": sum(
            counts.get(s, 0)
            for s in (
                DestructionJob.Status.PERFORMED,
                DestructionJob.Status.VERIFIED,
                DestructionJob.Status.CERTIFIED,
            )
        ),
        **to_delete,
        **archives,
        "overdue_processors": ProcessorRequest.objects.filter(
            winddown=winddown, status=ProcessorRequest.Status.OVERDUE
        ).count(),
        "expired_certifications": VendorCertification.objects.filter(
            vendor__winddown=winddown, expires_on__lt=dt.date.today()
        ).count(),
    }


# winddown id -> (audit chain position read before the figures, the figures)
_progress_read: dict[int, tuple[tuple[int, str], dict]] = {}
_PROGRESS_READ_MAX = 256


def _deletion_progress(winddown: WindDown) -> dict:
    """The deletion progress, read again only when the audit chain has moved.

    What it counts changes only through audited services (a decision reviewed, overridden or
    re-evaluated, a hold placed or released, a holding imported or destroyed), each appending
    to the chain in its own transaction, so while the chain stays where it was the figures
    read at that position still hold (as notices.facts does for the kept facts). At 50,000
    holdings reading them is the dashboard's costliest query; this makes it one row's read.
    The position is read first: figures newer than it are at worst read again.
    """
    position = audit_position(winddown.pk)
    kept = _progress_read.get(winddown.pk)
    if kept is None or kept[0] != position:
        if len(_progress_read) >= _PROGRESS_READ_MAX:
            _progress_read.clear()
        kept = _progress_read[winddown.pk] = (position, _deletion_progress_read(winddown))
    return {**kept[1], "remaining_by_day": list(kept[1]["remaining_by_day"])}


def _deletion_progress_read(winddown: WindDown) -> dict:
    """Holdings and records that in-force decisions delete, how many are destroyed, and the
    records still to delete after each day on which some were (the burn-down), in one query."""
    rows = (
        Decision.objects.filter(winddown=winddown)
        .in_force_to([Disposition.DELETE, Disposition.DELETE_NOW])
        .annotate(day=TruncDate("holding__destroyed_at"))
        .values_list("day")
        .annotate(holdings=Count("pk"), records=Coalesce(Sum("holding__records_total"), 0))
        .order_by("day")
    )
    figures = dict.fromkeys(
        ["holdings_to_delete", "holdings_destroyed", "records_to_delete", "records_destroyed"], 0
    )
    destroyed_on = []
    for day, holdings, records in rows:
        figures["holdings_to_delete"] += holdings
        figures["records_to_delete"] += records
        if day is not None:
            figures["holdings_destroyed"] += holdings
            figures["records_destroyed"] += records
            destroyed_on.append((day, records))
    remaining, burn_down = figures["records_to_delete"], []
    for day, records in sorted(destroyed_on):
        remaining -= records
        burn_down.append((day.isoformat(), remaining))
    return {**figures, "remaining_by_day": burn_down}
