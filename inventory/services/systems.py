"""Data systems: declare, change and remove the places customer data lives."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inventory.models import DataSystem
from inventory.services.common import attestations_invalidate, holdings_changed_on_commit
from windown import roles
from windown.audit import audit_record
from windown.models import Membership
from windown.updates import refuse_unknown_fields, update_audited

SYSTEM_FIELDS = (
    "name",
    "kind",
    "hosting_provider",
    "hosting_region",
    "storage_country",
    "processor_name",
    "processor_email",
    "department",
    "custodian",
    "description",
    "make",
    "model",
    "serial_number",
    "asset_number",
)


def _snapshot(system: DataSystem) -> dict[str, Any]:
    values = {name: getattr(system, name) for name in (*SYSTEM_FIELDS, "status")}
    values["storage_country"] = str(system.storage_country or "")
    values["custodian"] = system.custodian.user.email if system.custodian else ""
    return values


def _check_custodian(system: DataSystem) -> None:
    if system.custodian is not None and system.custodian.winddown_id != system.winddown_id:
        raise ValidationError({"custodian": _("The custodian must be a member of this wind-down.")})


@transaction.atomic
def system_create(*, by: Membership, **fields: Any) -> DataSystem:
    """Declare a system in a department the member may change."""
    roles.require(by, "inventory.change", department=fields.get("department") or None)
    system = DataSystem(winddown=by.winddown, **fields)
    _check_custodian(system)
    system.full_clean()
    system.save()
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="inventory.system_created",
        obj=system,
        payload=_snapshot(system),
    )
    attestations_invalidate(
        winddown=by.winddown,
        departments=[system.department],
        reason=f"system {system.name} declared",
        actor=by.user,
    )
    return system


@transaction.atomic
def system_update(*, by: Membership, system: DataSystem, **changes: Any) -> DataSystem:
    """Change a system; moving it to another department needs the right in both."""
    roles.require(by, "inventory.change", department=system.department)
    refuse_unknown_fields(changes, SYSTEM_FIELDS)
    department_before = system.department
    roles.require(by, "inventory.change", department=changes.get("department", department_before))

    def validate(changed: DataSystem) -> None:
        _check_custodian(changed)
        changed.full_clean()

    diff = update_audited(
        instance=system,
        changes=changes,
        editable=SYSTEM_FIELDS,
        winddown=system.winddown,
        actor=by.user,
        action="inventory.system_updated",
        payload={"name": system.name},
        validate=validate,
    )
    if diff:
        _after_change(by, system, departments={department_before, system.department})
    return system


@transaction.atomic
def system_status_change(*, by: Membership, system: DataSystem, status: str) -> DataSystem:
    """Mark a system declared, verified, cleaned or destroyed."""
    roles.require(by, "inventory.change", department=system.department)
    if status not in DataSystem.Status.values:
        raise ValidationError({"status": _("Unknown value: %s") % status})
    if system.status == status:
        return system
    before, system.status = system.status, status
    system.save(update_fields=["status", "updated_at"])
    audit_record(
        winddown=system.winddown,
        actor=by.user,
        action="inventory.system_status_changed",
        obj=system,
        payload={"name": system.name, "from": before, "to": status},
    )
    _after_change(by, system, departments={system.department})
    return system


def _after_change(by: Membership, system: DataSystem, *, departments: set[str]) -> None:
    attestations_invalidate(
        winddown=system.winddown,
        departments=departments,
        reason=f"system {system.name} changed",
        actor=by.user,
    )
    holdings_changed_on_commit(
        winddown=system.winddown, holding_ids=system.holdings.values_list("pk", flat=True)
    )


@transaction.atomic
def system_delete(*, by: Membership, system: DataSystem) -> None:
    """Remove a system declared by mistake, with its holdings."""
    roles.require(by, "inventory.change", department=system.department)
    holding_ids = list(system.holdings.values_list("pk", flat=True))
    payload = {**_snapshot(system), "holdings_deleted": len(holding_ids)}
    audit_record(
        winddown=system.winddown,
        actor=by.user,
        action="inventory.system_deleted",
        obj=system,
        payload=payload,
    )
    system.delete()
    attestations_invalidate(
        winddown=by.winddown,
        departments=[payload["department"]],
        reason=f"system {payload['name']} removed",
        actor=by.user,
    )
    holdings_changed_on_commit(winddown=by.winddown, holding_ids=holding_ids, deleted=True)
