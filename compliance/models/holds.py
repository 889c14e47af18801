"""Legal holds (nothing in scope may be destroyed) and open matters (they need the data)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from compliance.engine import jurisdictions
from inventory.models import DataCategory, DataSystem, Holding
from windown.models import WindDown


class LegalHold(models.Model):
    """A hold over part of the data map: every holding in scope is kept whole until release.

    The scope is the holdings that match every dimension given (an empty dimension matches
    all). Customer references name whose records the hold protects; holdings count records in
    aggregate, so they never narrow the scope.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        RELEASED = "released", _("Released")

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="legal_holds", verbose_name=_("wind-down")
    )
    reference = models.CharField(_("reference"), max_length=60)
    case_reference = models.CharField(_("case reference"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    systems = models.ManyToManyField(
        DataSystem, blank=True, related_name="legal_holds", verbose_name=_("systems")
    )
    categories = models.ManyToManyField(
        DataCategory, blank=True, related_name="legal_holds", verbose_name=_("categories")
    )
    jurisdictions = models.JSONField(_("subject jurisdictions"), default=list, blank=True)
    customer_references = models.JSONField(_("customer references"), default=list, blank=True)
    # the holdings in scope, recorded when placed and kept current while active (new or
    # changed holdings are matched when evaluated); kept after release as its record
    holdings = models.ManyToManyField(
        Holding, blank=True, related_name="legal_holds", verbose_name=_("holdings covered")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("placed by")
    )
    placed_at = models.DateTimeField(_("placed at"))
    review_on = models.DateField(_("review date"), null=True, blank=True)
    review_reminded_on = models.DateField(_("review reminder sent on"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.TextField(_("release reason"), blank=True)

    class Meta:
        ordering = ["winddown", "status", "-placed_at"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.UniqueConstraint(
                fields=["winddown", "reference"], name="legalhold_reference_unique"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="legalhold_has_reason"),
            models.CheckConstraint(
                condition=Q(status="active")
                | (Q(released_by__isnull=False, released_at__isnull=False) & ~Q(release_reason="")),
                name="legalhold_release_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("compliance:hold-detail", kwargs={"slug": self.winddown.slug, "pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def covers(self, holding: Holding, system_ids: set[int], category_ids: set[int]) -> bool:
        """Say whether the hold covers a holding (pass the hold's system and category ids)."""
        if system_ids and holding.system_id not in system_ids:
            return False
        if category_ids and holding.category_id not in category_ids:
            return False
        if self.jurisdictions:
            return not set(self.jurisdictions).isdisjoint(_chain(holding.jurisdiction))
        return True


def _chain(code: str) -> tuple[str, ...]:
    """Return the jurisdiction and those it belongs to (DE -> DE, EU)."""
    return jurisdictions.chain(code) if jurisdictions.is_subject(code) else (code,)


class OpenMatter(models.Model):
    """An open order, return, complaint, dispute or chargeback that needs a customer's data."""

    class Type(models.TextChoices):
        ORDER = "order", _("Open order")
        RETURN = "return", _("Return")
        COMPLAINT = "complaint", _("Complaint")
        DISPUTE = "dispute", _("Dispute")
        CHARGEBACK = "chargeback", _("Chargeback")

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="open_matters", verbose_name=_("wind-down")
    )
    reference = models.CharField(_("reference"), max_length=60)
    matter_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    customer_reference = models.CharField(_("customer reference"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    holdings = models.ManyToManyField(
        Holding, blank=True, related_name="open_matters", verbose_name=_("covered holdings")
    )
    opened_on = models.DateField(_("opened on"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["winddown", "-opened_on", "reference"]
        verbose_name = _("open matter")
        verbose_name_plural = _("open matters")
        constraints = [
            models.UniqueConstraint(
                fields=["winddown", "reference"], name="openmatter_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("opened_on")),
                name="openmatter_resolved_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse(
            "compliance:matter-detail", kwargs={"slug": self.winddown.slug, "pk": self.pk}
        )

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None
