"""Issue, revoke, re-issue and (after retention) delete destruction certificates.

Issuing happens in one transaction: the audit event "destruction.certificate_issued", a signed
checkpoint right after it, the event's inclusion proof, the record (with both), the PDF, the
certificate row, and the job moving to certified. The audit chain's head stays locked meanwhile,
so the checkpoint a certificate embeds is the one taken right after its own event.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from destruction.models import Certificate, CertificateSerialCounter, DestructionJob, JobItem
from destruction.services.certificates.pdf import certificate_pdf
from destruction.services.certificates.record import record_build, record_json
from destruction.services.jobs import job_certify
from destruction.services.receipts import receipts_check_later
from windown import roles, signing
from windown.audit import audit_record
from windown.checkpoints import checkpoint_sign, inclusion_proof_for
from windown.models import Membership

Status = DestructionJob.Status


def _next_serial(year: int) -> str:
    """Take the next serial: a PostgreSQL sequence (never rolled back), else a counter row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('destruction_certificate_serial')")
            number = cursor.fetchone()[0]
    else:
        CertificateSerialCounter.objects.get_or_create(pk=1)
        CertificateSerialCounter.objects.filter(pk=1).update(value=F("value") + 1)
        number = CertificateSerialCounter.objects.get(pk=1).value
    return f"WD-{year}-{number:06d}"


def _retain_until(issued: date, years: int) -> date:
    try:
        return issued.replace(year=issued.year + years)
    except ValueError:  # 29 February
        return issued.replace(year=issued.year + years, day=28)


def _check_issuable(job: DestructionJob, *, reissue: bool) -> None:
    wanted = Status.CERTIFIED if reissue else Status.VERIFIED
    if job.status != wanted:
        raise ValidationError(
            _("Only a verified job gets a certificate; this one is %(status)s.")
            % {"status": job.get_status_display()},
            code="not_verified",
        )
    items = list(job.items.all())
    if not items:
        raise ValidationError(_("A job without items gets no certificate."), code="no_items")
    failed = [item.label for item in items if item.outcome == JobItem.Outcome.FAILED]
    open_items = [item.label for item in items if not item.outcome]
    if failed or open_items:
        raise ValidationError(
            _("Items that failed or have no outcome block the certificate: %(items)s.")
            % {"items": ", ".join(failed + open_items)},
            code="item_failed",
        )


def _issue(*, job: DestructionJob, actor: Membership, replaces: Certificate | None) -> Certificate:
    winddown = job.winddown
    issued_at = datetime.now(UTC).replace(microsecond=0)
    serial = _next_serial(issued_at.year)
    content = record_build(
        job=job,
        serial=serial,
        issued_at=issued_at,
        issued_by=actor,
        replaces=replaces.serial if replaces else "",
        root_fingerprint=signing.root_fingerprint(),
        tsa_url=settings.SIGNING_TSA_URL,
    )
    event = audit_record(
        winddown=winddown,
        actor=actor.user,
        action="destruction.certificate_issued",
        obj=job,
        payload={
            "serial": serial,
            "job": job.reference,
            "replaces": content["replaces"],
            "content_sha256": hashlib.sha256(record_json(content)).hexdigest(),
        },
    )
    checkpoint = checkpoint_sign(winddown=winddown)
    proof = inclusion_proof_for(event=event, checkpoint=checkpoint)
    record = {
        **content,
        "checkpoint": checkpoint.signed_text,
        "inclusion_proof": {
            "leaf_index": proof.leaf_index,
            "tree_size": proof.tree_size,
            "event_seq": proof.seq,
            "event_hash": proof.event_hash,
            "leaf_hash": proof.leaf_hash,
            "root_hash": proof.root_hash,
            "hashes": proof.path,
        },
    }
    pdf = certificate_pdf(record)
    certificate = Certificate(
        winddown=winddown,
        job=job,
        serial=serial,
        issued_at=issued_at,
        issued_by=actor,
        record=record,
        sha256=hashlib.sha256(pdf).hexdigest(),
        replaces=replaces,
        retain_until=_retain_until(issued_at.date(), winddown.certificate_retention_years),
    )
    certificate.pdf.save(f"{serial}.pdf", ContentFile(pdf), save=False)
    try:
        certificate.full_clean(exclude=["pdf"])
        certificate.save()
        audit_record(
            winddown=winddown,
            actor=actor.user,
            action="destruction.certificate_signed",
            obj=certificate,
            payload={"serial": serial, "sha256": certificate.sha256, "event_seq": event.seq},
        )
    except Exception:
        certificate.pdf.storage.delete(certificate.pdf.name)
        raise
    return certificate


