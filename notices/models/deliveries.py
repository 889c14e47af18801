"""One delivery per campaign and recipient, its tracking events, the send rate slots."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from notices.models.campaigns import Campaign
from notices.models.recipients import Recipient


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

    # Each index costs a little on every claim and every outcome (a status change is never a
    # HOT update), so the table has only the indexes its queries need: the campaign's rows are
    # found through the unique constraint's index; the claims', the sweeper's and the webhooks'
    # indexes are partial, so a sent notice leaves them.
    campaign = models.ForeignKey(
        Campaign,
        models.CASCADE,
        related_name="deliveries",
        verbose_name=_("campaign"),
        db_index=False,
    )
    recipient = models.ForeignKey(
        Recipient, models.CASCADE, related_name="deliveries", verbose_name=_("recipient")
    )
    # Generated when the row is created and reused by every retry, so a receiver (and our
    # tests) can recognise a duplicate.
    message_id = models.CharField(_("Message-ID"), max_length=200)
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
            # a constraint rather than unique=True: no second (LIKE) index on PostgreSQL
            models.UniqueConstraint(fields=["message_id"], name="delivery_message_id_unique"),
        ]
        indexes = [
            # Claims take the lowest ids still to send, in id order: without this index a
            # claim sorted every queued row of the campaign (0.3 s per claim at a million).
            models.Index(
                fields=["campaign", "id"],
                condition=models.Q(status__in=["queued", "sending"]),
                name="delivery_remaining",
            ),
            models.Index(
                fields=["lease_expires_at"],
                condition=models.Q(status="sending"),
                name="delivery_leased",
            ),
            models.Index(
                fields=["provider_message_id"],
                condition=~models.Q(provider_message_id=""),
                name="delivery_provider_message_id",
            ),
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


class DeliveryTally(models.Model):
    """Deliveries counted by campaign, status and quarter-hour sent, kept by the database.

    On PostgreSQL, statement triggers on notices_delivery (migration 0009) append one signed row
    per (campaign, status, quarter hour) a statement changed, in the writer's own transaction, so
    the sums over this table always equal a recount of the deliveries; senders only ever insert
    here (no shared counter row to wait for). `delivery_tally_compact` folds the rows. A quarter
    hour (not a day) because every time zone's offset is a whole number of quarter hours: the
    dashboard groups the periods by day in the current zone. SQLite has no such triggers: there
    the dashboard counts the deliveries themselves (demo sizes).
    """

    # no foreign-key constraint: a campaign's deletion deletes its deliveries, whose triggers
    # append the rows cancelling its counts; the compaction then drops them
    campaign = models.ForeignKey(
        Campaign,
        models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("campaign"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Delivery.Status.choices)
    sent_period = models.DateTimeField(_("sent in the quarter hour from"), null=True)
    deliveries = models.BigIntegerField(_("deliveries (signed change)"))

    class Meta:
        verbose_name = _("delivery tally")
        verbose_name_plural = _("delivery tallies")

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.status} {self.sent_period}: {self.deliveries:+d}"
