"""The retention schedule (GDPR art. 30(1)(f)): CSV and XLSX per holding, a PDF to sign.

Rows show what is in force (DecisionQuerySet.with_effective): legal's override once it is
approved, else the proposal; a legal hold over either, with no deletion date. Spreadsheet
cells go through windown.spreadsheets (formulas neutralised, text written as text).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance.models import Decision, Disposition, LegalHold, ScheduleExport
from compliance.reasons import citation
from compliance.selectors import decisions_visible_to
from compliance.services.rulesets import current_ruleset
from windown import roles, spreadsheets
from windown.audit import audit_record
from windown.models import Membership
from windown.pdf import html_to_pdf

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
    "held_by",
]
# Above this many decisions the PDF renders on the worker (schedule_export_request), not in
# the request: 10,000 decisions take seconds to lay out.
PDF_IN_REQUEST_LIMIT = 2000


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _in_force(decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    if "held" not in decisions.query.annotations:
        decisions = decisions.with_effective()
    return decisions.select_related("holding__system", "holding__category", "reviewed_by").order_by(
        "holding__system__name", "holding__category__key", "holding__jurisdiction", "pk"
    )


def _holds_by_holding(decisions: QuerySet[Decision]) -> dict[int, list[str]]:
    """Return {holding id: references of the active holds over it} (one query)."""
    through = LegalHold.holdings.through.objects.filter(
        legalhold__status=LegalHold.Status.ACTIVE,
        holding_id__in=decisions.order_by().values("holding_id"),
    ).order_by("legalhold__reference")
    found = defaultdict(list)
    for holding_id, reference in through.values_list("holding_id", "legalhold__reference"):
        found[holding_id].append(reference)
    return found


def _basis(d: Decision, held_by: list[str]) -> str:
    """Say why, in the active language: the proposal's basis, legal's override, a hold."""
    basis = d.basis
    if d.status == Decision.Status.OVERRIDDEN:
        basis = _("Overridden by legal: %(reason)s (proposal: %(basis)s)") % {
            "reason": d.override_reason,
            "basis": basis,
        }
    if held_by:
        basis = _("Held by %(holds)s: nothing may be destroyed. Under the hold: %(basis)s") % {
            "holds": ", ".join(held_by),
            "basis": basis,
        }
    return basis


def schedule_rows(decisions: QuerySet[Decision]) -> Iterator[list]:
    """Yield one row per decision, in COLUMNS order (streams: safe for 50,000 holdings)."""
    holds = _holds_by_holding(decisions)
    for d in _in_force(decisions).iterator(chunk_size=2000):
        holding, held_by = d.holding, holds.get(d.holding_id, [])
        yield [
            holding.system.name,
            holding.category.key,
            holding.source,
            holding.jurisdiction,
            holding.records_total,
            d.effective_disposition,
            _iso(d.effective_retain_until),
            _iso(d.effective_delete_by),
            _basis(d, held_by),
            "; ".join(d.citations),
            "yes" if d.conflict else "no",
            d.status,
            d.reviewed_by.email if d.reviewed_by else "",
            "; ".join(held_by),
        ]


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """Yield the CSV (header first) a few hundred rows at a time, for a streamed download."""
    return spreadsheets.csv_chunks(COLUMNS, rows)


def write_csv(rows: Iterable[list], stream: IO[str]) -> None:
    for chunk in csv_chunks(rows):
        stream.write(chunk)


def write_xlsx(rows: Iterable[list], stream: IO[bytes]) -> None:
    spreadsheets.write_xlsx({"Retention schedule": (COLUMNS, rows)}, stream)


def _bilingual(choices) -> dict[str, tuple[str, str]]:
    """Return {value: (English label, Chinese label)} of a TextChoices class."""
    labels = {}
    for value, label in choices.choices:
        with translation.override("en"):
            english = str(label)
        with translation.override("zh-hans"):
            chinese = str(label)
        labels[value] = (english, chinese if chinese != english else "")
    return labels


@dataclass
class ScheduleGroup:
    """Decisions of one category x jurisdiction x disposition in force, for the PDF."""

    category: tuple[str, str]
    jurisdiction: str
    disposition: tuple[str, str]
    held: bool
    records: int = 0
    holdings: int = 0
    systems: set = field(default_factory=set)
    retain_until: date | None = None
    delete_by: date | None = None
    conflict: bool = False
    citations: dict = field(default_factory=dict)
    status: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)


def summary_groups(decisions: QuerySet[Decision]) -> list[ScheduleGroup]:
    """Aggregate the schedule by category x jurisdiction x disposition in force (one query)."""
    dispositions = _bilingual(Disposition)
    statuses = _bilingual(Decision.Status)
    rows = _in_force(decisions).values_list(
        "holding__category__key",
        "holding__category__label_en",
        "holding__category__label_zh",
        "holding__jurisdiction",
        "effective_disposition",
        "held",
        "holding__system_id",
        "holding__records_total",
        "effective_retain_until",
        "effective_delete_by",
        "conflict",
        "considered",
        "status",
    )
    groups: dict[tuple, ScheduleGroup] = {}
    for (
        key,
        label_en,
        label_zh,
        jurisdiction,
        disposition,
        held,
        system,
        records,
        *rest,
    ) in rows.iterator(chunk_size=2000):
        retain_until, delete_by, conflict, considered, status = rest
        group = groups.get((key, jurisdiction, disposition))
        if group is None:
            group = groups[key, jurisdiction, disposition] = ScheduleGroup(
                category=(label_en, label_zh if label_zh != label_en else ""),
                jurisdiction=jurisdiction,
                disposition=dispositions[disposition],
                held=held,
            )
        group.records += records
        group.holdings += 1
        group.systems.add(system)
        if retain_until and (group.retain_until is None or retain_until > group.retain_until):
            group.retain_until = retain_until
        if delete_by and (group.delete_by is None or delete_by > group.delete_by):
            group.delete_by = delete_by
        group.conflict |= conflict
        group.citations.update(dict.fromkeys(o["citation"] for o in considered if o["applied"]))
        label = statuses[status]
        group.status[label] = group.status.get(label, 0) + 1
    return [groups[key] for key in sorted(groups)]


def number_citations(groups: list[ScheduleGroup]) -> list[tuple[str, str]]:
    """Number each group's citations into the returned list (the PDF's notes), each as
    (English, Chinese; '' where the two are the same)."""
    notes: dict[str, int] = {}
    for group in groups:
        group.notes = [notes.setdefault(c, len(notes) + 1) for c in group.citations]
    with translation.override("zh-hans"):
        chinese = [citation(c) for c in notes]
    return [(c, zh if zh != c else "") for c, zh in zip(notes, chinese, strict=True)]


def schedule_html(*, winddown, decisions: QuerySet[Decision], ruleset_version: str) -> str:
    """Return the schedule's HTML: bilingual headings, labels (no raw keys), a sign-off block."""
    statuses = _bilingual(Decision.Status)
    counts = dict.fromkeys(Decision.Status.values, 0)
    for status in decisions.order_by().values_list("status", flat=True).iterator(2000):
        counts[status] += 1
    groups = summary_groups(decisions)
    total = sum(counts.values())
    return render_to_string(
        "compliance/schedule_pdf.html",
        {
            "winddown": winddown,
            "groups": groups,
            "citations": number_citations(groups),
            "counts": [(statuses[status], n) for status, n in counts.items() if n],
            "total": total,
            "pending": total - counts["approved"] - counts["overridden"],
            "held": sum(group.holdings for group in groups if group.held),
            "ruleset_version": ruleset_version,
            "generated": timezone.now(),
            "site_url": settings.SITE_URL,
        },
    )


