"""Decisions: what happens to one holding, as the engine proposed it and legal reviewed it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, DateField, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from compliance import reasons
from compliance.models.holds import LegalHold
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

# A decision with legal's review removed (back to a proposal).
CLEARED_REVIEW = {
    "status": "proposed",
    "reviewed_by": None,
    "reviewed_at": None,
    "approved_by": None,
    "approved_at": None,
    "approved_fingerprint": "",
    "override_disposition": "",
    "override_retain_until": None,
    "override_delete_by": None,
    "override_reason": "",
    "overridden_by": None,
    "second_approver": None,
}


class DecisionQuerySet(models.QuerySet):
    """The one home of what is in force: legal's review, and legal holds laid over it."""

    def _held(self) -> Exists:
        return Exists(
            LegalHold.holdings.through.objects.filter(
                holding_id=OuterRef("holding_id"), legalhold__status=LegalHold.Status.ACTIVE
            )
        )

    def under_active_hold(self) -> DecisionQuerySet:
        """Decisions whose holding an active legal hold covers: nothing may be destroyed."""
        return self.filter(self._held())

    def not_under_active_hold(self) -> DecisionQuerySet:
        return self.filter(~self._held())

    def effective(self) -> DecisionQuerySet:
        """Decisions legal's review made effective: approved, or overridden and approved."""
        return self.filter(status__in=Decision.EFFECTIVE)

    def in_force(self) -> DecisionQuerySet:
        """Effective decisions no active legal hold covers: what destruction may act on."""
        return self.effective().not_under_active_hold()

    def in_force_to(self, dispositions: list[str]) -> DecisionQuerySet:
        """In force, with one of these dispositions in force (`hold` is never in force).

        with_effective()'s rule as plain conditions: the planner estimates their rows (a CASE
        over an EXISTS it guesses at 1 %) and joins the holdings by hash, not row by row.
        """
        return self.in_force().filter(
            Q(status=Decision.Status.APPROVED, disposition__in=dispositions)
            | Q(status=Decision.Status.OVERRIDDEN, override_disposition__in=dispositions)
        )

    def with_effective(self) -> DecisionQuerySet:
        """Annotate `held` and the disposition and dates in force.

        An approved override replaces the engine's proposal; a hold lays `hold` over either,
        with no deletion date (the retain-until stays: destruction waits for it too).
        """
        overridden = Q(status=Decision.Status.OVERRIDDEN)
        return self.annotate(
            held=self._held(),
            effective_disposition=Case(
                When(held=True, then=Value(Disposition.HOLD.value)),
                When(overridden, then=F("override_disposition")),
                default=F("disposition"),
                output_field=CharField(),
            ),
            effective_retain_until=Case(
                When(overridden, then=F("override_retain_until")),
                default=F("retain_until"),
                output_field=DateField(),
            ),
            effective_delete_by=Case(
                When(held=True, then=Value(None, output_field=DateField())),
                When(overridden, then=F("override_delete_by")),
                default=F("delete_by"),
                output_field=DateField(),
            ),
        )


class Decision(models.Model):
    """A holding (one system x category x source x subject jurisdiction) → its disposition.

    The engine's proposal is stored with its fingerprint; legal approves it, or overrides it
    with a reason (effective once a *different* legal member approves: four-eyes). When the
    proposal's inputs change the decision becomes stale and is proposed again; an approval
    survives only if the fingerprint is unchanged. A legal hold is laid over the decision
    (DecisionQuerySet.with_effective) and leaves its review as it is.

    retain_until is the last day a retention duty keeps the data: destruction may not run
    before the day after it, whatever the disposition (a delete whose duty ends by the
    deadline carries it too).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        OVERRIDDEN = "overridden", _("Overridden")
        PENDING_SECOND_APPROVAL = "pending_second_approval", _("Pending second approval")
        STALE = "stale", _("Stale")

    EFFECTIVE = (Status.APPROVED, Status.OVERRIDDEN)

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
    # the engine's texts, stored as reasons (code + parameters, compliance.engine.reasons) and
    # worded in the reader's language: basis, conflict_reason, review_note
    basis_reasons = models.JSONField(_("basis"), default=list)
    considered = models.JSONField(_("rules considered"), default=list, blank=True)
    keep_fields = models.JSONField(_("fields kept"), default=list, blank=True)
    drop_fields = models.JSONField(_("fields dropped or masked"), default=list, blank=True)
    conflict = models.BooleanField(_("conflict"), default=False)
    conflict_reasons = models.JSONField(_("conflict"), default=list, blank=True)
    fingerprint = models.CharField(_("proposal fingerprint"), max_length=64)
    as_of = models.DateField(_("evaluated as of"))
    evaluated_at = models.DateTimeField(_("evaluated at"))
    review_reasons = models.JSONField(_("why it is back in review"), default=list, blank=True)
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

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["holding__system__name", "holding__category__key", "holding_id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [
            # Covers the dashboard's counts (compliance and destruction panels) in an index-only
            # scan: the rows are wide (rationale, citations), the index is a tenth of the heap.
            models.Index(
                fields=["winddown", "status", "disposition", "conflict"],
                include=["override_disposition", "holding", "id"],
                name="decision_status_counts",
            ),
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

    def clear_review(self, note: list[dict]) -> None:
        """Drop legal's review (back to a proposal, with a note why, as reasons); the caller
        saves."""
        for name, value in CLEARED_REVIEW.items():
            setattr(self, name, value)
        self.review_reasons = note

    @property
    def basis(self) -> str:
        """Return the engine's basis in the active language."""
        return reasons.render(self.basis_reasons)

    @property
    def conflict_reason(self) -> str:
        return reasons.render(self.conflict_reasons)

    @property
    def review_note(self) -> str:
        """Return why the decision is back in review, in the active language ('' if not)."""
        return reasons.render(self.review_reasons)

    @property
    def citations(self) -> list[str]:
        """Return the citations of the rules that applied, in ruleset order."""
        return [o["citation"] for o in self.considered if o["applied"]]
