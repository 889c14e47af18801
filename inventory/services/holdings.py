"""Holdings: declare, change and remove one slice of a system's data."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inventory.models import DataCategory, DataSystem, Holding
from inventory.services.common import attestations_invalidate, holdings_changed_on_commit
from windown import roles
from windown.audit import audit_record
from windown.models import Membership
from windown.updates import refuse_unknown_fields, update_audited

HOLDING_FIELDS = (
    "category",
    "source",
    "jurisdiction",
    "records_total",
    "records_active",
    "records_dormant",
    "oldest_record",
    "newest_record",
    "fields",
    "notes",
)


def _snapshot(holding: Holding) -> dict[str, Any]:
    values = {name: getattr(holding, name) for name in HOLDING_FIELDS}
    values["category"] = holding.category.key
    return {"system": holding.system.name, **values}


def _validate(holding: Holding) -> None:
    holding.full_clean(validate_constraints=False)
    try:  # clean() has checked the counts and dates: only the slice can still clash
        holding.validate_constraints()
    except ValidationError as error:
        raise ValidationError(
            _("This system already holds this category from this source for %(j)s.")
            % {"j": holding.jurisdiction}
        ) from error


def _after_change(by: Membership, holding: Holding, verb: str, *, deleted: bool = False) -> None:
    attestations_invalidate(
        winddown=by.winddown,
        departments=[holding.system.department],
        reason=f"{holding.system.name}: {holding.category.key} {verb}",
        actor=by.user,
    )
    holdings_changed_on_commit(winddown=by.winddown, holding_ids=[holding.pk], deleted=deleted)


@transaction.atomic
def holding_create(
    *, by: Membership, system: DataSystem, category: DataCategory, **fields: Any
) -> Holding:
    """Declare a slice of data held by `system`."""
    roles.require(by, "inventory.change", department=system.department)
    fields["jurisdiction"] = (fields.get("jurisdiction") or "").strip().upper()
    holding = Holding(winddown=by.winddown, system=system, category=category, **fields)
    _validate(holding)
    holding.save()
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="inventory.holding_created",
        obj=holding,
        payload=_snapshot(holding),
    )
    _after_change(by, holding, "declared")
    return holding


@transaction.atomic
def holding_update(*, by: Membership, holding: Holding, **changes: Any) -> Holding:
    """Change a holding's slice, counts, dates, fields or notes."""
    roles.require(by, "inventory.change", department=holding.system.department)
    refuse_unknown_fields(changes, HOLDING_FIELDS)
    if "jurisdiction" in changes:
        changes["jurisdiction"] = (changes["jurisdiction"] or "").strip().upper()
    diff = update_audited(
        instance=holding,
        changes=changes,
        editable=HOLDING_FIELDS,
        winddown=by.winddown,
        actor=by.user,
        action="inventory.holding_updated",
        payload={"system": holding.system.name},
        validate=_validate,
    )
    if diff:
        _after_change(by, holding, "changed")
    return holding


@transaction.atomic
def holding_delete(*, by: Membership, holding: Holding) -> None:
    """Remove a holding declared by mistake."""
    roles.require(by, "inventory.change", department=holding.system.department)
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="inventory.holding_deleted",
        obj=holding,
        payload=_snapshot(holding),
    )
    pk = holding.pk
    holding.delete()
    holding.pk = pk
    _after_change(by, holding, "removed", deleted=True)
