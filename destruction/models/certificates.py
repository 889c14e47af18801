"""Destruction certificates: signed PDF/A-3b documents, one per issuance, never reused serials."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from destruction.models.jobs import DestructionJob
from windown.models import Membership, WindDown


def certificate_path(certificate: Certificate, filename: str) -> str:
    return f"destruction/certificates/{certificate.winddown.slug}/{certificate.serial}.pdf"


class Certificate(models.Model):
    """One signed certificate of a verified job; a re-issue is a new row naming the old one."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REVOKED = "revoked", _("Revoked")

    winddown = models.ForeignKey(
        WindDown, models.PROTECT, related_name="certificates", verbose_name=_("wind-down")
    )
    job = models.ForeignKey(
        DestructionJob, models.PROTECT, related_name="certificates", verbose_name=_("job")
    )
    serial = models.CharField(_("serial number"), max_length=30, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ISSUED
    )
    issued_at = models.DateTimeField(_("issued at (UTC)"))
    issued_by = models.ForeignKey(
        Membership, models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    record = models.JSONField(_("record"))
    pdf = models.FileField(_("PDF"), upload_to=certificate_path, max_length=300)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    replaces = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    revoked_at = models.DateTimeField(_("revoked at (UTC)"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        Membership,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for revoking"), blank=True)
    retain_until = models.DateField(_("kept at least until"))

    class Meta:
        ordering = ["winddown", "-issued_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="issued", revoked_at__isnull=True, revocation_reason="")
                | Q(status="revoked", revoked_at__isnull=False) & ~Q(revocation_reason=""),
                name="certificate_revocation_has_time_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.serial

    def get_absolute_url(self) -> str:
        return reverse(
            "destruction:certificate-detail",
            kwargs={"slug": self.winddown.slug, "serial": self.serial},
        )


class CertificateSerialCounter(models.Model):
    """The serial counter where the database has no sequence (SQLite): one row, incremented."""

    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate serial counter")

    def __str__(self) -> str:
        return str(self.value)
