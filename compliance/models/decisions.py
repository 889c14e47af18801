"""Decisions: what happens to one holding, as the engine proposed it and legal reviewed it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from compliance.models.rulesets import Ruleset
from inventory.models import Holding
from windown.models import WindDown


class Disposition(models.TextChoices):
    """The engine's dispositions (compliance.engine.Disposition; a test keeps them equal)."""

    DELETE_NOW = "delete_now", _("Delete now")
    DELETE = "delete", _("Delete")
    RETAIN_UNTIL_RESOLVED = "retain_until_resolved", _("Retain until resolved")
    ARCHIVE = "archive", _("Archive")
    HOLD = "hold", _("Legal hold")


# What legal may choose in an override; holds and matters have their own pages.
OVERRIDE_DISPOSITIONS = [Disposition.DELETE_NOW, Disposition.DELETE, Disposition.ARCHIVE]


class Decision(models.Model):
    """A holding (one system x category x source x subject jurisdiction) → its disposition.

    The engine's proposal is stored with its fingerprint; legal approves it, or overrides it
    with a reason (effective once a *different* legal member approves: four-eyes). When the
    proposal's inputs change the decision becomes stale and is proposed again; an approval
    survives only if the fingerprint is unchanged.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        OVERRIDDEN = "overridden", _("Overridden")
        PENDING_SECOND_APPROVAL = "pending_second_approval", _("Pending second approval")
        STALE = "stale", _("Stale")

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="decisions", verbose_name=_("wind-down")
    )
    holding = models.OneToOneField(
        Holding, models.CASCADE, related_name="decision", verbose_name=_("holding")
    )
    ruleset = models.ForeignKey(
        Ruleset, models.PROTECT, related_name="decisions", verbose_name=_("ruleset used")
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.PROPOSED
    )
    # the status a stale decision returns to if its proposal turns out unchanged
    status_before_stale = models.CharField(max_length=30, choices=Status.choices, blank=True)
    # the engine's proposal
    disposition = models.CharField(_("disposition"), max_length=30, choices=Disposition.choices)
    retain_until = models.DateField(_("retain until"), null=True, blank=True)
    delete_by = models.DateField(_("delete by"))
    basis = models.TextField(_("basis"))
    considered = models.JSONField(_("rules considered"), default=list, blank=True)
    keep_fields = models.JSONField(_("fields kept"), default=list, blank=True)
    drop_fields = models.JSONField(_("fields dropped or masked"), default=list, blank=True)
    conflict = models.BooleanField(_("conflict"), default=False)
    conflict_reason = models.TextField(_("conflict"), blank=True)
    fingerprint = models.CharField(_("proposal fingerprint"), max_length=64)
    as_of = models.DateField(_("evaluated as of"))
    evaluated_at = models.DateTimeField(_("evaluated at"))
    review_note = models.TextField(_("why it is back in review"), blank=True)
    # legal's review
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_fingerprint = models.CharField(max_length=64, blank=True)
    override_disposition = models.CharField(
        _("override: disposition"), max_length=30, choices=Disposition.choices, blank=True
    )
    override_retain_until = models.DateField(_("override: retain until"), null=True, blank=True)
    override_delete_by = models.DateField(_("override: delete by"), null=True, blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overridden by"),
    )
    second_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second approver"),
    )
    # set by the destruction phase when a job destroys the holding (compliance's service)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    executed_by_job = models.CharField(
        _("executed by job"), max_length=30, blank=True, default="", db_default=""
    )

    class Meta:
        ordering = ["holding__system__name", "holding__category__key", "holding_id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [
            models.Index(fields=["winddown", "status"]),
            models.Index(fields=["winddown", "disposition"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(second_approver__isnull=True) | ~Q(second_approver=F("overridden_by")),
                name="decision_four_eyes",
                violation_error_message=_("The second approver must not be the one who overrode."),
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(approved_by__isnull=False, reviewed_by__isnull=False),
                name="decision_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["pending_second_approval", "overridden"])
                | (
                    Q(overridden_by__isnull=False)
                    & ~Q(override_reason="")
                    & ~Q(override_disposition="")
                    & Q(override_delete_by__isnull=False)
                ),
                name="decision_override_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="overridden") | Q(second_approver__isnull=False),
                name="decision_overridden_has_second_approver",
            ),
            models.CheckConstraint(
                condition=~Q(status="stale") | ~Q(status_before_stale=""),
                name="decision_stale_remembers_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holding} → {self.disposition}"

    def get_absolute_url(self) -> str:
        return reverse(
            "compliance:decision-detail", kwargs={"slug": self.winddown.slug, "pk": self.pk}
        )

    @property
    def is_effective(self) -> bool:
        """Say whether legal's review is complete (approved, or overridden and approved)."""
        return self.status in (self.Status.APPROVED, self.Status.OVERRIDDEN)

    @property
    def effective_disposition(self) -> str:
        if self.status == self.Status.OVERRIDDEN:
            return self.override_disposition
        return self.disposition

    @property
    def effective_retain_until(self):
        if self.status == self.Status.OVERRIDDEN:
            return self.override_retain_until
        return self.retain_until

    @property
    def effective_delete_by(self):
        if self.status == self.Status.OVERRIDDEN:
            return self.override_delete_by
        return self.delete_by

    @property
    def citations(self) -> list[str]:
        """Return the citations of the rules that applied, in ruleset order."""
        return [o["citation"] for o in self.considered if o["applied"]]
