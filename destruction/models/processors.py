"""Processor deletion requests: what a third party running a system must delete, and its answer.

A request names the system's data categories (with the subject jurisdictions they concern),
the legal basis and the deadline; it is emailed to the processor with a signed, expiring link
to a confirmation form. The processor answers per category once: the submission locks the
request. Reminders and escalation (overdue) are driven by beat. The revocation checklist
records, per system, that the company's own access to it was closed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inventory.models import DataCategory, DataSystem
from windown.models import Membership, WindDown


class ProcessorRequest(models.Model):
    """An instruction to a processor to delete a system's personal data, and its answer."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent, waiting for the answer")
        ANSWERED = "answered", _("Answered")
        OVERDUE = "overdue", _("Overdue (escalated)")
        CANCELLED = "cancelled", _("Cancelled")

    class Language(models.TextChoices):
        EN = "en", "English"
        ZH_HANS = "zh-hans", "简体中文"
        DE = "de", "Deutsch"

    OPEN = (Status.SENT, Status.OVERDUE)

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="processor_requests", verbose_name=_("wind-down")
    )
    system = models.ForeignKey(
        DataSystem, models.PROTECT, related_name="processor_requests", verbose_name=_("system")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    processor_name = models.CharField(_("processor"), max_length=200)
    processor_email = models.EmailField(_("processor's contact email"))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.EN
    )
    legal_basis = models.TextField(_("legal basis"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    message = models.TextField(_("note to the processor"), blank=True)
    created_by = models.ForeignKey(
        Membership,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_contacted_at = models.DateTimeField(_("last emailed"), null=True, blank=True)
    reminders_sent = models.PositiveIntegerField(_("reminders sent"), default=0)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # the processor's attestation, as submitted on the form
    attester_name = models.CharField(_("attested by"), max_length=200, blank=True)
    attester_role = models.CharField(_("attester's role"), max_length=200, blank=True)
    attester_email = models.EmailField(_("attester's email"), blank=True)
    attested = models.BooleanField(_("attested true and complete"), default=False)
    answer_remarks = models.TextField(_("processor's remarks"), blank=True)
    # the processor's own certificate, hashed while stored
    certificate_name = models.CharField(_("certificate file"), max_length=255, blank=True)
    certificate_path = models.CharField(_("stored as"), max_length=500, blank=True)
    certificate_size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    certificate_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    certificate_content_type = models.CharField(_("content type"), max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("processor deletion request")
        verbose_name_plural = _("processor deletion requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "cancelled"])
                | Q(deadline__isnull=False, sent_at__isnull=False),
                name="processorrequest_sent_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered")
                | Q(
                    answered_at__isnull=False,
                    attested=True,
                    attester_name__gt="",
                    attester_email__gt="",
                ),
                name="processorrequest_answer_is_attested",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancel_reason__gt=""),
                name="processorrequest_cancel_has_reason",
            ),
            # one pending request per system (an answered or cancelled one may be followed up)
            models.UniqueConstraint(
                fields=["system"],
                condition=Q(status__in=["draft", "sent", "overdue"]),
                name="processorrequest_one_pending_per_system",
            ),
        ]
        indexes = [models.Index(fields=["status", "last_contacted_at"])]

    def __str__(self) -> str:
        return f"{self.reference} · {self.processor_name}"

    def get_absolute_url(self) -> str:
        return reverse(
            "destruction:processor-request-detail",
            kwargs={"slug": self.winddown.slug, "pk": self.pk},
        )

    @property
    def reference(self) -> str:
        return f"PR-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OVERDUE


class ProcessorRequestItem(models.Model):
    """One data category of a request, the jurisdictions it concerns, and the processor's answer."""

    class Answer(models.TextChoices):
        DELETED = "deleted", _("Deleted")
        NO_RECORDS = "no_records", _("No records held")
        RETAINED = "retained", _("Retained under law")
        REFUSED = "refused", _("Refused")

    request = models.ForeignKey(
        ProcessorRequest, models.CASCADE, related_name="items", verbose_name=_("request")
    )
    category = models.ForeignKey(
        DataCategory, models.PROTECT, related_name="+", verbose_name=_("data category")
    )
    jurisdictions = models.JSONField(_("subject jurisdictions"), default=list)
    records_total = models.PositiveBigIntegerField(_("records (declared)"), default=0)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    retention_basis = models.TextField(_("law requiring retention"), blank=True)
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)

    class Meta:
        ordering = ["request", "category__key"]
        verbose_name = _("requested category")
        verbose_name_plural = _("requested categories")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "category"], name="processorrequestitem_one_per_category"
            ),
            models.CheckConstraint(
                condition=~Q(answer="retained") | Q(retention_basis__gt=""),
                name="processorrequestitem_retained_has_basis",
            ),
            models.CheckConstraint(
                condition=~Q(answer="refused") | Q(refusal_reason__gt=""),
                name="processorrequestitem_refused_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} · {self.category.key}"


class ProcessorEmail(models.Model):
    """One email to the processor (the instruction or a reminder) with its stable Message-ID."""

    class Kind(models.TextChoices):
        INSTRUCTION = "instruction", _("Instruction")
        REMINDER = "reminder", _("Reminder")

    request = models.ForeignKey(
        ProcessorRequest, models.CASCADE, related_name="emails", verbose_name=_("request")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.PositiveIntegerField(_("number"), default=0)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    to = models.EmailField(_("to"))
    link_expires = models.DateField(_("link valid until"))
    created_at = models.DateTimeField(_("queued"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["request", "created_at", "pk"]
        verbose_name = _("processor email")
        verbose_name_plural = _("processor emails")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "number"], name="processoremail_one_per_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} · {self.kind} {self.number}"


class RevocationItem(models.Model):
    """One kind of access to a processor's system the company must close, and who closed it."""

    class Kind(models.TextChoices):
        API_KEYS = "api_keys", _("API keys")
        OAUTH_APPS = "oauth_apps", _("OAuth apps")
        SSO = "sso", _("Single sign-on")
        WEBHOOKS = "webhooks", _("Webhooks")
        USER_ACCOUNTS = "user_accounts", _("User accounts")

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        REVOKED = "revoked", _("Revoked")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="revocation_items", verbose_name=_("wind-down")
    )
    system = models.ForeignKey(
        DataSystem, models.PROTECT, related_name="revocation_items", verbose_name=_("system")
    )
    kind = models.CharField(_("access"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    note = models.TextField(_("note"), blank=True)
    done_by = models.ForeignKey(
        Membership, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    done_by_label = models.CharField(_("recorded by"), max_length=254, blank=True)
    done_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    class Meta:
        ordering = ["system__name", "kind"]
        verbose_name = _("revocation item")
        verbose_name_plural = _("revocation checklist")
        constraints = [
            models.UniqueConstraint(fields=["system", "kind"], name="revocationitem_one_per_kind"),
            models.CheckConstraint(
                condition=Q(status="open", done_at__isnull=True)
                | (~Q(status="open") & Q(done_at__isnull=False, done_by_label__gt="")),
                name="revocationitem_done_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system} · {self.get_kind_display()}"
