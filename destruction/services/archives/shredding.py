"""Crypto-shredding archives: delete the key envelopes and ciphertext, and notice when due.

The shred record lists every place the key was known to be, including the database backups
that hold the envelope until the declared backup retention has passed.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from destruction.models import Archive, ArchiveKeyEnvelope
from destruction.selectors.archives import (
    OPEN_STATUSES,
    archives_due_for_shredding,
    held_holding_ids,
)
from windown import roles
from windown.audit import audit_record
from windown.models import Membership, WindDown

if TYPE_CHECKING:  # the job model lives in the jobs branch; only its pk and reference are read
    from django.db.models import Model as DestructionJob


def backup_retention_days() -> int:
    return settings.WINDOWN_BACKUP_RETENTION_DAYS


@transaction.atomic
def archive_crypto_shred(
    *, by: Membership, archive: Archive, job: DestructionJob | None
) -> dict[str, Any]:
    """Crypto-erase an archive: delete every key envelope and the ciphertext; return the record.

    The record lists every place the key was known to be (the database row, exported copies,
    the custodians' recipients) and says plainly that database backups taken before the shred
    still hold the envelope until the declared backup retention has passed.
    """
    roles.require(by, "destruction.perform")
    archive = Archive.objects.select_for_update().get(pk=archive.pk, winddown=by.winddown)
    if archive.status not in OPEN_STATUSES:
        raise ValidationError(
            _("Archive %(ref)s cannot be shredded: it is %(status)s.")
            % {"ref": archive.reference, "status": archive.get_status_display()}
        )
    today = timezone.localdate()
    if archive.retain_until and archive.retain_until >= today:
        raise ValidationError(
            _("Archive %(ref)s must be kept until %(date)s.")
            % {"ref": archive.reference, "date": archive.retain_until.isoformat()}
        )
    if archive.decision.holding_id in held_holding_ids(archive.winddown_id):
        raise ValidationError(
            _("A legal hold covers archive %s: nothing in its scope may be destroyed.")
            % archive.reference
        )
    now = timezone.now()
    retention = backup_retention_days()
    backups_until = now.date() + dt.timedelta(days=retention)
    envelopes = list(archive.envelopes.all())
    locations: list[dict[str, Any]] = [
        {
            "location": "database",
            "what": "key envelope",
            "table": ArchiveKeyEnvelope._meta.db_table,
            "row": envelope.pk,
            "sha256": envelope.sha256,
            "action": "deleted",
        }
        for envelope in envelopes
    ]
    existed = default_storage.exists(archive.ciphertext_name)
    default_storage.delete(archive.ciphertext_name)
    locations.append(
        {
            "location": "storage",
            "what": "ciphertext",
            "object": archive.ciphertext_name,
            "sha256": archive.ciphertext_sha256,
            "action": "deleted" if existed else "already absent",
        }
    )
    locations.extend(
        {
            "location": "exported copy",
            "what": "archive.age, envelope.age, manifest.json",
            "directory": copy["directory"],
            "host": copy["host"],
            "exported_by": copy["by"],
            "exported_at": copy["at"],
            "action": "outside windown's reach: must be destroyed by whoever holds it",
        }
        for copy in archive.exports
    )
    locations.extend(
        {
            "location": "custodian",
            "what": "private key able to open the envelope",
            "custodian": recipient["custodian"],
            "recipient": recipient["recipient"],
            "action": (
                "kept by the custodian; with every envelope gone it opens nothing of this "
                "archive, unless the custodian saved the decrypted archive key"
            ),
        }
        for recipient in archive.recipients
    )
    locations.append(
        {
            "location": "database files",
            "what": "deleted envelope row versions",
            "action": (
                "the database reclaims them at its next vacuum; its write-ahead log archives "
                "count as backups"
            ),
        }
    )
    locations.append(
        {
            "location": "database backups",
            "what": "key envelope",
            "action": "not reachable by windown",
            "until": backups_until.isoformat(),
        }
    )
    record = {
        "technique": "crypto_erase",
        "archive": archive.reference,
        "job": getattr(job, "reference", None),
        "job_id": getattr(job, "pk", None),
        "shredded_at": now.isoformat(),
        "shredded_by": by.user.email,
        "key_locations": locations,
        "backup_retention_days": retention,
        "backups_hold_envelope_until": backups_until.isoformat(),
        "statement": _(
            "The key envelope(s) and the ciphertext were deleted from windown's database and "
            "storage. Database backups made before %(when)s still hold the envelope until "
            "%(until)s (the declared backup retention of %(days)s days); until then a restored "
            "backup together with a copy of the ciphertext and a custodian's private key could "
            "read the archive."
        )
        % {"when": now.date().isoformat(), "until": backups_until.isoformat(), "days": retention},
    }
    ArchiveKeyEnvelope.objects.filter(archive=archive).delete()
    archive.status = Archive.Status.SHREDDED
    archive.shredded_at, archive.shredded_by = now, by.user
    archive.backups_hold_envelope_until = backups_until
    archive.shred_record = record
    archive.full_clean()
    archive.save()
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="destruction.archive_crypto_shredded",
        obj=archive,
        payload=record,
    )
    return record


def archives_notice_due(*, today: dt.date | None = None) -> list[int]:
    """Stamp and audit archives that became due for shredding (from Celery beat); return ids."""
    noticed = []
    winddowns = WindDown.objects.filter(
        archives__status__in=OPEN_STATUSES, archives__retain_until__lt=today or timezone.localdate()
    ).distinct()
    for winddown in winddowns:
        for archive in archives_due_for_shredding(winddown, today=today):
            noticed.append(archive.pk)
            with transaction.atomic():
                now = timezone.now()
                first = Archive.objects.filter(pk=archive.pk, due_noticed_at__isnull=True).update(
                    due_noticed_at=now
                )
                if first:
                    audit_record(
                        winddown=winddown,
                        actor=None,
                        action="destruction.archive_due_for_shredding",
                        obj=archive,
                        payload={
                            "reference": archive.reference,
                            "retain_until": archive.retain_until,
                        },
                    )
    return noticed
