"""Read queries of the inventory: filtered lists and the data map's roll-ups.

Every roll-up is one grouped query whose size depends on the number of categories,
jurisdictions or departments, never on the number of holdings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from inventory.models import Attestation, DataCategory, DataSystem, Holding, HoldingTally
from windown.models import WindDown
from windown.roles import Role

HIGH_RISK = Q(kind__in=DataSystem.HIGH_RISK_KINDS)


def systems_of(
    winddown: WindDown,
    *,
    kind: str = "",
    department: str = "",
    status: str = "",
    risk: str = "",
    q: str = "",
) -> QuerySet[DataSystem]:
    """Return the wind-down's systems, filtered (see `with_totals` for their counts)."""
    systems = DataSystem.objects.filter(winddown=winddown).select_related(
        "custodian__user", "winddown"
    )
    if kind:
        systems = systems.filter(kind=kind)
    if department:
        systems = systems.filter(department=department)
    if status:
        systems = systems.filter(status=status)
    if risk == "high":
        systems = systems.filter(HIGH_RISK)
    elif risk == "normal":
        systems = systems.exclude(HIGH_RISK)
    if q:
        systems = systems.filter(Q(name__icontains=q) | Q(hosting_provider__icontains=q))
    return systems.order_by("name")


def with_totals(systems: Iterable[DataSystem]) -> list[DataSystem]:
    """Set `holding_count` and `record_total` on a page of systems, in one query.

    Summing per page rather than annotating the whole filtered list keeps a page's cost
    independent of how many holdings the other systems have.
    """
    systems = list(systems)
    totals = {
        entry["system_id"]: entry
        for entry in Holding.objects.filter(system__in=[s.pk for s in systems])
        .values("system_id")
        .annotate(holdings=Count("pk"), records=Sum("records_total"))
        .order_by()
    }
    for system in systems:
        entry = totals.get(system.pk, {})
        system.holding_count = entry.get("holdings", 0)
        system.record_total = entry.get("records", 0)
    return systems


def holdings_of(system: DataSystem) -> QuerySet[Holding]:
    return system.holdings.select_related("category").order_by(
        "category__key", "source", "jurisdiction"
    )


def categories_of(winddown: WindDown) -> QuerySet[DataCategory]:
    return (
        DataCategory.objects.filter(winddown=winddown)
        .annotate(
            holding_count=Count("holdings"),
            record_total=Coalesce(Sum("holdings__records_total"), 0),
        )
        .order_by("key")
    )


def departments_of(winddown: WindDown) -> list[str]:
    """List every department: those with a custodian and those owning a system."""
    custodians = winddown.memberships.filter(role=Role.CUSTODIAN).values_list(
        "department", flat=True
    )
    owners = DataSystem.objects.filter(winddown=winddown).values_list("department", flat=True)
    return sorted(set(custodians) | set(owners))


@dataclass
class Matrix:
    """Record totals of categories (rows) by subject jurisdictions (columns)."""

    categories: list[DataCategory]
    jurisdictions: list[str]
    cells: dict[int, dict[str, int]]
    row_totals: dict[int, int]
    column_totals: dict[str, int]
    total: int

    def rows(self) -> Iterator[tuple[DataCategory, list[int | None], int]]:
        for category in self.categories:
            cells = self.cells.get(category.pk, {})
            values = [cells.get(j) for j in self.jurisdictions]
            yield category, values, self.row_totals.get(category.pk, 0)

    def column_values(self) -> list[int]:
        return [self.column_totals[j] for j in self.jurisdictions]


@dataclass(frozen=True)
class HoldingTotal:
    """Holdings and their records of one department, category and subject jurisdiction."""

    department: str
    category_id: int
    jurisdiction: str
    holdings: int
    records: int


def holding_totals(winddown: WindDown) -> list[HoldingTotal]:
    """One read for both roll-ups below (pass it to each when showing both): on PostgreSQL the
    tally its triggers keep (a few hundred rows at any size), elsewhere a pass over the holdings."""
    if connection.vendor == "postgresql":
        return [
            HoldingTotal(*row)
            for row in HoldingTally.objects.filter(winddown=winddown, holdings__gt=0).values_list(
                "department", "category_id", "jurisdiction", "holdings", "records"
            )
        ]
    return [
        HoldingTotal(*row)
        for row in Holding.objects.filter(winddown=winddown)
        .values_list("system__department", "category_id", "jurisdiction")
        .annotate(holdings=Count("pk"), records=Sum("records_total"))
        .order_by()
    ]


