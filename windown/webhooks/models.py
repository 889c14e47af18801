"""Webhook endpoints registered by the director, the events they receive and each delivery."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from windown.webhooks.events import EVENT_TYPES


class WebhookEndpoint(models.Model):
    """A partner's URL that receives the wind-down's events it subscribed to, signed."""

    winddown = models.ForeignKey(
        "windown.WindDown",
        models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("wind-down"),
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    # Fernet token of the signing secret (windown.webhooks.secrets): HMAC needs the secret
    # itself, so it cannot be hashed; encrypted, a database dump alone does not reveal it.
    secret_encrypted = models.TextField()
    secret_prefix = models.CharField(_("secret starts with"), max_length=16)
    is_active = models.BooleanField(_("enabled"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["winddown", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url


class WebhookEvent(models.Model):
    """One public event, derived from one audit event; its id is the idempotency key."""

    winddown = models.ForeignKey("windown.WindDown", models.CASCADE, related_name="webhook_events")
    audit_event = models.OneToOneField(
        "windown.AuditEvent", models.PROTECT, related_name="webhook_event"
    )
    event_id = models.CharField(_("event id"), max_length=40, unique=True)
    type = models.CharField(_("type"), max_length=60)
    # "<object type>:<object id>": deliveries of one object reach each endpoint in order
    object_key = models.CharField(max_length=150)
    body = models.JSONField()
    created_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"

    @property
    def type_label(self) -> str:
        known = EVENT_TYPES.get(self.type)
        return str(known.label) if known else self.type


class WebhookDelivery(models.Model):
    """One event to one endpoint: its status, attempts and the last answer received."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(WebhookEvent, models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    # retries stop (status failed) once this passes: a day after the event, or after "resend"
    retry_until = models.DateTimeField()
    leased_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    last_error = models.CharField(_("error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "endpoint"], name="webhook_delivery_once_per_endpoint"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_due",
            ),
            models.Index(fields=["endpoint", "status"], name="webhook_delivery_endpoint"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id} ({self.status})"
