"""Customers to notify, and the imports that bring them in."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from windown.headers import validate_header_text


class Language(models.TextChoices):
    """Languages a notice is written in; anything else falls back to English."""

    EN = "en", "English"
    DE = "de", "Deutsch"
    FR = "fr", "Français"
    JA = "ja", "日本語"
    ZH_HANS = "zh-hans", "简体中文"
    ES = "es", "Español"

    @classmethod
    def normalise(cls, value: str | None) -> str:
        """Map 'zh_Hans', 'ZH-CN', 'de-DE'... to a supported code, falling back to English."""
        code = (value or "").strip().lower().replace("_", "-")
        if code in _LANGUAGE_CODES:
            return code
        if code in ("zh", "zh-cn", "zh-sg", "zh-hans-cn"):
            return "zh-hans"
        base = code.split("-")[0]
        return base if base in _LANGUAGE_CODES and base != "zh" else "en"


_LANGUAGE_CODES = frozenset(Language.values)  # looked up per imported row: keep it cheap


class Recipient(models.Model):
    """A customer of the wind-down who is to be told what happens to their data."""

    winddown = models.ForeignKey(
        "windown.WindDown", models.CASCADE, related_name="recipients", verbose_name=_("wind-down")
    )
    # Stored normalised (lower case), so the plain unique constraint is case-insensitive and
    # the bulk import can upsert on it.
    email = models.EmailField(_("email"))
    # Header-bound (the To: display name): checked when saved, and by the import row by row.
    name = models.CharField(
        _("name"), max_length=200, blank=True, validators=[validate_header_text]
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.EN
    )
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=10, blank=True, help_text=_("ISO country, US-CA or OTHER")
    )
    customer_ref = models.CharField(_("customer reference"), max_length=100, blank=True)
    has_open_order = models.BooleanField(_("has an open order"), default=False)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["winddown", "email"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(fields=["winddown", "email"], name="recipient_email_unique"),
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="recipient_email_lower_case"
            ),
        ]
        indexes = [
            models.Index(fields=["winddown", "jurisdiction"]),
            models.Index(fields=["winddown", "language"]),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class RecipientImport(models.Model):
    """An uploaded recipients file imported by a worker, with its progress and report."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        PENDING = "pending", _("Waiting for a worker")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Refused: invalid rows")
        FAILED = "failed", _("Failed")

    winddown = models.ForeignKey(
        "windown.WindDown", models.CASCADE, related_name="+", verbose_name=_("wind-down")
    )
    requested_by = models.ForeignKey(
        "windown.Membership", models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    # Deleted once imported: the audit trail keeps the file's SHA-256.
    file = models.FileField(_("file"), upload_to="notices/imports/", blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    # A CSV file's text encoding chosen by the user; empty: recognised when it is read.
    encoding = models.CharField(_("text encoding"), max_length=20, blank=True)
    # The language of the page the file was uploaded from: the worker words the report in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recipient import")
        verbose_name_plural = _("recipient imports")

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("notices:import-detail", kwargs={"slug": self.winddown.slug, "pk": self.pk})
