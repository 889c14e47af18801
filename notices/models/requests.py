"""Customers' subject requests and the support team's replies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notices.models.recipients import Recipient


class SubjectRequest(models.Model):
    """A customer's request from the personal page, due by a legal deadline."""

    class Type(models.TextChoices):
        EXPORT = "export", _("Copy of my data")
        OPEN_ORDER = "open_order", _("Open order or return")
        QUESTION = "question", _("Question")
        COMPLAINT = "complaint", _("Complaint")
        APPEAL = "appeal", _("Appeal against the completion receipt")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    winddown = models.ForeignKey(
        "windown.WindDown",
        models.CASCADE,
        related_name="subject_requests",
        verbose_name=_("wind-down"),
    )
    recipient = models.ForeignKey(
        Recipient, models.CASCADE, related_name="requests", verbose_name=_("recipient")
    )
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    message = models.TextField(_("message"), blank=True)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=10, blank=True)
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    assignee = models.ForeignKey(
        "windown.Membership",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assignee"),
    )
    resolution = models.TextField(_("resolution"), blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    # when the customer was sent the confirmation of what they asked and by when it is answered
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    # Set when the compliance integration has turned an open-order report into an OpenMatter.
    compliance_ref = models.CharField(_("compliance reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("subject request")
        verbose_name_plural = _("subject requests")
        indexes = [models.Index(fields=["winddown", "status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} · {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("notices:request-detail", kwargs={"slug": self.winddown.slug, "pk": self.pk})


class RequestReply(models.Model):
    """A reply the support team emailed to the customer about their request."""

    request = models.ForeignKey(
        SubjectRequest, models.CASCADE, related_name="replies", verbose_name=_("request")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("reply"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["request", "sent_at"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.request_id} · {self.sent_at:%Y-%m-%d}"


class RequestExport(models.Model):
    """The copy of a customer's data that support compiled for an `export` request.

    Stored encrypted (notices.services.exports); the customer downloads it from their personal
    page until `expires_at`. Every download is audited and counted.
    """

    request = models.OneToOneField(
        SubjectRequest, models.CASCADE, related_name="export", verbose_name=_("request")
    )
    file = models.FileField(_("encrypted file"), upload_to="notices/exports/", max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    uploaded_by = models.ForeignKey(
        "windown.Membership", models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    expires_at = models.DateTimeField(_("available until"))
    downloads = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self) -> str:
        return self.filename
