"""Which jurisdictions' destruction is certified, with the facts their completion receipt states.

A jurisdiction is certified when legal has decided every holding of it that has records, every
one of them to be deleted (delete, delete_now) is destroyed by a certified job whose certificate
is issued and not revoked, and every one to be archived has its archive created. The receipt
then says which categories were destroyed when, and by which certificates (their serials).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from compliance.models import Decision, Disposition
from destruction.models import Archive, Certificate, DestructionJob, JobItem
from windown.models import WindDown

DELETED = (Disposition.DELETE, Disposition.DELETE_NOW)
DESTROYED = (JobItem.Outcome.DESTROYED, JobItem.Outcome.DESTROYED_WITH_EXCEPTIONS)


@dataclass
class CertifiedJurisdiction:
    jurisdiction: str
    serials: list[str] = field(default_factory=list)
    # per destroyed category: key, English and Chinese labels, the day it was destroyed (ISO)
    deleted: list[dict[str, str]] = field(default_factory=list)


def _proof_by_holding(winddown: WindDown) -> dict[int, tuple[str, dt.date]]:
    """Each holding destroyed by a certified job with a valid certificate: (serial, day)."""
    rows = (
        JobItem.objects.filter(
            job__winddown=winddown,
            job__status=DestructionJob.Status.CERTIFIED,
            kind=JobItem.Kind.HOLDING,
            outcome__in=DESTROYED,
            job__certificates__status=Certificate.Status.ISSUED,
        )
        .values_list("holding_id", "job__certificates__serial", "job__finished_at")
        .order_by("job__certificates__serial")
    )
    return {
        holding: (serial, timezone.localdate(finished) if finished else timezone.localdate())
        for holding, serial, finished in rows
    }


def certified_jurisdictions(winddown: WindDown) -> list[CertifiedJurisdiction]:
    """The wind-down's jurisdictions whose destruction is certified (a fixed number of queries)."""
    decisions = (
        Decision.objects.filter(winddown=winddown, holding__records_total__gt=0)
        .with_effective()
        .values(
            "pk",
            "holding_id",
            "holding__jurisdiction",
            "holding__category__key",
            "holding__category__label_en",
            "holding__category__label_zh",
            "effective_disposition",
            "status",
            "held",
        )
        .order_by("holding__jurisdiction", "holding__category__key")
    )
    archived = set(
        Archive.objects.filter(winddown=winddown)
        .filter(~Q(status=Archive.Status.PENDING))
        .values_list("decision_id", flat=True)
    )
    proof = _proof_by_holding(winddown)
    found: dict[str, CertifiedJurisdiction] = {}
    blocked: set[str] = set()
    for row in decisions:
        code = row["holding__jurisdiction"]
        decided = row["status"] in Decision.EFFECTIVE or row["held"]
        disposition = row["effective_disposition"]
        if not decided or (disposition == Disposition.ARCHIVE and row["pk"] not in archived):
            blocked.add(code)
            continue
        if disposition not in DELETED:
            continue
        if row["holding_id"] not in proof:
            blocked.add(code)
            continue
        serial, day = proof[row["holding_id"]]
        entry = found.setdefault(code, CertifiedJurisdiction(code))
        if serial not in entry.serials:
            entry.serials.append(serial)
        fact = {
            "key": row["holding__category__key"],
            "label_en": row["holding__category__label_en"],
            "label_zh": row["holding__category__label_zh"] or "",
            "destroyed_on": day.isoformat(),
        }
        if fact not in entry.deleted:
            entry.deleted.append(fact)
    return [entry for code, entry in sorted(found.items()) if code not in blocked]
