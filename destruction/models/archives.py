"""Placeholder of the encrypted archive (the `darch` branch's full model replaces it at merge)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from compliance.models import Decision
from windown.models import WindDown


class Archive(models.Model):
    """An encrypted archive of the records an `archive` decision keeps."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ENCRYPTED = "encrypted", _("Encrypted")
        VERIFIED = "verified", _("Verified")
        SHREDDED = "shredded", _("Shredded")

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="archives", verbose_name=_("wind-down")
    )
    decision = models.ForeignKey(
        Decision, models.PROTECT, related_name="archives", verbose_name=_("decision")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    retain_until = models.DateField(_("retain until"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    shredded_at = models.DateTimeField(_("shredded at"), null=True, blank=True)

    class Meta:
        ordering = ["winddown", "pk"]
        verbose_name = _("archive")
        verbose_name_plural = _("archives")

    def __str__(self) -> str:
        return f"{_('Archive')} {self.pk}"
