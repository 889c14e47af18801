"""Open matters: orders, returns, complaints, disputes, chargebacks that need a customer's data."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import OpenMatter
from compliance.reasons import note
from compliance.services.evaluation import decisions_evaluate
from inventory.models import Holding
from windown import roles, textencoding, uploads
from windown.audit import audit_record
from windown.models import Membership, User, WindDown

CSV_COLUMNS = [
    "reference",
    "type",
    "customer_reference",
    "opened_on",
    "resolved_on",
    "system",
    "category",
    "jurisdiction",
    "description",
]
REQUIRED_COLUMNS = {"reference", "type", "customer_reference", "opened_on"}


# The shipped taxonomy's categories (inventory/data/taxonomy.yaml) in which an open order or
# return leaves a customer's data: the order and what was bought, how it was paid (the last
# card digits identify a refund), the invoice, and the support conversation about it. A customer
# reporting one on the personal page cannot say which system holds it, so their matter covers
# every holding of these categories for their jurisdiction.
CUSTOMER_ORDER_CATEGORIES = frozenset(
    {
        "commerce.order",
        "user.behavior.purchase_history",
        "commerce.payment",
        "user.financial.card_last4",
        "commerce.invoice",
        "commerce.support_chat",
    }
)


@transaction.atomic
def matter_create(
    *,
    by: Membership,
    reference: str,
    matter_type: str,
    customer_reference: str,
    opened_on: date,
    holdings: list[Holding],
    description: str = "",
) -> OpenMatter:
    """Record an open matter; the holdings it covers are kept until it is resolved."""
    roles.require(by, "compliance.matter.manage")
    if any(h.winddown_id != by.winddown_id for h in holdings):
        raise ValidationError(_("Holdings must belong to this wind-down."))
    return _open(
        winddown=by.winddown,
        actor=by.user,
        actor_label=None,
        reference=reference,
        matter_type=matter_type,
        customer_reference=customer_reference,
        opened_on=opened_on,
        holding_ids=[h.pk for h in holdings],
        description=description,
    )


@transaction.atomic
def matter_report_by_customer(
    *,
    winddown: WindDown,
    actor_label: str,
    reference: str,
    customer_reference: str,
    jurisdiction: str,
    description: str = "",
) -> OpenMatter:
    """Record an open order or return a customer reported themselves (no member acts).

    It covers the wind-down's holdings of CUSTOMER_ORDER_CATEGORIES for the customer's
    jurisdiction. With no jurisdiction known it covers none: legal attaches holdings by
    importing lines with its reference.
    """
    holding_ids = []
    if jurisdiction:
        holding_ids = list(
            Holding.objects.filter(
                winddown=winddown,
                jurisdiction=jurisdiction,
                category__key__in=CUSTOMER_ORDER_CATEGORIES,
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return _open(
        winddown=winddown,
        actor=None,
        actor_label=actor_label,
        reference=reference,
        matter_type=OpenMatter.Type.ORDER,
        customer_reference=customer_reference,
        opened_on=timezone.localdate(),
        holding_ids=holding_ids,
        description=description,
    )


def _open(
    *,
    winddown: WindDown,
    actor: User | None,
    actor_label: str | None,
    reference: str,
    matter_type: str,
    customer_reference: str,
    opened_on: date,
    holding_ids: list[int],
    description: str,
) -> OpenMatter:
    """Save, audit and apply a matter: its holdings' decisions are proposed again."""
    matter = OpenMatter(
        winddown=winddown,
        reference=reference.strip(),
        matter_type=matter_type,
        customer_reference=customer_reference.strip(),
        opened_on=opened_on,
        description=description,
    )
    matter.full_clean()
    matter.save()
    matter.holdings.set(holding_ids)
    audit_record(
        winddown=winddown,
        actor=actor,
        actor_label=actor_label,
        action="compliance.matter_opened",
        obj=matter,
        payload={
            "reference": matter.reference,
            "type": matter_type,
            "customer_reference": matter.customer_reference,
            "holdings": sorted(holding_ids),
        },
    )
    _reevaluate(winddown, holding_ids, note("matter_opened", reference=matter.reference))
    return matter


def _reevaluate(winddown: WindDown, holding_ids: list[int], reason: list) -> None:
    if holding_ids and winddown.decisions.exists():
        decisions_evaluate(winddown=winddown, holding_ids=holding_ids, reason=reason)


@transaction.atomic
def matter_resolve(
    *, by: Membership, matter: OpenMatter, resolved_on: date, resolution: str = ""
) -> OpenMatter:
    """Close a matter; the decisions of the holdings it covered are proposed again."""
    roles.require(by, "compliance.matter.manage")
    matter = OpenMatter.objects.select_for_update().get(pk=matter.pk, winddown_id=by.winddown_id)
    if not matter.is_open:
        raise ValidationError(_("This matter is already resolved."))
    matter.resolved_on, matter.resolution = resolved_on, resolution.strip()
    matter.full_clean()
    matter.save()
    holding_ids = list(matter.holdings.values_list("pk", flat=True))
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="compliance.matter_resolved",
        obj=matter,
        payload={
            "reference": matter.reference,
            "resolved_on": resolved_on,
            "resolution": resolution,
        },
    )
    _reevaluate(by.winddown, holding_ids, note("matter_resolved", reference=matter.reference))
    return matter


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    rows: int = 0
    errors: list[str] = field(default_factory=list)


