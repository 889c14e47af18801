"""Vendors and their certifications; the director's override of an expired certification."""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from destruction.models import DestructionJob, Vendor, VendorCertification
from destruction.services.evidence import store_upload
from windown import roles
from windown.audit import audit_record
from windown.models import Membership
from windown.updates import update_audited

VENDOR_FIELDS = ("name", "contact_name", "contact_email", "contact_phone", "country")


def vendor_certified_on(vendor: Vendor, day: dt.date) -> bool:
    """Say whether the vendor holds a certification valid on `day`."""
    return any(c.is_valid_on(day) for c in vendor.certifications.all())


@transaction.atomic
def vendor_create(*, by: Membership, **fields: Any) -> Vendor:
    """Record a destruction vendor."""
    roles.require(by, "destruction.vendor.manage")
    unknown = set(fields) - set(VENDOR_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    vendor = Vendor(winddown=by.winddown, **fields)
    vendor.full_clean()
    vendor.save()
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="destruction.vendor_created",
        obj=vendor,
        payload={name: str(getattr(vendor, name)) for name in VENDOR_FIELDS},
    )
    return vendor


def vendor_update(*, by: Membership, vendor: Vendor, **changes: Any) -> Vendor:
    """Change a vendor's name or contact."""
    roles.require(by, "destruction.vendor.manage")
    update_audited(
        instance=vendor,
        changes=changes,
        editable=VENDOR_FIELDS,
        winddown=vendor.winddown,
        actor=by.user,
        action="destruction.vendor_updated",
        payload={"vendor": vendor.name},
    )
    return vendor


def certification_add(
    *,
    by: Membership,
    vendor: Vendor,
    scheme: str,
    number: str,
    issuer: str,
    expires_on: dt.date,
    valid_from: dt.date | None = None,
    copy: BinaryIO | None = None,
) -> VendorCertification:
    """Record a vendor's certificate, with its uploaded copy hashed like evidence."""
    roles.require(by, "destruction.vendor.manage")
    stored = None
    if copy is not None:
        stored = store_upload(
            fileobj=copy,
            name=getattr(copy, "name", "") or "certificate",
            directory="destruction/certs",
        )
    try:
        return _certification_record(
            by=by,
            vendor=vendor,
            stored=stored,
            scheme=scheme,
            number=number,
            issuer=issuer,
            expires_on=expires_on,
            valid_from=valid_from,
        )
    except Exception:
        if stored is not None:
            default_storage.delete(stored.storage_path)
        raise


@transaction.atomic
def _certification_record(*, by, vendor, stored, **fields) -> VendorCertification:
    certification = VendorCertification(
        vendor=vendor, uploaded_by=by.user, uploaded_at=timezone.now(), **fields
    )
    if stored is not None:
        certification.copy = stored.storage_path
        certification.copy_name = stored.name
        certification.copy_size = stored.size
        certification.copy_sha256 = stored.sha256
        certification.copy_content_type = stored.content_type
    certification.full_clean()
    certification.save()
    audit_record(
        winddown=vendor.winddown,
        actor=by.user,
        action="destruction.vendor_certification_added",
        obj=certification,
        payload={
            "vendor": vendor.name,
            "scheme": certification.scheme,
            "number": certification.number,
            "issuer": certification.issuer,
            "valid_from": certification.valid_from,
            "expires_on": certification.expires_on,
            "copy_sha256": certification.copy_sha256,
        },
    )
    return certification


@transaction.atomic
def job_vendor_override(
    *, by: Membership, job: DestructionJob, vendor: Vendor, reason: str
) -> DestructionJob:
    """Let a vendor whose certification has expired take the job; the job carries the reason."""
    roles.require(by, "destruction.vendor.override")
    job = DestructionJob.objects.select_for_update().get(pk=job.pk)
    if job.winddown_id != by.winddown_id or vendor.winddown_id != by.winddown_id:
        raise ValidationError(_("The job and the vendor must belong to this wind-down."))
    if job.status not in (DestructionJob.Status.PLANNED, DestructionJob.Status.SCHEDULED):
        raise ValidationError(_("The vendor of a performed job cannot change."))
    if not reason.strip():
        raise ValidationError({"reason": _("Write why this vendor may take the job.")})
    job.vendor = vendor
    job.vendor_override_reason = reason.strip()
    job.vendor_override_by = by.user
    job.vendor_override_at = timezone.now()
    job.full_clean()
    job.save()
    audit_record(
        winddown=job.winddown,
        actor=by.user,
        action="destruction.vendor_overridden",
        obj=job,
        payload={"job": job.reference, "vendor": vendor.name, "reason": job.vendor_override_reason},
    )
    return job
