"""Reads of the processor deletion requests: scope, lists, what beat must do, the overdue panel."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from destruction.models import (
    ProcessorEmail,
    ProcessorRequest,
    ProcessorRequestItem,
    RevocationItem,
)
from inventory.models import DataCategory, DataSystem
from inventory.selectors import holdings_of
from windown.models import WindDown


@dataclass
class ScopeEntry:
    """One data category a system holds, the subject jurisdictions and the records declared."""

    category: DataCategory
    jurisdictions: list[str] = field(default_factory=list)
    records_total: int = 0


def request_scope(system: DataSystem) -> list[ScopeEntry]:
    """Group the system's holdings by data category (from the data map)."""
    entries: dict[int, ScopeEntry] = {}
    jurisdictions: dict[int, set[str]] = defaultdict(set)
    for holding in holdings_of(system):
        entry = entries.setdefault(holding.category_id, ScopeEntry(category=holding.category))
        jurisdictions[holding.category_id].add(holding.jurisdiction)
        entry.records_total += holding.records_total
    for category_id, entry in entries.items():
        entry.jurisdictions = sorted(jurisdictions[category_id])
    return sorted(entries.values(), key=lambda e: e.category.key)


def processor_requests_of(winddown: WindDown) -> QuerySet[ProcessorRequest]:
    return (
        ProcessorRequest.objects.filter(winddown=winddown)
        .select_related("system", "winddown")
        .annotate(category_count=Count("items"))
        .order_by("-created_at", "-pk")
    )


def processor_request_detail(winddown: WindDown, pk: int) -> ProcessorRequest:
    return ProcessorRequest.objects.select_related("system", "winddown", "created_by__user").get(
        winddown=winddown, pk=pk
    )


def systems_without_request(winddown: WindDown) -> QuerySet[DataSystem]:
    """Systems run by a processor that have no request yet, or only cancelled ones."""
    return (
        DataSystem.objects.filter(winddown=winddown)
        .exclude(processor_name="")
        .exclude(
            processor_requests__status__in=[
                s for s in ProcessorRequest.Status.values if s != ProcessorRequest.Status.CANCELLED
            ]
        )
        .order_by("name")
    )


def saas_without_processor(winddown: WindDown) -> QuerySet[DataSystem]:
    """SaaS systems whose processor the data map does not name (a gap to close)."""
    return DataSystem.objects.filter(
        winddown=winddown, kind=DataSystem.Kind.SAAS, processor_name=""
    ).order_by("name")


def revocation_checklist(system: DataSystem) -> QuerySet[RevocationItem]:
    return system.revocation_items.select_related("done_by__user").order_by("kind")


def revocation_progress(winddown: WindDown) -> dict[str, int]:
    counts = RevocationItem.objects.filter(winddown=winddown).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status=RevocationItem.Status.OPEN))
    )
    return {"total": counts["total"], "open": counts["open"]}


def overdue_processor_requests(winddown: WindDown) -> QuerySet[ProcessorRequest]:
    """Escalated requests: the director sees them; each blocks certifying its job."""
    return (
        ProcessorRequest.objects.filter(winddown=winddown, status=ProcessorRequest.Status.OVERDUE)
        .select_related("system")
        .order_by("deadline", "pk")
    )


def processor_overview(winddown: WindDown) -> dict:
    """Counts per status and the overdue requests, for the destruction page's panel."""
    counts = dict(
        ProcessorRequest.objects.filter(winddown=winddown)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "counts": {status: counts.get(status, 0) for status in ProcessorRequest.Status.values},
        "overdue": list(overdue_processor_requests(winddown)[:20]),
        "overdue_total": counts.get(ProcessorRequest.Status.OVERDUE, 0),
        "revocations": revocation_progress(winddown),
    }


def requests_due_for_reminder(now: dt.datetime | None = None) -> list[int]:
    """Ids of unanswered requests last emailed at least the reminder interval ago."""
    now = now or timezone.now()
    interval = dt.timedelta(days=settings.DESTRUCTION_PROCESSOR_REMINDER_DAYS)
    return list(
        ProcessorRequest.objects.filter(
            status__in=ProcessorRequest.OPEN, last_contacted_at__lte=now - interval
        ).values_list("pk", flat=True)
    )


def requests_past_deadline(today: dt.date | None = None) -> list[int]:
    """Ids of sent, unanswered requests whose deadline has passed."""
    today = today or timezone.localdate()
    return list(
        ProcessorRequest.objects.filter(
            status=ProcessorRequest.Status.SENT, deadline__lt=today
        ).values_list("pk", flat=True)
    )


def emails_not_sent(older_than: dt.timedelta = dt.timedelta(minutes=10)) -> list[int]:
    """Ids of queued emails whose send task did not finish (the worker died): sent again."""
    return list(
        ProcessorEmail.objects.filter(
            sent_at__isnull=True, created_at__lte=timezone.now() - older_than
        ).values_list("pk", flat=True)
    )


def processor_request_outcome(request: ProcessorRequest) -> str | None:
    """What a destruction job item records for this request, from the processor's answer.

    `destroyed` when every category was deleted or not held, `destroyed_with_exceptions` when
    some are retained under law, `failed` when any was refused; None while unanswered.
    """
    if request.status != ProcessorRequest.Status.ANSWERED:
        return None
    answers = set(request.items.values_list("answer", flat=True))
    if ProcessorRequestItem.Answer.REFUSED in answers:
        return "failed"
    if ProcessorRequestItem.Answer.RETAINED in answers:
        return "destroyed_with_exceptions"
    return "destroyed"
