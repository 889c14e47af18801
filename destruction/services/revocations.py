"""The revocation checklist: per processor's system, each access closed, with who and when."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from destruction.models import RevocationItem
from destruction.services.processor_common import MANAGE
from inventory.models import DataSystem
from windown import roles
from windown.audit import audit_record
from windown.models import Membership


def revocation_checklist_ensure(*, system: DataSystem) -> list[RevocationItem]:
    """Create the system's revocation checklist (one item per kind of access) if missing."""
    for kind in RevocationItem.Kind.values:
        RevocationItem.objects.get_or_create(
            system=system, kind=kind, defaults={"winddown": system.winddown}
        )
    return list(system.revocation_items.all())


@transaction.atomic
def revocation_item_record(
    *, by: Membership, item: RevocationItem, status: str, note: str = ""
) -> RevocationItem:
    """Record that an access was revoked (or does not exist), or reopen it; who and when."""
    roles.require(by, MANAGE)
    item = RevocationItem.objects.select_for_update().select_related("system").get(pk=item.pk)
    if item.winddown_id != by.winddown_id:
        raise ValidationError(_("This checklist belongs to another wind-down."))
    if status not in RevocationItem.Status.values:
        raise ValidationError({"status": _("Choose revoked, not applicable or to do.")})
    if status == RevocationItem.Status.NOT_APPLICABLE and not note.strip():
        raise ValidationError({"note": _("Say why this access does not apply.")})
    before = item.status
    item.status, item.note = status, note.strip()
    if status == RevocationItem.Status.OPEN:
        item.done_at, item.done_by, item.done_by_label = None, None, ""
    else:
        item.done_at, item.done_by, item.done_by_label = timezone.now(), by, by.user.email
    item.full_clean()
    item.save()
    audit_record(
        winddown=item.winddown,
        actor=by.user,
        action="destruction.revocation_recorded",
        obj=item,
        payload={
            "system": item.system.name,
            "kind": item.kind,
            "status": [before, item.status],
            "note": item.note,
        },
    )
    return item
