"""Certificate reads: a wind-down's certificates, filtered, with what their pages show."""

from __future__ import annotations

from django.db.models import QuerySet

from destruction.models import Certificate
from windown.models import WindDown

FILTERS = ("status", "job", "serial")


def certificates_for(winddown: WindDown, **filters) -> QuerySet[Certificate]:
    """Return the wind-down's certificates, newest first; filter by status, job (id) or serial."""
    queryset = Certificate.objects.filter(winddown=winddown).select_related(
        "job", "issued_by__user", "revoked_by__user", "replaces", "winddown"
    )
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("job"):
        queryset = queryset.filter(job_id=filters["job"])
    if filters.get("serial"):
        queryset = queryset.filter(serial__icontains=filters["serial"].strip())
    return queryset.order_by("-issued_at", "-pk")


def replacement_of(certificate: Certificate) -> Certificate | None:
    """Return the certificate that replaced this one, if any."""
    return Certificate.objects.filter(replaces=certificate).only("serial", "winddown").first()
