"""Department attestations: a custodian signs that their department's declaration is complete."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.models import Attestation
from windown import roles
from windown.audit import audit_record
from windown.models import Membership


def attestation_statement(department: str) -> str:
    """Return the statement a custodian signs for `department`, in the active language."""
    return _(
        "I confirm that this declaration of the customer data held by the %(department)s "
        "department is complete, including staff laptops, removable media, personal "
        "mailboxes and chat exports."
    ) % {"department": department}


@transaction.atomic
def attestation_sign(*, by: Membership, department: str) -> Attestation:
    """Sign (or sign again) the department's attestation as its custodian."""
    roles.require(by, "inventory.attest", department=department)
    statement = attestation_statement(department)
    attestation, _created = Attestation.objects.update_or_create(
        winddown=by.winddown,
        department=department,
        defaults={
            "attested_by": by,
            "attested_by_label": by.user.email,
            "statement": statement,
            "attested_at": timezone.now(),
            "invalidated_at": None,
            "invalidated_reason": "",
        },
    )
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="inventory.attested",
        obj=attestation,
        payload={"department": department, "statement": statement},
    )
    return attestation
