"""Retention schedule PDFs too big to render in a request: rendered on the worker."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from windown.models import Membership, WindDown


class ScheduleExport(models.Model):
    """One requested schedule PDF: queued, rendered with progress, then downloaded."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="schedule_exports", verbose_name=_("wind-down")
    )
    # the member whose view of the decisions the schedule shows (a custodian: their department)
    requested_by = models.ForeignKey(
        Membership, models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    decisions = models.PositiveIntegerField(_("decisions"), default=0)
    file = models.FileField(_("file"), upload_to="schedules/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("retention schedule PDF")
        verbose_name_plural = _("retention schedule PDFs")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="scheduleexport_progress_percent"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="scheduleexport_done_has_file"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.winddown} schedule #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse(
            "compliance:schedule-pdf", kwargs={"slug": self.winddown.slug, "pk": self.pk}
        )