def _same_winddown(actor: Membership, winddown_id: int) -> None:
    if actor.winddown_id != winddown_id:
        raise ValidationError(_("This belongs to another wind-down."))


@transaction.atomic
def certificate_issue(*, job: DestructionJob, actor: Membership) -> Certificate:
    """Issue the signed certificate of a verified job and mark the job certified."""
    roles.require(actor, "destruction.certificate.issue")
    _same_winddown(actor, job.winddown_id)
    job = DestructionJob.objects.select_for_update().select_related("winddown").get(pk=job.pk)
    _check_issuable(job, reissue=False)
    job_certify(by=actor, job=job)
    job.refresh_from_db()
    certificate = _issue(job=job, actor=actor, replaces=None)
    receipts_check_later(job.winddown_id)  # this may complete a jurisdiction's destruction
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor: Membership, reason: str) -> Certificate:
    """Revoke a certificate (director, with a written reason); it stays kept and verifiable."""
    roles.require(actor, "destruction.certificate.revoke")
    _same_winddown(actor, certificate.winddown_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REVOKED:
        raise ValidationError(_("This certificate is already revoked."), code="revoked")
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = datetime.now(UTC)
    certificate.revoked_by = actor
    certificate.revocation_reason = reason
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    audit_record(
        winddown=certificate.winddown,
        actor=actor.user,
        action="destruction.certificate_revoked",
        obj=certificate,
        payload={"serial": certificate.serial, "reason": reason},
    )
    return certificate


@transaction.atomic
def certificate_reissue(
    *, certificate: Certificate, actor: Membership, reason: str = ""
) -> Certificate:
    """Issue a new certificate (new serial) replacing `certificate`, revoking it if still valid."""
    roles.require(actor, "destruction.certificate.issue")
    _same_winddown(actor, certificate.winddown_id)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if Certificate.objects.filter(replaces=certificate).exists():
        raise ValidationError(_("This certificate was already replaced."), code="replaced")
    if certificate.status == Certificate.Status.ISSUED:
        certificate = certificate_revoke(certificate=certificate, actor=actor, reason=reason)
    job = (
        DestructionJob.objects.select_for_update()
        .select_related("winddown")
        .get(pk=certificate.job_id)
    )
    _check_issuable(job, reissue=True)
    return _issue(job=job, actor=actor, replaces=certificate)


@transaction.atomic
def certificate_delete(*, certificate: Certificate, actor: Membership) -> None:
    """Delete a certificate whose retention ended; refuse before (a PostgreSQL trigger too)."""
    roles.require(actor, "destruction.certificate.revoke")
    _same_winddown(actor, certificate.winddown_id)
    if certificate.retain_until >= date.today():
        raise ValidationError(
            _("Certificate %(serial)s is kept until %(date)s; it cannot be deleted before.")
            % {"serial": certificate.serial, "date": certificate.retain_until},
            code="retained",
        )
    audit_record(
        winddown=certificate.winddown,
        actor=actor.user,
        action="destruction.certificate_deleted",
        obj=certificate,
        payload={"serial": certificate.serial, "sha256": certificate.sha256},
    )
    name = certificate.pdf.name
    certificate.delete()
    transaction.on_commit(lambda: certificate.pdf.storage.delete(name))
