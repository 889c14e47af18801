"""Evidence of a destruction: videos, photos, reports, tool logs, hashed while uploaded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from destruction.models.jobs import DestructionJob


class Evidence(models.Model):
    """One evidence file of a job; immutable once the job is verified (service and trigger)."""

    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        PHOTO = "photo", _("Photo")
        VENDOR_REPORT = "vendor_report", _("Vendor report")
        TOOL_LOG = "tool_log", _("Tool log")
        CERTIFICATE = "certificate", _("Certificate")
        OTHER = "other", _("Other")

    job = models.ForeignKey(
        DestructionJob, models.PROTECT, related_name="evidence", verbose_name=_("job")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), max_length=300)
    original_name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("type"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["job", "uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="evidence_sha256_hex"
            ),
            models.UniqueConstraint(fields=["file"], name="evidence_file_unique"),
        ]

    def __str__(self) -> str:
        return self.original_name
