"""The role matrix: the one place that knows who may do what in a wind-down.

Views, API endpoints, management commands and services all ask `can()` or `require()`; nothing
else compares roles. A permission is a dotted string `<area>.<action>`. A role holds a permission
either everywhere in the wind-down (`ALL`) or only for its own department (`OWN_DEPARTMENT`,
the custodian's scope). Auditors only ever hold view permissions.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from windown.models import Membership


class Role(models.TextChoices):
    DIRECTOR = "director", _("Finance director")
    LEGAL = "legal", _("Legal")
    IT = "it", _("IT / destruction vendor")
    SUPPORT = "support", _("Customer-service lead")
    CUSTODIAN = "custodian", _("Department custodian")
    AUDITOR = "auditor", _("Auditor")


class Scope(Enum):
    ALL = "all"
    OWN_DEPARTMENT = "own_department"


ALL, OWN = Scope.ALL, Scope.OWN_DEPARTMENT
D, L, I, S, C, A = (  # noqa: E741
    Role.DIRECTOR,
    Role.LEGAL,
    Role.IT,
    Role.SUPPORT,
    Role.CUSTODIAN,
    Role.AUDITOR,
)
EVERYONE = {D: ALL, L: ALL, I: ALL, S: ALL, C: ALL, A: ALL}

MATRIX: dict[str, dict[Role, Scope]] = {
    # core
    "winddown.view": EVERYONE,
    "winddown.change": {D: ALL},
    "team.view": EVERYONE,
    "team.manage": {D: ALL},
    "audit.view": {D: ALL, L: ALL, A: ALL},
    # outbound webhooks: the director registers partners' endpoints and sees their deliveries
    "webhooks.view": {D: ALL},
    "webhooks.manage": {D: ALL},
    # inventory: custodians declare their own department's data
    "inventory.view": EVERYONE,
    "inventory.change": {D: ALL, L: ALL, I: ALL, C: OWN},
    "inventory.attest": {C: OWN},
    "inventory.import": {D: ALL, L: ALL, I: ALL, C: OWN},
    "inventory.taxonomy.change": {L: ALL},
    # compliance: legal decides; custodians see their department's decisions
    "compliance.view": {D: ALL, L: ALL, I: ALL, S: ALL, C: OWN, A: ALL},
    "compliance.decide": {L: ALL},
    "compliance.ruleset.change": {L: ALL},
    "compliance.hold.manage": {L: ALL},
    "compliance.matter.manage": {L: ALL, S: ALL},
    # notices: the customer-service lead runs campaigns and answers requests
    "notices.view": {D: ALL, L: ALL, S: ALL, A: ALL},
    "notices.manage": {D: ALL, S: ALL},
    "notices.confirm_short_lead": {D: ALL},
    "notices.requests.handle": {S: ALL},
    # destruction: IT or the vendor performs; everyone with a stake may read certificates
    "destruction.view": {D: ALL, L: ALL, I: ALL, A: ALL},
    "destruction.perform": {I: ALL},
    "destruction.vendor.manage": {I: ALL},
    # the director may let a vendor whose certification expired take a job (written reason)
    "destruction.vendor.override": {D: ALL},
    # processor deletion requests: IT or the director instruct processors and revoke access
    "destruction.processor.manage": {D: ALL, I: ALL},
    "destruction.certificate.issue": {D: ALL, I: ALL},
    "destruction.certificate.download": {D: ALL, L: ALL, I: ALL, A: ALL},
    "destruction.certificate.revoke": {D: ALL},
    # archives: IT uploads, exports and records the custodian's read-back (custodians of
    # archive keys are people outside windown's roles, so IT records their confirmation);
    # the director or IT registers the custodians' public keys
    "destruction.archive.manage": {I: ALL},
    "destruction.archive.verify": {I: ALL},
    "destruction.custodian_key.manage": {D: ALL, I: ALL},
}


# What each permission lets a member do, in words ("Your role may not …"): what a refusal says
# instead of the permission's key (a test checks every key of MATRIX has one).
ACTIONS: dict[str, str] = {
    "winddown.view": _("see this wind-down"),
    "winddown.change": _("change the wind-down's settings and status"),
    "team.view": _("see the team"),
    "team.manage": _("invite members or change their roles"),
    "audit.view": _("read the audit trail"),
    "webhooks.view": _("see the webhook endpoints and their deliveries"),
    "webhooks.manage": _("register, change or resend webhooks"),
    "inventory.view": _("see the data map"),
    "inventory.change": _("change the data map"),
    "inventory.attest": _("attest a department's declaration"),
    "inventory.import": _("import the data map"),
    "inventory.taxonomy.change": _("change the data categories"),
    "compliance.view": _("see the retention decisions"),
    "compliance.decide": _("approve, override or reject retention decisions"),
    "compliance.ruleset.change": _("edit or publish the retention rules"),
    "compliance.hold.manage": _("place or release legal holds"),
    "compliance.matter.manage": _("record or resolve open matters"),
    "notices.view": _("see the notice campaigns"),
    "notices.manage": _("create, send or change notice campaigns"),
    "notices.confirm_short_lead": _("confirm a notice sent later than the lead time"),
    "notices.requests.handle": _("answer customers' requests"),
    "destruction.view": _("see the destruction jobs"),
    "destruction.perform": _("plan, perform or verify destruction jobs"),
    "destruction.vendor.manage": _("manage destruction vendors"),
    "destruction.vendor.override": _("let a vendor without a valid certification take a job"),
    "destruction.processor.manage": _("instruct processors or record their revocations"),
    "destruction.certificate.issue": _("issue destruction certificates"),
    "destruction.certificate.download": _("download destruction certificates"),
    "destruction.certificate.revoke": _("revoke destruction certificates"),
    "destruction.archive.manage": _("create or export archives"),
    "destruction.archive.verify": _("record an archive's verification or shred it"),
    "destruction.custodian_key.manage": _("register or retire archive custodians' keys"),
}


def refusal(membership: Membership | None, perm: str, *, department: str | None = None) -> str:
    """Say in words why the member may not do `perm`, and who may."""
    action = ACTIONS[perm]
    if membership is not None and scope_of(membership.role, perm) is Scope.OWN_DEPARTMENT:
        return _("You may %(action)s only for your own department (%(department)s).") % {
            "action": action,
            "department": membership.department,
        }
    allowed = ", ".join(str(role.label) for role in MATRIX[perm])
    role = Role(membership.role).label if membership is not None else _("none")
    return _("Your role (%(role)s) may not %(action)s; this needs: %(allowed)s.") % {
        "role": role,
        "action": action,
        "allowed": allowed,
    }


def scope_of(role: str, perm: str) -> Scope | None:
    """Return the scope in which `role` holds `perm`, or None."""
    if perm not in MATRIX:
        raise KeyError(f"Unknown permission {perm!r}: add it to windown.roles.MATRIX")
    return MATRIX[perm].get(Role(role))


def holds(membership: Membership | None, perm: str) -> bool:
    """Say whether the member holds `perm` at all (in every department or only their own)."""
    return membership is not None and scope_of(membership.role, perm) is not None


def can(membership: Membership | None, perm: str, *, department: str | None = None) -> bool:
    """Say whether the member may do `perm` on an object of `department`.

    A department-scoped holder passes only for their own department; an object with no
    department (None) is outside every custodian's scope.
    """
    if membership is None:
        return False
    scope = scope_of(membership.role, perm)
    if scope is Scope.ALL:
        return True
    if scope is Scope.OWN_DEPARTMENT:
        return department is not None and department == membership.department
    return False


def require(membership: Membership | None, perm: str, *, department: str | None = None) -> None:
    """Raise PermissionDenied unless the member may do `perm`."""
    if not can(membership, perm, department=department):
        raise PermissionDenied(refusal(membership, perm, department=department))


def roles_with(perm: str) -> list[Role]:
    """List the roles that hold `perm` (for the team page's legend and the tests)."""
    return list(MATRIX[perm])
