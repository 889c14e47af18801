"""Reads of the auditor's portal: destruction jobs, evidence, processor answers and archives'
manifests, each narrowed by the same filters (status, UTC days, subject jurisdiction, job)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from destruction.models import (
    Archive,
    DestructionJob,
    Evidence,
    JobItem,
    ProcessorRequest,
    ProcessorRequestItem,
)
from destruction.selectors.jobs import jobs_of
from destruction.selectors.processors import processor_requests_of
from inventory.models import Holding
from windown.models import WindDown


@dataclass(frozen=True)
class PortalFilters:
    """What the portal's lists are narrowed by; empty values filter nothing."""

    status: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    jurisdiction: str = ""
    job: str = ""


def _days(queryset: QuerySet, field, filters: PortalFilters) -> QuerySet:
    """Keep rows whose `field` (a name or an expression) falls in the inclusive UTC days."""
    if filters.since:
        start = dt.datetime.combine(filters.since, dt.time.min, tzinfo=dt.UTC)
        queryset = queryset.alias(portal_since=field).filter(portal_since__gte=start)
    if filters.until:
        end = dt.datetime.combine(filters.until, dt.time.min, tzinfo=dt.UTC) + dt.timedelta(1)
        queryset = queryset.alias(portal_until=field).filter(portal_until__lt=end)
    return queryset


def _job_q(job: str, prefix: str) -> Q:
    """Match a job by its reference (any letter case) or its id."""
    q = Q(**{f"{prefix}reference__iexact": job.strip()})
    return q | Q(**{f"{prefix}pk": int(job)}) if job.strip().isdigit() else q


def jurisdictions_of(winddown: WindDown) -> list[str]:
    """The subject jurisdictions the wind-down's data map holds data of (the filter's choices)."""
    return list(
        Holding.objects.filter(winddown=winddown)
        .values_list("jurisdiction", flat=True)
        .distinct()
        .order_by("jurisdiction")
    )


def _items_in(jurisdiction: str) -> QuerySet[JobItem]:
    """Job items that destroy data of customers of `jurisdiction`, whatever the item's kind."""
    return JobItem.objects.filter(
        Q(holding__jurisdiction=jurisdiction)
        | Q(system__holdings__jurisdiction=jurisdiction)
        | Q(archive__decision__holding__jurisdiction=jurisdiction)
        | Q(processor_request__system__holdings__jurisdiction=jurisdiction)
    )


def portal_jobs(winddown: WindDown, filters: PortalFilters) -> QuerySet[DestructionJob]:
    """Jobs by status, by the day they finished (or were planned), jurisdiction and job."""
    jobs = jobs_of(winddown, status=filters.status).annotate(
        evidence_count=Count("evidence", distinct=True)
    )
    jobs = _days(jobs, Coalesce(F("finished_at"), F("created_at")), filters)
    if filters.jurisdiction:
        jobs = jobs.filter(pk__in=_items_in(filters.jurisdiction).values("job_id"))
    if filters.job:
        jobs = jobs.filter(_job_q(filters.job, ""))
    return jobs


def portal_evidence(winddown: WindDown, filters: PortalFilters) -> QuerySet[Evidence]:
    """Evidence files, newest first, by kind (as `status`), upload day, jurisdiction, job."""
    evidence = (
        Evidence.objects.filter(job__winddown=winddown)
        .select_related("job", "uploaded_by")
        .order_by("-uploaded_at", "-pk")
    )
    if filters.status:
        evidence = evidence.filter(kind=filters.status)
    evidence = _days(evidence, F("uploaded_at"), filters)
    if filters.jurisdiction:
        evidence = evidence.filter(job__in=_items_in(filters.jurisdiction).values("job_id"))
    if filters.job:
        evidence = evidence.filter(_job_q(filters.job, "job__"))
    return evidence


def portal_processor_answers(
    winddown: WindDown, filters: PortalFilters
) -> QuerySet[ProcessorRequest]:
    """Processor requests with their answers per category, by status, answer day, jurisdiction
    of the system's customers, and the job that records them."""
    requests = processor_requests_of(winddown).prefetch_related(
        Prefetch(
            "items",
            queryset=ProcessorRequestItem.objects.select_related("category").order_by(
                "category__key"
            ),
        )
    )
    if filters.status:
        requests = requests.filter(status=filters.status)
    requests = _days(requests, Coalesce(F("answered_at"), F("created_at")), filters)
    if filters.jurisdiction:
        requests = requests.filter(
            system__in=Holding.objects.filter(jurisdiction=filters.jurisdiction).values("system_id")
        )
    if filters.job:
        items = JobItem.objects.filter(_job_q(filters.job, "job__"))
        requests = requests.filter(pk__in=items.values("processor_request_id"))
    return requests


def portal_archives(winddown: WindDown, filters: PortalFilters) -> QuerySet[Archive]:
    """Archives (their manifests), by status, creation day, the archived holding's jurisdiction
    and the job that shredded them."""
    archives = (
        Archive.objects.filter(winddown=winddown)
        .select_related("winddown", "decision__holding__system", "decision__holding__category")
        .order_by("-created_at", "-pk")
    )
    if filters.status:
        archives = archives.filter(status=filters.status)
    archives = _days(archives, F("created_at"), filters)
    if filters.jurisdiction:
        archives = archives.filter(decision__holding__jurisdiction=filters.jurisdiction)
    if filters.job:
        items = JobItem.objects.filter(_job_q(filters.job, "job__"))
        archives = archives.filter(pk__in=items.values("archive_id"))
    return archives


def portal_overview(winddown: WindDown) -> dict[str, dict[str, int]]:
    """Counts per status of each list, for the portal's landing page (one query per list)."""

    def counts(queryset: QuerySet, field: str) -> dict[str, int]:
        return dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())

    return {
        "jobs": counts(DestructionJob.objects.filter(winddown=winddown), "status"),
        "evidence": counts(Evidence.objects.filter(job__winddown=winddown), "kind"),
        "processor_requests": counts(ProcessorRequest.objects.filter(winddown=winddown), "status"),
        "archives": counts(Archive.objects.filter(winddown=winddown), "status"),
    }
