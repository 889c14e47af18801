"""Custodian keys: register a custodian's age public key, retire it.

Every new archive is encrypted to the active keys; a retired key stops receiving new archives
while existing envelopes keep naming it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from destruction.models import CustodianKey
from destruction.services.archive_crypto.keys import parse_recipient
from windown import roles
from windown.audit import audit_record
from windown.models import Membership


@transaction.atomic
def custodian_key_register(
    *, by: Membership, custodian_name: str, recipient: str, custodian_email: str = ""
) -> CustodianKey:
    """Register a custodian's age public key; a private key pasted by mistake is refused."""
    roles.require(by, "destruction.custodian_key.manage")
    parsed = str(parse_recipient(recipient))
    if CustodianKey.objects.filter(winddown=by.winddown, recipient=parsed).exists():
        raise ValidationError({"recipient": _("This public key is registered already.")})
    key = CustodianKey(
        winddown=by.winddown,
        custodian_name=custodian_name.strip(),
        custodian_email=custodian_email.strip(),
        recipient=parsed,
        registered_by=by.user,
        registered_at=timezone.now(),
    )
    key.full_clean()
    key.save()
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="destruction.custodian_key_registered",
        obj=key,
        payload={"custodian": key.custodian_name, "recipient": key.recipient},
    )
    return key


@transaction.atomic
def custodian_key_retire(*, by: Membership, key: CustodianKey, reason: str) -> CustodianKey:
    """Stop encrypting new archives to a key (existing envelopes keep naming it)."""
    roles.require(by, "destruction.custodian_key.manage")
    key = CustodianKey.objects.select_for_update().get(pk=key.pk, winddown=by.winddown)
    if not key.is_active:
        raise ValidationError(_("This key is retired already."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the key is retired.")})
    key.retired_by, key.retired_at, key.retire_reason = by.user, timezone.now(), reason.strip()
    key.full_clean()
    key.save()
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="destruction.custodian_key_retired",
        obj=key,
        payload={"recipient": key.recipient, "reason": key.retire_reason},
    )
    return key