def render_pdf(
    *,
    winddown,
    decisions: QuerySet[Decision],
    ruleset_version: str,
    progress: Callable[[int], None] = lambda percent: None,
) -> bytes:
    """Render the schedule as a PDF with bilingual headings and legal's sign-off block."""
    html = schedule_html(winddown=winddown, decisions=decisions, ruleset_version=ruleset_version)
    progress(30)
    pdf = html_to_pdf(html)
    progress(100)
    return pdf


@transaction.atomic
def schedule_export_request(*, by: Membership) -> ScheduleExport:
    """Queue a schedule PDF for the member's view of the decisions, rendered on the worker."""
    from compliance.tasks import render_schedule_pdf

    roles.require(by, "compliance.view")
    export = ScheduleExport(
        winddown=by.winddown, requested_by=by, decisions=decisions_visible_to(by).count()
    )
    export.full_clean()
    export.save()
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="compliance.schedule_pdf_requested",
        obj=export,
        payload={"decisions": export.decisions},
    )
    transaction.on_commit(lambda: render_schedule_pdf.delay(export.pk))
    return export


def schedule_export_render(*, export: ScheduleExport) -> ScheduleExport:
    """Render a queued schedule PDF once (claimed), recording progress as it goes."""
    claimed = ScheduleExport.objects.filter(
        pk=export.pk, status=ScheduleExport.Status.QUEUED
    ).update(status=ScheduleExport.Status.RENDERING, progress=5)
    if claimed != 1:
        return ScheduleExport.objects.get(pk=export.pk)
    export = ScheduleExport.objects.select_related("winddown", "requested_by__user").get(
        pk=export.pk
    )

    def progress(percent: int) -> None:
        ScheduleExport.objects.filter(pk=export.pk).update(progress=min(percent, 99))

    winddown = export.winddown
    ruleset = current_ruleset(winddown)
    try:
        pdf = render_pdf(
            winddown=winddown,
            decisions=decisions_visible_to(export.requested_by),
            ruleset_version=ruleset.version if ruleset else "",
            progress=progress,
        )
    except Exception as error:  # recorded for the member to see, then re-raised for the log
        ScheduleExport.objects.filter(pk=export.pk).update(
            status=ScheduleExport.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        export.file.save(f"retention-schedule-{winddown.slug}-{export.pk}.pdf", ContentFile(pdf))
        export.status, export.progress = ScheduleExport.Status.DONE, 100
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "status", "progress", "finished_at"])
        audit_record(
            winddown=winddown,
            actor=None,
            action="compliance.schedule_pdf_rendered",
            obj=export,
            payload={"decisions": export.decisions, "bytes": len(pdf)},
        )
    return export
