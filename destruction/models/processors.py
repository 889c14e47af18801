"""Placeholder of the processor deletion request (the `dproc` branch's model replaces it)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from inventory.models import DataSystem
from windown.models import WindDown


class ProcessorRequest(models.Model):
    """A request to a third party that runs a system to delete its customers' data."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ANSWERED = "answered", _("Answered")
        OVERDUE = "overdue", _("Overdue")
        CANCELLED = "cancelled", _("Cancelled")

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="processor_requests", verbose_name=_("wind-down")
    )
    system = models.ForeignKey(
        DataSystem, models.PROTECT, related_name="processor_requests", verbose_name=_("system")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="draft")
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["winddown", "pk"]
        verbose_name = _("processor deletion request")
        verbose_name_plural = _("processor deletion requests")

    def __str__(self) -> str:
        return f"{self.system} · {self.get_status_display()}"
