"""Notice campaigns and their per-language templates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notices.models.recipients import Language
from windown.headers import HeaderAddressValidator, validate_header_text


class Campaign(models.Model):
    """One mailing of the notice to an audience of recipients."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    # The one place that says which status changes are allowed.
    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.SCHEDULED, Status.SENDING, Status.CANCELLED},
        Status.SCHEDULED: {Status.DRAFT, Status.SENDING, Status.CANCELLED},
        Status.SENDING: {Status.PAUSED, Status.DONE, Status.CANCELLED},
        Status.PAUSED: {Status.SENDING, Status.CANCELLED},
        Status.DONE: set(),
        Status.CANCELLED: set(),
    }

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Notice")
        RECEIPT = "receipt", _("Completion receipt")

    class OpenOrderFilter(models.TextChoices):
        ANY = "any", _("Everyone")
        YES = "yes", _("Only customers with an open order")
        NO = "no", _("Only customers without an open order")

    winddown = models.ForeignKey(
        "windown.WindDown", models.CASCADE, related_name="campaigns", verbose_name=_("wind-down")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTICE)
    audience_jurisdictions = models.JSONField(
        _("jurisdictions"), default=list, blank=True, help_text=_("Empty means all.")
    )
    audience_languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Empty means all.")
    )
    audience_open_order = models.CharField(
        _("open orders"), max_length=3, choices=OpenOrderFilter.choices, default="any"
    )
    scheduled_at = models.DateTimeField(_("scheduled send time"), null=True, blank=True)
    rate_limit = models.PositiveIntegerField(
        _("rate limit (messages per second)"),
        default=20,
        help_text=_("Shared by all workers."),
    )
    # Header-bound: checked when saved (windown.headers), whatever saves them.
    from_email = models.CharField(
        _("from"),
        max_length=254,
        blank=True,
        validators=[HeaderAddressValidator(display_name=True)],
    )
    reply_to = models.CharField(
        _("reply-to"), max_length=254, blank=True, validators=[HeaderAddressValidator()]
    )
    support_email = models.CharField(
        _("support email"), max_length=254, blank=True, validators=[HeaderAddressValidator()]
    )
    support_phone = models.CharField(_("support phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    short_lead_reason = models.TextField(_("reason for a short notice period"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Written by workers after every batch; the sweeper re-kicks a campaign whose workers died.
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # A receipt (kind "receipt") tells the notified customers of one jurisdiction, once its
    # destruction is certified, what was deleted, what is kept and how to appeal until when.
    receipt_jurisdiction = models.CharField(
        _("receipt for jurisdiction"), max_length=10, blank=True
    )
    # The facts destruction owns, language-neutral: {"deleted": [{"key", "label_en", "label_zh",
    # "destroyed_on"}], "certificates": [{"serial", "verify_url"}]} (notices.services.receipts).
    receipt_facts = models.JSONField(_("receipt facts"), default=dict, blank=True)
    appeal_until = models.DateField(_("appeals accepted until"), null=True, blank=True)

    class Meta:
        ordering = ["winddown", "-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(rate_limit__gte=1), name="campaign_rate_positive"),
            # re-running the receipt step can never make a second receipt for a jurisdiction
            models.UniqueConstraint(
                fields=["winddown", "receipt_jurisdiction"],
                condition=Q(kind="receipt"),
                name="campaign_one_receipt_per_jurisdiction",
            ),
            models.CheckConstraint(
                condition=Q(kind="notice", receipt_jurisdiction="")
                | Q(kind="receipt", appeal_until__isnull=False) & ~Q(receipt_jurisdiction=""),
                name="campaign_receipt_has_jurisdiction_and_window",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "notices:campaign-detail", kwargs={"slug": self.winddown.slug, "pk": self.pk}
        )

    @property
    def display_name(self) -> str:
        """The name a page shows: a receipt's, which windown names, in the reader's language;
        a notice's as support typed it."""
        if self.kind == self.Kind.RECEIPT and self.receipt_jurisdiction:
            return f"{self.Kind.RECEIPT.label} · {self.receipt_jurisdiction}"
        return self.name

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    def clean(self):
        unknown = set(self.audience_languages or []) - set(Language.values)
        if unknown:
            raise ValidationError({"audience_languages": _("Unknown language.")})


class NoticeTemplate(models.Model):
    """The notice of one campaign in one language (Jinja sources, rendered in a sandbox)."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="templates", verbose_name=_("campaign")
    )
    language = models.CharField(_("language"), max_length=10, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=255, validators=[validate_header_text])
    text_body = models.TextField(_("text body"))
    html_body = models.TextField(_("HTML body"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["campaign", "language"]
        verbose_name = _("notice template")
        verbose_name_plural = _("notice templates")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "language"], name="noticetemplate_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.language}"

    def clean(self):
        from notices.rendering import validate_template

        errors = {}
        for field, html in (("subject", False), ("text_body", False), ("html_body", True)):
            problems = validate_template(getattr(self, field), html=html)
            if problems:
                errors[field] = problems
        if errors:
            raise ValidationError(errors)


class ReceiptTemplate(models.Model):
    """The wind-down's completion receipt in one language, as edited (else the shipped text).

    Each receipt campaign starts with a copy of these (notices.services.receipts), so an edit
    applies to the receipts sent after it.
    """

    winddown = models.ForeignKey(
        "windown.WindDown",
        models.CASCADE,
        related_name="receipt_templates",
        verbose_name=_("wind-down"),
    )
    language = models.CharField(_("language"), max_length=10, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=255, validators=[validate_header_text])
    text_body = models.TextField(_("text body"))
    html_body = models.TextField(_("HTML body"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["winddown", "language"]
        verbose_name = _("receipt template")
        verbose_name_plural = _("receipt templates")
        constraints = [
            models.UniqueConstraint(
                fields=["winddown", "language"], name="receipttemplate_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.winddown} · {self.language}"

    clean = NoticeTemplate.clean
