"""Destruction vendors and their certifications (ISO/IEC 27001, NAID AAA, ADISA)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from windown.models import WindDown


class Vendor(models.Model):
    """A third party that destroys media or data for the wind-down."""

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="destruction_vendors", verbose_name=_("wind-down")
    )
    name = models.CharField(_("name"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    country = CountryField(_("country"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("destruction vendor")
        verbose_name_plural = _("destruction vendors")
        constraints = [
            models.UniqueConstraint(fields=["winddown", "name"], name="vendor_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "destruction:vendor-detail", kwargs={"slug": self.winddown.slug, "pk": self.pk}
        )


class VendorCertification(models.Model):
    """A certificate a vendor holds, with the uploaded copy hashed like evidence."""

    class Scheme(models.TextChoices):
        ISO_27001 = "iso_27001", _("ISO/IEC 27001")
        NAID_AAA = "naid_aaa", _("NAID AAA")
        ADISA = "adisa", _("ADISA")

    vendor = models.ForeignKey(
        Vendor, models.CASCADE, related_name="certifications", verbose_name=_("vendor")
    )
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    number = models.CharField(_("certificate number"), max_length=100)
    issuer = models.CharField(_("issuer"), max_length=200)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"))
    copy = models.FileField(_("uploaded copy"), upload_to="destruction/certs/", blank=True)
    copy_name = models.CharField(_("file name"), max_length=255, blank=True)
    copy_size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    copy_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    copy_content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    uploaded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["vendor", "scheme", "-expires_on"]
        verbose_name = _("vendor certification")
        verbose_name_plural = _("vendor certifications")
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "scheme", "number"], name="vendorcert_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_from__lte=models.F("expires_on")),
                name="vendorcert_valid_from_before_expiry",
            ),
            models.CheckConstraint(
                condition=Q(copy="") | Q(copy_sha256__regex=r"^[0-9a-f]{64}$"),
                name="vendorcert_copy_hashed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.number}"

    @property
    def is_expired(self) -> bool:
        return self.expires_on < dt.date.today()

    def is_valid_on(self, day: dt.date) -> bool:
        """Say whether the certificate is valid on `day`."""
        return (self.valid_from is None or self.valid_from <= day) and day <= self.expires_on