def category_jurisdiction_matrix(
    winddown: WindDown, totals: list[HoldingTotal] | None = None
) -> Matrix:
    """Sum record counts per category and jurisdiction (only categories that are held)."""
    cells: dict[int, dict[str, int]] = defaultdict(dict)
    row_totals: dict[int, int] = defaultdict(int)
    column_totals: dict[str, int] = defaultdict(int)
    for entry in holding_totals(winddown) if totals is None else totals:
        cell = cells[entry.category_id]
        cell[entry.jurisdiction] = cell.get(entry.jurisdiction, 0) + entry.records
        row_totals[entry.category_id] += entry.records
        column_totals[entry.jurisdiction] += entry.records
    categories = list(DataCategory.objects.filter(winddown=winddown, pk__in=list(cells)))
    return Matrix(
        categories=categories,
        jurisdictions=sorted(column_totals, key=lambda j: (-column_totals[j], j)),
        cells=dict(cells),
        row_totals=dict(row_totals),
        column_totals=dict(column_totals),
        total=sum(column_totals.values()),
    )


@dataclass
class DepartmentStatus:
    department: str
    systems: int = 0
    high_risk_systems: int = 0
    holdings: int = 0
    records: int = 0
    custodians: list[str] = field(default_factory=list)
    attestation: Attestation | None = None

    @property
    def state(self) -> str:
        """`attested`, `changed` (since attested) or `missing`."""
        if self.attestation is None:
            return "missing"
        return "attested" if self.attestation.is_current else "changed"


def department_overview(
    winddown: WindDown, totals: list[HoldingTotal] | None = None
) -> list[DepartmentStatus]:
    """Totals and attestation state per department (four queries whatever the data size).

    The departments are departments_of()'s, read from the systems' and custodians' rows this
    needs anyway (not by reading every system's department once more)."""
    systems = list(
        DataSystem.objects.filter(winddown=winddown)
        .values("department")
        .annotate(systems=Count("pk"), high_risk=Count("pk", filter=HIGH_RISK))
        .order_by()
    )
    custodians = list(winddown.memberships.filter(role=Role.CUSTODIAN).select_related("user"))
    departments = {entry["department"] for entry in systems} | {m.department for m in custodians}
    rows = {d: DepartmentStatus(d) for d in sorted(departments)}
    for entry in systems:
        rows[entry["department"]].systems = entry["systems"]
        rows[entry["department"]].high_risk_systems = entry["high_risk"]
    for entry in holding_totals(winddown) if totals is None else totals:
        rows[entry.department].holdings += entry.holdings
        rows[entry.department].records += entry.records
    for membership in custodians:
        rows[membership.department].custodians.append(str(membership.user))
    for attestation in Attestation.objects.filter(winddown=winddown):
        if attestation.department in rows:
            rows[attestation.department].attestation = attestation
    return list(rows.values())


def inventory_summary(winddown: WindDown) -> dict[str, int]:
    """The dashboard's figures: systems, high-risk systems, holdings, records, attestations."""
    systems = DataSystem.objects.filter(winddown=winddown).aggregate(
        systems=Count("pk"), high_risk=Count("pk", filter=HIGH_RISK)
    )
    holdings = Holding.objects.filter(winddown=winddown).aggregate(
        holdings=Count("pk"), records=Coalesce(Sum("records_total"), 0)
    )
    departments = departments_of(winddown)
    attested = Attestation.objects.filter(
        winddown=winddown, department__in=departments, invalidated_at=None
    ).count()
    return {
        **systems,
        **holdings,
        "departments": len(departments),
        "attested": attested,
    }


EXPORT_LOOKUPS = {  # spreadsheet column -> lookup from Holding
    "system": "system__name",
    "system_kind": "system__kind",
    "provider": "system__hosting_provider",
    "region": "system__hosting_region",
    "storage_country": "system__storage_country",
    "department": "system__department",
    "custodian_email": "system__custodian__user__email",
    "category": "category__key",
    "source": "source",
    "jurisdiction": "jurisdiction",
    "records_total": "records_total",
    "records_active": "records_active",
    "records_dormant": "records_dormant",
    "oldest_record": "oldest_record",
    "newest_record": "newest_record",
    "fields": "fields",
    "notes": "notes",
}


def datamap_export_values(winddown: WindDown) -> Iterator[dict]:
    """Yield every holding as a dict of the spreadsheet's columns, streaming in chunks."""
    names = list(EXPORT_LOOKUPS)
    rows = (
        Holding.objects.filter(winddown=winddown)
        .order_by("system__name", "category__key", "source", "jurisdiction")
        .values_list(*EXPORT_LOOKUPS.values())
        .iterator(chunk_size=2000)
    )
    return (dict(zip(names, row, strict=True)) for row in rows)
