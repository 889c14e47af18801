"""A destruction job's chain of custody: each handover of its media between two parties."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from destruction.models.jobs import DestructionJob


class CustodyHandover(models.Model):
    """One handover in the chain of custody of a job's media."""

    job = models.ForeignKey(
        DestructionJob, models.CASCADE, related_name="handovers", verbose_name=_("job")
    )
    from_party = models.CharField(_("from"), max_length=200)
    to_party = models.CharField(_("to"), max_length=200)
    handed_over_at = models.DateTimeField(_("time (UTC)"))
    place = models.CharField(_("place"), max_length=300)
    seal_ids = models.CharField(_("seal ids"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["job", "handed_over_at", "pk"]
        verbose_name = _("custody handover")
        verbose_name_plural = _("custody handovers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_party__iexact=F("to_party")), name="handover_between_two_parties"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_party} → {self.to_party} · {self.handed_over_at:%Y-%m-%d %H:%M}"
