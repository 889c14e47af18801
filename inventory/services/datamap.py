"""Import a data-map spreadsheet: validate every row, then upsert systems and holdings in bulk.

One service for the management command, the browser and the API. Any problem means nothing
is written. A dry run reports what would be created, updated and left unchanged. Holdings are
matched on (system, category, source, jurisdiction), so importing the same file twice changes
nothing the second time. One audit event summarises an import (counts and the file's SHA-256).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.datamap.reading import read_sheet
from inventory.datamap.report import Change, ImportReport, SystemChange, add_change
from inventory.datamap.validation import Lookups, Problem, Row, RowChecker, map_header
from inventory.models import DataSystem, Holding
from inventory.services.common import attestations_invalidate, holdings_changed_on_commit
from windown import roles, uploads
from windown.audit import audit_record
from windown.models import Membership

BATCH = 2000
SYSTEM_ATTRS = {  # DataSystem field -> row column
    "kind": "system_kind",
    "hosting_provider": "provider",
    "hosting_region": "region",
    "storage_country": "storage_country",
    "department": "department",
}
COLUMN_OF = {**SYSTEM_ATTRS, "custodian_id": "custodian_email"}
HOLDING_ATTRS = (
    "records_total",
    "records_active",
    "records_dormant",
    "oldest_record",
    "newest_record",
    "fields",
    "notes",
)


def size_problem(size: int) -> str:
    """Say why a file of `size` bytes is refused, or return "" if it is not too large."""
    limit = settings.WINDOWN_IMPORT_MAX_BYTES
    if size <= limit:
        return ""
    return _(
        "The file is %(size)s MiB; files over %(limit)s MiB are refused. Split the data map "
        "into several files (for example one per department)."
    ) % {"size": uploads.mib(size), "limit": uploads.mib(limit)}


def datamap_import(
    *, by: Membership, data: bytes, filename: str, dry_run: bool = False, encoding: str = ""
) -> ImportReport:
    """Import an XLSX or CSV data map (bytes) for the member's wind-down.

    A CSV file is read in `encoding` if given (the user's choice), else in the one recognised
    (windown.textencoding); the report names it and shows the first rows as decoded.
    """
    if not roles.holds(by, "inventory.import"):
        raise PermissionDenied(roles.refusal(by, "inventory.import"))
    problem = size_problem(len(data))
    if problem:
        raise ValidationError(problem, code="too_large")
    sheet = read_sheet(data, filename, encoding)
    report = ImportReport(
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        dry_run=dry_run,
        encoding=sheet.encoding,
        encoding_chosen=bool(encoding and sheet.encoding),
        preview=sheet.preview,
    )
    return _import_once(by=by, header=sheet.header, rows=sheet.rows, report=report)


def datamap_import_rows(
    *, by: Membership, rows: Iterable[dict], label: str, dry_run: bool = False
) -> ImportReport:
    """Import rows given as dicts of column -> value (the demo and scripts use this)."""
    rows = list(rows)
    header = list(rows[0]) if rows else []
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()
    report = ImportReport(filename=label, sha256=digest, dry_run=dry_run)
    numbered = ((n, tuple(r.get(c) for c in header)) for n, r in enumerate(rows, start=2))
    return _import_once(by=by, header=header, rows=numbered, report=report)


def _import_once(**kwargs) -> ImportReport:
    try:
        return _import(**kwargs)
    except IntegrityError as error:  # another import or edit wrote the same slice meanwhile
        raise ValidationError(
            _("The data map changed while this file was imported; nothing was imported. Try again.")
        ) from error


@transaction.atomic
def _import(
    *, by: Membership, header: list[str], rows: Iterator[tuple[int, tuple]], report: ImportReport
) -> ImportReport:
    winddown = by.winddown
    columns, header_problems = map_header(header)
    if header_problems:
        report.add_problems(header_problems)
        return report
    members = {
        m.user.email.lower(): m for m in winddown.memberships.select_related("user").order_by()
    }
    categories = dict(winddown.data_categories.values_list("key", "pk"))
    checker = RowChecker(
        Lookups(
            category_keys=frozenset(categories),
            member_emails=frozenset(members),
            may_import=lambda department: roles.can(by, "inventory.import", department=department),
        )
    )
    valid: list[Row] = []
    for number, cells in rows:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        report.rows += 1
        raw = {name: cell for name, cell in zip(columns, cells, strict=False) if name}
        row, problems = checker.check(number, raw)
        if row is not None:
            valid.append(row)
        report.add_problems(problems)
    systems = {s.name: s for s in DataSystem.objects.filter(winddown=winddown)}
    system_rows = _plan_systems(by, valid, systems, members, report)
    if not report.ok:
        return report
    existing = _existing_holdings(winddown)
    plan = _plan_holdings(valid, systems, categories, existing, report)
    if report.dry_run:
        return report
    _apply(by, report, systems, system_rows, plan)
    return report


def _plan_systems(by, valid, systems, members, report) -> dict[str, dict]:
    """Work out each system's attributes from its first row; check moves between departments."""
    wanted: dict[str, dict] = {}
    for row in valid:
        name = row.values["system"]
        if name in wanted:
            continue
        attrs = {attr: row.values[column] for attr, column in SYSTEM_ATTRS.items()}
        email = row.values["custodian_email"]
        attrs["custodian_id"] = members[email].pk if email else None
        wanted[name] = {"row": row.number, "attrs": attrs}
        current = systems.get(name)
        if current is None:
            report.systems.created += 1
            add_change(report.system_changes, SystemChange(row.number, "created", name))
        elif _system_state(current) != attrs:
            report.systems.updated += 1
            state = _system_state(current)
            changed = [COLUMN_OF[attr] for attr in attrs if state[attr] != attrs[attr]]
            add_change(report.system_changes, SystemChange(row.number, "updated", name, changed))
        else:
            report.systems.unchanged += 1
        moved = current is not None and current.department != attrs["department"]
        if moved and not roles.can(by, "inventory.import", department=current.department):
            message = _("System “%(s)s” belongs to department “%(d)s”.") % {
                "s": name,
                "d": current.department,
            }
            report.add_problems([Problem(row.number, "department", message)])
    return wanted


def _existing_holdings(winddown) -> dict[tuple, tuple]:
    fields = ("pk", "system_id", "category_id", "source", "jurisdiction", *HOLDING_ATTRS)
    return {
        (v[1], v[2], v[3], v[4]): v
        for v in Holding.objects.filter(winddown=winddown).order_by().values_list(*fields)
    }


@dataclass
class HoldingPlan:
    create: list[Row] = field(default_factory=list)
    update: list[tuple[Row, int]] = field(default_factory=list)  # row, holding pk


def _system_state(system: DataSystem) -> dict:
    state = {attr: getattr(system, attr) for attr in SYSTEM_ATTRS}
    state["storage_country"] = str(system.storage_country or "")
    state["custodian_id"] = system.custodian_id
    return state


def _plan_holdings(valid, systems, categories, existing, report) -> HoldingPlan:
    plan = HoldingPlan()
    for row in valid:
        v = row.values
        system = systems.get(v["system"])
        key = (system.pk if system else None, categories[v["category"]], v["source"])
        current = existing.get((*key, v["jurisdiction"])) if system else None
        slice_ = (v["system"], v["category"], v["source"], v["jurisdiction"])
        change = Change(row.number, "created", *slice_)
        if current is None:
            plan.create.append(row)
            report.holdings.created += 1
        else:
            old = dict(zip(HOLDING_ATTRS, current[5:], strict=True))
            change.changed = [a for a in HOLDING_ATTRS if old[a] != v[a]]
            if not change.changed:
                report.holdings.unchanged += 1
                continue
            change.action = "updated"
            plan.update.append((row, current[0]))
            report.holdings.updated += 1
        add_change(report.changes, change)
    return plan


def _apply(by, report, systems, system_rows, plan) -> None:
    winddown, now = by.winddown, timezone.now()
    departments: set[str] = set()
    new_systems, changed_systems = [], []
    for name, wanted in system_rows.items():
        attrs = wanted["attrs"]
        system = systems.get(name)
        if system is None:
            new_systems.append(DataSystem(winddown=winddown, name=name, **attrs))
            departments.add(attrs["department"])
        elif _system_state(system) != attrs:
            departments |= {system.department, attrs["department"]}
            for attr, value in attrs.items():
                setattr(system, attr, value)
            system.updated_at = now
            changed_systems.append(system)
    DataSystem.objects.bulk_create(new_systems, batch_size=BATCH)
    DataSystem.objects.bulk_update(
        changed_systems, [*SYSTEM_ATTRS, "custodian_id", "updated_at"], batch_size=BATCH
    )
    # PostgreSQL and SQLite >= 3.35 return the new ids from bulk_create.
    systems.update({s.name: s for s in new_systems})
    category_ids = dict(winddown.data_categories.values_list("key", "pk"))

    def holding(row: Row, **extra) -> Holding:
        v = row.values
        departments.add(v["department"])
        return Holding(
            winddown=winddown,
            system_id=systems[v["system"]].pk,
            category_id=category_ids[v["category"]],
            source=v["source"],
            jurisdiction=v["jurisdiction"],
            updated_at=now,
            **{attr: v[attr] for attr in HOLDING_ATTRS},
            **extra,
        )

    created = [holding(row, created_at=now) for row in plan.create]
    Holding.objects.bulk_create(created, batch_size=BATCH)
    updated = [holding(row, pk=pk) for row, pk in plan.update]
    Holding.objects.bulk_update(updated, [*HOLDING_ATTRS, "updated_at"], batch_size=500)
    ids = [h.pk for h in updated] + [h.pk for h in created]
    report.applied = True
    audit_record(
        winddown=winddown,
        actor=by.user,
        action="inventory.datamap_imported",
        payload={
            "filename": report.filename,
            "sha256": report.sha256,
            "rows": report.rows,
            "systems": asdict(report.systems),
            "holdings": asdict(report.holdings),
        },
    )
    if departments and (created or updated or new_systems or changed_systems):
        attestations_invalidate(
            winddown=winddown,
            departments=departments,
            reason=f"data map imported from {report.filename}",
            actor=by.user,
        )
    holdings_changed_on_commit(winddown=winddown, holding_ids=ids)
