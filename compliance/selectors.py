"""Read queries of the compliance phase: scoped to what the member may see, constant in count."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum
from django.utils.translation import get_language

from compliance.models import Decision, Disposition, LegalHold, OpenMatter, Ruleset
from inventory.models import Holding
from windown import roles
from windown.models import Membership, WindDown
from windown.roles import Scope

Status = Decision.Status


def decisions_visible_to(membership: Membership) -> QuerySet[Decision]:
    """Return the decisions the member may see: all, or their department's for custodians.

    Each carries `held`, the disposition and dates in force (DecisionQuerySet) and, as
    `holding.active_holds`, the active holds over it ("held by LH-…").
    """
    active = LegalHold.objects.filter(status=LegalHold.Status.ACTIVE).order_by("reference")
    queryset = (
        Decision.objects.filter(winddown_id=membership.winddown_id)
        .with_effective()
        .select_related(
            "winddown", "holding__system", "holding__category", "ruleset", "reviewed_by"
        )
        .prefetch_related(Prefetch("holding__legal_holds", queryset=active, to_attr="active_holds"))
    )
    scope = roles.scope_of(membership.role, "compliance.view")
    if scope is Scope.ALL:
        return queryset
    if scope is Scope.OWN_DEPARTMENT:
        return queryset.filter(holding__system__department=membership.department)
    return queryset.none()


def decisions_filtered(membership: Membership, params) -> QuerySet[Decision]:
    """Apply the list's filters (disposition, status, conflict, jurisdiction) from a QueryDict."""
    queryset = decisions_visible_to(membership)
    if params.get("disposition") == Disposition.HOLD:
        queryset = queryset.filter(held=True)
    elif params.get("disposition"):
        queryset = queryset.filter(disposition=params["disposition"])
    if params.get("status"):
        queryset = queryset.filter(status=params["status"])
    if params.get("conflict") in ("yes", "no"):
        queryset = queryset.filter(conflict=params["conflict"] == "yes")
    if params.get("jurisdiction"):
        queryset = queryset.filter(holding__jurisdiction=params["jurisdiction"].upper())
    if params.get("category"):
        queryset = queryset.filter(holding__category__key=params["category"])
    return queryset


def jurisdictions_of(winddown: WindDown) -> list[str]:
    return sorted(
        set(Holding.objects.filter(winddown=winddown).values_list("jurisdiction", flat=True))
    )


def group_signature(decisions) -> str:
    """Hash what a group holds (ids and fingerprints), so a bulk approval approves what was seen."""
    parts = sorted(f"{d.pk}:{d.fingerprint}" for d in decisions)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class ReviewGroup:
    category_id: int
    category_key: str
    category_label_en: str
    category_label_zh: str
    jurisdiction: str
    disposition: str
    conflict: bool
    decisions: int
    records: int
    retain_from: object
    retain_to: object
    signature: str = ""

    @property
    def disposition_label(self) -> str:
        return Disposition(self.disposition).label

    @property
    def category_label(self) -> str:
        """Return the category's label in the active language."""
        if (get_language() or "").startswith("zh") and self.category_label_zh:
            return self.category_label_zh
        return self.category_label_en


def review_groups(winddown: WindDown) -> list[ReviewGroup]:
    """Group proposed decisions by category x jurisdiction x disposition (two queries)."""
    proposed = Decision.objects.filter(winddown=winddown, status=Status.PROPOSED)
    rows = (
        proposed.order_by()
        .values(
            "holding__category_id",
            "holding__category__key",
            "holding__category__label_en",
            "holding__category__label_zh",
            "holding__jurisdiction",
            "disposition",
        )
        .annotate(
            n=Count("pk"),
            records=Sum("holding__records_total"),
            conflicts=Count("pk", filter=Q(conflict=True)),
            retain_from=Min("retain_until"),
            retain_to=Max("retain_until"),
        )
        .order_by("holding__category__key", "holding__jurisdiction", "disposition")
    )
    members: dict[tuple, list] = {}
    for d in proposed.only(
        "id", "fingerprint", "disposition", "holding__category_id", "holding__jurisdiction"
    ).select_related("holding"):
        key = (d.holding.category_id, d.holding.jurisdiction, d.disposition)
        members.setdefault(key, []).append(d)
    groups = []
    for row in rows:
        key = (row["holding__category_id"], row["holding__jurisdiction"], row["disposition"])
        groups.append(
            ReviewGroup(
                category_id=key[0],
                category_key=row["holding__category__key"],
                category_label_en=row["holding__category__label_en"],
                category_label_zh=row["holding__category__label_zh"],
                jurisdiction=key[1],
                disposition=key[2],
                conflict=row["conflicts"] > 0,
                decisions=row["n"],
                records=row["records"] or 0,
                retain_from=row["retain_from"],
                retain_to=row["retain_to"],
                signature=group_signature(members.get(key, [])),
            )
        )
    return groups


def holdings_covered_by(hold: LegalHold) -> list[Holding]:
    """Return the holdings a hold covers (jurisdictions match through their chain: DE is EU)."""
    queryset = Holding.objects.filter(winddown_id=hold.winddown_id).only(
        "id", "system_id", "category_id", "jurisdiction"
    )
    system_ids = set(hold.systems.values_list("pk", flat=True))
    category_ids = set(hold.categories.values_list("pk", flat=True))
    if system_ids:
        queryset = queryset.filter(system_id__in=system_ids)
    if category_ids:
        queryset = queryset.filter(category_id__in=category_ids)
    return [h for h in queryset if hold.covers(h, system_ids, category_ids)]


