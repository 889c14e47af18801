"""The retention schedule (GDPR art. 30(1)(f)): CSV and XLSX per holding, a PDF to sign.

Rows show the disposition in force: legal's override once it is approved, else the proposal.
"""

from __future__ import annotations

import csv
import io
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from compliance.models import Decision

COLUMNS = [
    "system",
    "category",
    "source",
    "jurisdiction",
    "records_total",
    "disposition",
    "retain_until",
    "delete_by",
    "basis",
    "citations",
    "conflict",
    "status",
    "reviewed_by",
]


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _in_order(decisions: QuerySet[Decision]) -> Iterator[Decision]:
    queryset = decisions.select_related(
        "holding__system", "holding__category", "reviewed_by"
    ).order_by("holding__system__name", "holding__category__key", "holding__jurisdiction", "pk")
    return queryset.iterator(chunk_size=2000)


def _row(d: Decision) -> list:
    holding = d.holding
    basis = d.basis
    if d.status == Decision.Status.OVERRIDDEN:
        basis = f"Overridden by legal: {d.override_reason} (proposal: {d.basis})"
    return [
        holding.system.name,
        holding.category.key,
        holding.source,
        holding.jurisdiction,
        holding.records_total,
        d.effective_disposition,
        _iso(d.effective_retain_until),
        _iso(d.effective_delete_by),
        basis,
        "; ".join(d.citations),
        "yes" if d.conflict else "no",
        d.status,
        d.reviewed_by.email if d.reviewed_by else "",
    ]


def schedule_rows(decisions: QuerySet[Decision]) -> Iterator[list]:
    """Yield one row per decision, in COLUMNS order (streams: safe for 50,000 holdings)."""
    return (_row(d) for d in _in_order(decisions))


def csv_chunks(rows: Iterable[list], every: int = 500) -> Iterator[str]:
    """Yield the CSV (header first) a few hundred rows at a time, for a streamed download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for number, row in enumerate(rows, start=1):
        writer.writerow(row)
        if number % every == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(rows: Iterable[list], stream: IO[str]) -> None:
    for chunk in csv_chunks(rows):
        stream.write(chunk)


def write_xlsx(rows: Iterable[list], stream: IO[bytes]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Retention schedule")
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    workbook.save(stream)


def _refuse_network(url: str, *args, **kwargs):
    """Fetch nothing over the network: the schedule's HTML embeds everything it needs."""
    raise ValueError(f"windown does not fetch {url!r} while rendering a PDF")


def summary_groups(decisions: QuerySet[Decision]) -> list[dict]:
    """Aggregate the schedule by category x jurisdiction x disposition for the PDF."""
    groups: dict[tuple, dict] = defaultdict(
        lambda: {"records": 0, "holdings": 0, "systems": set(), "citations": {}, "status": {}}
    )
    for decision in _in_order(decisions):
        row = _row(decision)
        system, category, _, jurisdiction, records, disposition, retain, delete_by = row[:8]
        group = groups[(category, jurisdiction, disposition)]
        group["records"] += records
        group["holdings"] += 1
        group["systems"].add(system)
        group["retain_until"] = max(group.get("retain_until", ""), retain)
        group["delete_by"] = max(group.get("delete_by", ""), delete_by)
        group["conflict"] = group.get("conflict", False) or row[10] == "yes"
        group["citations"].update(dict.fromkeys(decision.citations))
        group["status"][row[11]] = group["status"].get(row[11], 0) + 1
    return [
        {
            "category": key[0],
            "jurisdiction": key[1],
            "disposition": key[2],
            **values,
            "systems": len(values["systems"]),
            "citations": list(values["citations"]),
            "status": sorted(values["status"].items()),
        }
        for key, values in sorted(groups.items())
    ]


def number_citations(groups: list[dict]) -> list[str]:
    """Replace each group's citations by numbers into the returned list (the PDF's notes)."""
    notes: dict[str, int] = {}
    for group in groups:
        group["notes"] = [notes.setdefault(c, len(notes) + 1) for c in group["citations"]]
    return list(notes)


def render_pdf(*, winddown, decisions: QuerySet[Decision], ruleset_version: str) -> bytes:
    """Render the schedule as a PDF with bilingual headings and legal's sign-off block."""
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # no step-by-step log
    from weasyprint import HTML  # imported here: never in a Celery prefork parent

    counts = dict.fromkeys(Decision.Status.values, 0)
    for status in decisions.values_list("status", flat=True).iterator():
        counts[status] += 1
    groups = summary_groups(decisions)
    html = render_to_string(
        "compliance/schedule_pdf.html",
        {
            "winddown": winddown,
            "groups": groups,
            "citations": number_citations(groups),
            "counts": counts,
            "total": sum(counts.values()),
            "pending": sum(counts.values()) - counts["approved"] - counts["overridden"],
            "ruleset_version": ruleset_version,
            "generated": timezone.now(),
            "site_url": settings.SITE_URL,
        },
    )
    return HTML(string=html, url_fetcher=_refuse_network).write_pdf()
