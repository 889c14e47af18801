"""Recipients, campaigns, per-language templates, deliveries and the customers' subject requests."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
    name = models.CharField(_("name"), max_length=200, blank=True)
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

    class OpenOrderFilter(models.TextChoices):
        ANY = "any", _("Everyone")
        YES = "yes", _("Only customers with an open order")
        NO = "no", _("Only customers without an open order")

    winddown = models.ForeignKey(
        "windown.WindDown", models.CASCADE, related_name="campaigns", verbose_name=_("wind-down")
    )
    name = models.CharField(_("name"), max_length=200)
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
    from_email = models.CharField(_("from"), max_length=254, blank=True)
    reply_to = models.EmailField(_("reply-to"), blank=True)
    support_email = models.EmailField(_("support email"), blank=True)
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

    class Meta:
        ordering = ["winddown", "-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(rate_limit__gte=1), name="campaign_rate_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "notices:campaign-detail", kwargs={"slug": self.winddown.slug, "pk": self.pk}
        )

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
    subject = models.CharField(_("subject"), max_length=255)
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


class Delivery(models.Model):
    """The notice of one campaign to one recipient: claimed, sent and tracked exactly once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Complained")
        SUPPRESSED = "suppressed", _("Suppressed")

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="deliveries", verbose_name=_("campaign")
    )
    recipient = models.ForeignKey(
        Recipient, models.CASCADE, related_name="deliveries", verbose_name=_("recipient")
    )
    # Generated when the row is created and reused by every retry, so a receiver (and our
    # tests) can recognise a duplicate.
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True)
    last_error = models.TextField(_("last error / server reply"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["campaign", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "recipient"], name="delivery_one_per_recipient"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "next_attempt_at"]),
            models.Index(fields=["status", "lease_expires_at"]),
            models.Index(fields=["provider_message_id"]),
        ]

    def __str__(self) -> str:
        return self.message_id


class TrackingEvent(models.Model):
    """An ESP tracking event already applied to a delivery (deduplicates webhook retries)."""

    event_id = models.CharField(_("event id"), max_length=200, unique=True)
    delivery = models.ForeignKey(
        Delivery, models.CASCADE, related_name="tracking_events", verbose_name=_("delivery")
    )
    event_type = models.CharField(_("event"), max_length=30)
    description = models.TextField(_("description"), blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class RateLimitSlot(models.Model):
    """The next free send slot of a campaign, for the database rate limiter (no Redis)."""

    campaign = models.OneToOneField(Campaign, models.CASCADE, primary_key=True)
    next_at = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("rate-limit slot")
        verbose_name_plural = _("rate-limit slots")

    def __str__(self) -> str:
        return f"{self.campaign_id}@{self.next_at}"


class SubjectRequest(models.Model):
    """A customer's request from the personal page, due by a legal deadline."""

    class Type(models.TextChoices):
        EXPORT = "export", _("Copy of my data")
        OPEN_ORDER = "open_order", _("Open order or return")
        QUESTION = "question", _("Question")
        COMPLAINT = "complaint", _("Complaint")

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


class RecipientImport(models.Model):
    """An uploaded recipients file imported by a worker, with its progress and report."""

    class Status(models.TextChoices):
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