def holds_covering(decision: Decision) -> list[LegalHold]:
    """Return the active holds over a decision's holding (its "held by LH-…")."""
    return list(
        LegalHold.objects.filter(
            holdings=decision.holding_id, status=LegalHold.Status.ACTIVE
        ).order_by("reference")
    )


def holding_is_held(holding: Holding) -> bool:
    """Say whether an active legal hold covers a holding: nothing of it may be destroyed."""
    return LegalHold.objects.filter(holdings=holding, status=LegalHold.Status.ACTIVE).exists()


def holds_of(winddown: WindDown) -> QuerySet[LegalHold]:
    return winddown.legal_holds.select_related("placed_by", "released_by").prefetch_related(
        "systems", "categories"
    )


def matters_of(winddown: WindDown, params=None) -> QuerySet[OpenMatter]:
    queryset = winddown.open_matters.annotate(covered=Count("holdings")).order_by(
        "-opened_on", "reference"
    )
    state = (params or {}).get("state")
    if state == "open":
        queryset = queryset.filter(resolved_on__isnull=True)
    elif state == "resolved":
        queryset = queryset.filter(resolved_on__isnull=False)
    return queryset


def rulesets_of(winddown: WindDown) -> QuerySet[Ruleset]:
    return winddown.rulesets.annotate(rule_count=Count("rules"), used_by=Count("decisions"))


def compliance_summary(membership: Membership) -> dict:
    """Figures for the dashboard panel and the phase's overview."""
    decisions = decisions_visible_to(membership)
    # one pass over the decisions for every count the panel shows
    counts = dict.fromkeys(Status.values, 0)
    dispositions: dict[str, int] = {}
    conflicts = 0
    for status, disposition, conflict, n in (
        decisions.order_by()
        .values_list("status", "disposition", "conflict")
        .annotate(n=Count("pk"))
    ):
        counts[status] += n
        dispositions[disposition] = dispositions.get(disposition, 0) + n
        if conflict and status not in (Status.APPROVED, Status.OVERRIDDEN):
            conflicts += n
    total = sum(counts.values())
    return {
        "total": total,
        "status": counts,
        "dispositions": dispositions,
        "conflicts": conflicts,
        "effective": counts[Status.APPROVED] + counts[Status.OVERRIDDEN],
        # everything legal still has to act on: new proposals, second approvals, stale ones
        "awaiting": counts[Status.PROPOSED]
        + counts[Status.PENDING_SECOND_APPROVAL]
        + counts[Status.STALE],
        "active_holds": LegalHold.objects.filter(
            winddown_id=membership.winddown_id, status=LegalHold.Status.ACTIVE
        ).count(),
        "open_matters": OpenMatter.objects.filter(
            winddown_id=membership.winddown_id, resolved_on__isnull=True
        ).count(),
    }


def holdings_matching(
    winddown: WindDown, *, system=None, category=None, jurisdiction: str = ""
) -> QuerySet[Holding]:
    """Return the holdings of a system, category and subject jurisdiction (blank: any)."""
    queryset = Holding.objects.filter(winddown=winddown)
    if system:
        queryset = queryset.filter(system=system)
    if category:
        queryset = queryset.filter(category=category)
    if jurisdiction:
        queryset = queryset.filter(jurisdiction=jurisdiction)
    return queryset


@dataclass(frozen=True)
class CategoryOutcome:
    """Legal's effective disposition of a category's holdings, with the latest dates."""

    category_key: str
    label_en: str
    label_zh: str
    disposition: str
    retain_until: date | None
    delete_by: date | None


def effective_outcomes(winddown_id: int, jurisdiction: str) -> list[CategoryOutcome]:
    """Return, per category and disposition, what is in force for one subject jurisdiction:
    legal's effective decisions, and anything a legal hold covers (shown as held); proposals
    are left out. One query."""
    rows = (
        Decision.objects.filter(winddown_id=winddown_id, holding__jurisdiction=jurisdiction)
        .with_effective()
        .filter(Q(status__in=Decision.EFFECTIVE) | Q(held=True))
        .order_by()
        .values(
            "holding__category__key",
            "holding__category__label_en",
            "holding__category__label_zh",
            "effective_disposition",
        )
        .annotate(
            latest_retain_until=Max("effective_retain_until"),
            latest_delete_by=Max("effective_delete_by"),
        )
        .order_by("holding__category__key", "effective_disposition")
    )
    return [
        CategoryOutcome(
            category_key=row["holding__category__key"],
            label_en=row["holding__category__label_en"],
            label_zh=row["holding__category__label_zh"],
            disposition=row["effective_disposition"],
            retain_until=row["latest_retain_until"],
            delete_by=row["latest_delete_by"],
        )
        for row in rows
    ]


def categories_under_review(winddown_id: int, jurisdiction: str) -> list[CategoryOutcome]:
    """Categories of one subject jurisdiction that legal has not decided yet (no effective or
    held decision among them), so a customer's page can say they are still being reviewed."""
    decided = (
        Decision.objects.filter(winddown_id=winddown_id, holding__jurisdiction=jurisdiction)
        .with_effective()
        .filter(Q(status__in=Decision.EFFECTIVE) | Q(held=True))
        .values("holding__category_id")
    )
    rows = (
        Decision.objects.filter(winddown_id=winddown_id, holding__jurisdiction=jurisdiction)
        .exclude(holding__category_id__in=decided)
        .order_by("holding__category__key")
        .values(
            "holding__category__key", "holding__category__label_en", "holding__category__label_zh"
        )
        .distinct()
    )
    return [
        CategoryOutcome(
            category_key=row["holding__category__key"],
            label_en=row["holding__category__label_en"],
            label_zh=row["holding__category__label_zh"],
            disposition="",
            retain_until=None,
            delete_by=None,
        )
        for row in rows
    ]
