"""The six gates a destruction job passes before it may be scheduled and performed.

1. the decision is effective, not stale, and its disposition allows destroying that copy now
   (a delete decision's `retain_until` is a "not before" date);
2. no active legal hold covers the holding;
3. no unresolved open matter covers it;
4. the customers of its jurisdiction were notified at least the wind-down's lead days before
   (`delete_now` items — passwords, full card numbers, secrets — are exempt);
5. the original of an archived holding: its archive exists and was verified;
6. the vendor's certification is valid on the performance date, or the director overrode it.

Every result names its gate, the item (and holding) it concerns, and the page that fixes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from compliance.models import Disposition
from destruction.models import DestructionJob, JobItem
from destruction.selectors.archives import archive_verified_for_holding
from destruction.selectors.jobs import (
    CoverageIndex,
    decision_is_effective,
    decision_of,
    items_of,
    notified,
)
from inventory.models import Holding

GATE_NAMES = {
    1: "decision",
    2: "legal_hold",
    3: "open_matter",
    4: "notified",
    5: "archive_verified",
    6: "vendor_certified",
}
DELETABLE = {Disposition.DELETE_NOW, Disposition.DELETE}
ALLOWED = {
    JobItem.Kind.HOLDING: DELETABLE,
    JobItem.Kind.ARCHIVE_ORIGINAL: {Disposition.ARCHIVE},
    JobItem.Kind.MEDIA: DELETABLE | {Disposition.ARCHIVE},
    JobItem.Kind.PROCESSOR_REQUEST: DELETABLE | {Disposition.ARCHIVE},
    JobItem.Kind.ARCHIVE_SHRED: {Disposition.ARCHIVE},
}


def gate_titles() -> dict[int, str]:
    return {
        1: _("Decision effective"),
        2: _("No legal hold"),
        3: _("No open matter"),
        4: _("Customers notified"),
        5: _("Archive verified"),
        6: _("Vendor certified"),
    }


@dataclass(frozen=True)
class GateResult:
    gate: int
    name: str
    passed: bool
    message: str
    item_id: int | None = None
    item: str = ""
    holding_id: int | None = None
    holding: str = ""
    fix_url: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class GateReport:
    on: dt.date
    results: list[GateResult]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> list[GateResult]:
        return [r for r in self.results if not r.passed]

    def as_list(self) -> list[dict]:
        return [r.as_dict() for r in self.results]


def _holdings_of(item: JobItem) -> list[Holding]:
    if item.kind in (JobItem.Kind.HOLDING, JobItem.Kind.ARCHIVE_ORIGINAL):
        return [item.holding]
    if item.kind == JobItem.Kind.ARCHIVE_SHRED:
        return [item.archive.decision.holding]
    system = item.system if item.kind == JobItem.Kind.MEDIA else item.processor_request.system
    if system is None:
        return []
    return list(system.holdings.select_related("system", "category", "decision"))


def gates_evaluate(*, job: DestructionJob, on: dt.date) -> GateReport:
    """Evaluate every gate for every item of `job` as of the performance date `on`."""
    winddown = job.winddown
    slug = winddown.slug
    items = list(items_of(job))
    coverage = CoverageIndex(winddown)
    per_item = {item.pk: _holdings_of(item) for item in items}
    jurisdictions = {h.jurisdiction for holdings in per_item.values() for h in holdings}
    shares = notified(winddown, jurisdictions, on=on)
    results: list[GateResult] = []

    def add(gate, passed, message, item=None, holding=None, fix_url=""):
        results.append(
            GateResult(
                gate=gate,
                name=GATE_NAMES[gate],
                passed=passed,
                message=str(message),
                item_id=item.pk if item else None,
                item=item.label if item else "",
                holding_id=holding.pk if holding else None,
                holding=str(holding) if holding else "",
                fix_url=fix_url,
            )
        )

    for item in items:
        holdings = per_item[item.pk]
        if item.kind == JobItem.Kind.MEDIA and item.system_id:
            holds = coverage.holds_on_system(item.system_id)
            if holds:
                add(
                    2,
                    False,
                    _("Legal hold %(refs)s covers this system.")
                    % {"refs": ", ".join(h.reference for h in holds)},
                    item,
                    fix_url=holds[0].get_absolute_url(),
                )
        if not holdings:
            add(1, True, _("No holdings are declared on it."), item)
        for holding in holdings:
            _holding_gates(add, item, holding, on, coverage, shares, slug)
    _vendor_gate(add, job, items, on)
    return GateReport(on=on, results=results)


def _holding_gates(add, item, holding, on, coverage, shares, slug) -> None:
    decision = decision_of(holding)
    disposition = None
    if decision is None:
        add(
            1,
            False,
            _("No decision was proposed for this holding."),
            item,
            holding,
            reverse("compliance:decision-list", kwargs={"slug": slug}),
        )
    elif not decision_is_effective(decision):
        add(
            1,
            False,
            _("The decision is %(status)s, not approved by legal.")
            % {"status": decision.get_status_display()},
            item,
            holding,
            decision.get_absolute_url(),
        )
    else:
        disposition = decision.effective_disposition
        allowed = ALLOWED[item.kind]
        retain_until = decision.effective_retain_until
        label = Disposition(disposition).label
        if disposition not in allowed:
            add(
                1,
                False,
                _("The decision is “%(d)s”, which does not allow destroying this copy.")
                % {"d": label},
                item,
                holding,
                decision.get_absolute_url(),
            )
        elif item.kind == JobItem.Kind.ARCHIVE_SHRED:
            until = item.archive.retain_until or retain_until
            if until and until >= on:
                add(
                    1,
                    False,
                    _("The archive must be kept until %(date)s.") % {"date": until},
                    item,
                    holding,
                    decision.get_absolute_url(),
                )
            else:
                add(1, True, _("The archive's retention period has ended."), item, holding)
        elif disposition == Disposition.DELETE and retain_until and retain_until >= on:
            # retain_until is the last day a duty keeps the data: destruction from the day after
            not_before = retain_until + dt.timedelta(days=1)
            add(
                1,
                False,
                _("“%(d)s”, but not before %(date)s.") % {"d": label, "date": not_before},
                item,
                holding,
                decision.get_absolute_url(),
            )
        else:
            add(1, True, _("Approved: “%(d)s”.") % {"d": label}, item, holding)
    holds = coverage.holds_covering(holding)
    if holds:
        add(
            2,
            False,
            _("Legal hold %(refs)s covers it.") % {"refs": ", ".join(h.reference for h in holds)},
            item,
            holding,
            holds[0].get_absolute_url(),
        )
    else:
        add(2, True, _("No active legal hold covers it."), item, holding)
    matters = coverage.open_matters_covering(holding)
    if matters:
        add(
            3,
            False,
            _("Open matter %(refs)s needs it.") % {"refs": ", ".join(m.reference for m in matters)},
            item,
            holding,
            matters[0].get_absolute_url(),
        )
    else:
        add(3, True, _("No unresolved open matter covers it."), item, holding)
    if item.kind != JobItem.Kind.ARCHIVE_SHRED:
        _notified_gate(add, item, holding, disposition, shares[holding.jurisdiction], slug)
    whole_copies = (JobItem.Kind.MEDIA, JobItem.Kind.PROCESSOR_REQUEST)
    if item.kind == JobItem.Kind.ARCHIVE_ORIGINAL or (
        disposition == Disposition.ARCHIVE and item.kind in whole_copies
    ):
        archive = archive_verified_for_holding(holding)
        if archive is None:
            add(
                5,
                False,
                _("Its archive does not exist or has not been verified."),
                item,
                holding,
                reverse("destruction:index", kwargs={"slug": slug}),
            )
        else:
            add(5, True, _("%(archive)s was verified.") % {"archive": archive}, item, holding)


def _notified_gate(add, item, holding, disposition, share, slug) -> None:
    if disposition == Disposition.DELETE_NOW:
        add(
            4,
            True,
            _(
                "Exempt: “delete now” data (passwords, full card numbers, secrets) is "
                "deleted at once, without waiting for a notice."
            ),
            item,
            holding,
        )
        return
    figures = {
        "j": share.jurisdiction,
        "n": share.notified,
        "total": share.recipients,
        "pct": f"{share.percent:.1f}",
        "cutoff": share.cutoff,
    }
    if share.notified:
        add(
            4,
            True,
            _("%(n)s of %(total)s customers in %(j)s (%(pct)s%%) were notified by %(cutoff)s.")
            % figures,
            item,
            holding,
        )
    elif share.later:
        add(
            4,
            False,
            _("Customers in %(j)s were notified too recently: none by %(cutoff)s.") % figures,
            item,
            holding,
            reverse("notices:index", kwargs={"slug": slug}),
        )
    else:
        add(
            4,
            False,
            _("No delivered notice reached customers in %(j)s by %(cutoff)s.") % figures,
            item,
            holding,
            reverse("notices:index", kwargs={"slug": slug}),
        )


def _vendor_gate(add, job: DestructionJob, items: list[JobItem], on: dt.date) -> None:
    vendor = job.vendor
    if vendor is None:
        if any(item.kind == JobItem.Kind.MEDIA for item in items):
            add(
                6,
                False,
                _("Physical media must be destroyed by a certified vendor: choose one."),
                fix_url=reverse(
                    "destruction:job-edit", kwargs={"slug": job.winddown.slug, "pk": job.pk}
                ),
            )
        else:
            add(6, True, _("Performed in-house by IT; no vendor is involved."))
        return
    valid = [c for c in vendor.certifications.all() if c.is_valid_on(on)]
    if valid:
        add(
            6,
            True,
            _("%(vendor)s holds %(certs)s, valid on %(date)s.")
            % {"vendor": vendor, "certs": ", ".join(str(c) for c in valid), "date": on},
        )
    elif job.vendor_overridden:
        add(
            6,
            True,
            _(
                "%(vendor)s has no valid certification on %(date)s; the director overrode "
                "this: %(reason)s"
            )
            % {"vendor": vendor, "date": on, "reason": job.vendor_override_reason},
        )
    else:
        add(
            6,
            False,
            _("%(vendor)s has no certification valid on %(date)s.")
            % {"vendor": vendor, "date": on},
            fix_url=vendor.get_absolute_url(),
        )