def _decode(content: bytes) -> str:
    uploads.check_size(len(content), settings.COMPLIANCE_MATTERS_IMPORT_MAX_BYTES)
    encoding = textencoding.resolve(content).encoding
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise textencoding.undecodable(encoding, error, _("in line %d") % line) from None


def _parse_date(value: str, line: int, column: str, errors: list[str]) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(
            _("line %(line)s: %(column)s %(value)r is not a date (YYYY-MM-DD)")
            % {"line": line, "column": column, "value": value}
        )
        return None


def _read_rows(by: Membership, text: str, result: ImportResult) -> dict[str, dict]:
    """Validate every row and group them by matter reference; collect errors by line."""
    reader = csv.DictReader(io.StringIO(text))
    columns = {c.strip() for c in reader.fieldnames or []}
    missing = REQUIRED_COLUMNS - columns
    if missing:
        raise ValidationError(_("Missing columns: %s") % ", ".join(sorted(missing)))
    holdings = list(
        Holding.objects.filter(winddown_id=by.winddown_id).values_list(
            "pk", "system__name", "category__key", "jurisdiction"
        )
    )
    systems = {holding[1] for holding in holdings}
    categories = set(by.winddown.data_categories.values_list("key", flat=True))
    types = set(OpenMatter.Type.values)
    matters: dict[str, dict] = {}
    errors = result.errors
    for line, row in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        result.rows += 1
        reference, matter_type = row.get("reference", ""), row.get("type", "")
        system, category = row.get("system", ""), row.get("category", "")
        jurisdiction = row.get("jurisdiction", "").upper()
        problems = len(errors)
        if not reference:
            errors.append(_("line %s: reference is empty") % line)
        if matter_type not in types:
            errors.append(
                _("line %(line)s: type %(value)r is not one of %(allowed)s")
                % {"line": line, "value": matter_type, "allowed": ", ".join(sorted(types))}
            )
        if not row.get("customer_reference"):
            errors.append(_("line %s: customer_reference is empty") % line)
        opened = _parse_date(row.get("opened_on", ""), line, "opened_on", errors)
        if not row.get("opened_on"):
            errors.append(_("line %s: opened_on is empty") % line)
        resolved = _parse_date(row.get("resolved_on", ""), line, "resolved_on", errors)
        if opened and resolved and resolved < opened:
            errors.append(_("line %s: resolved_on is before opened_on") % line)
        if system and system not in systems:
            errors.append(
                _("line %(line)s: no holding in system %(value)r") % {"line": line, "value": system}
            )
        if category and category not in categories:
            errors.append(
                _("line %(line)s: unknown category %(value)r") % {"line": line, "value": category}
            )
        if not (system or category or jurisdiction):
            errors.append(
                _("line %s: name a system, a category or a jurisdiction it covers") % line
            )
        if len(errors) > problems:
            continue
        covered = {
            pk
            for pk, s, c, j in holdings
            if (not system or s == system)
            and (not category or c == category)
            and (not jurisdiction or j == jurisdiction)
        }
        if not covered:
            errors.append(
                _("line %s: no holding matches its system, category and jurisdiction") % line
            )
            continue
        facts = {
            "matter_type": matter_type,
            "customer_reference": row["customer_reference"],
            "opened_on": opened,
            "resolved_on": resolved,
            "description": row.get("description", ""),
        }
        entry = matters.setdefault(reference, {"facts": facts, "holdings": set()})
        if entry["facts"] != facts:
            errors.append(
                _("line %(line)s: matter %(ref)s differs from its earlier line")
                % {"line": line, "ref": reference}
            )
        entry["holdings"] |= covered
    return matters


@transaction.atomic
def matters_import_csv(*, by: Membership, content: bytes, filename: str = "") -> ImportResult:
    """Import matters from CSV (one line per matter x covered system/category/jurisdiction).

    All or nothing: any invalid line rejects the whole file, with every error by line number.
    Importing the same file again changes nothing (matters are keyed by reference).
    """
    roles.require(by, "compliance.matter.manage")
    result = ImportResult()
    matters = _read_rows(by, _decode(content), result)
    if result.errors:
        raise ValidationError(result.errors)
    existing = {m.reference: m for m in by.winddown.open_matters.all()}
    touched: set[int] = set()
    for reference, entry in matters.items():
        matter = existing.get(reference) or OpenMatter(winddown=by.winddown, reference=reference)
        before = (
            None
            if matter.pk is None
            else (
                {n: getattr(matter, n) for n in entry["facts"]},
                set(matter.holdings.values_list("pk", flat=True)),
            )
        )
        if before == (entry["facts"], entry["holdings"]):
            continue
        for name, value in entry["facts"].items():
            setattr(matter, name, value)
        matter.full_clean()
        matter.save()
        matter.holdings.set(entry["holdings"])
        touched |= entry["holdings"] | (before[1] if before else set())
        if before is None:
            result.created += 1
        else:
            result.updated += 1
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="compliance.matters_imported",
        payload={
            "filename": filename,
            "sha256": hashlib.sha256(content).hexdigest(),
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
        },
    )
    _reevaluate(by.winddown, sorted(touched), note("matters_imported", filename=filename or "CSV"))
    return result
