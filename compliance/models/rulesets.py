"""The retention ruleset as versioned rows that legal edits; the engine validates them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance.engine import Binds, Effect, Start
from compliance.reasons import EFFECT_LABELS
from windown.models import WindDown

BINDS_LABELS = {
    Binds.COMPANY: _("binds the company"),
    Binds.SUBJECT: _("binds through the data subject"),
    Binds.PROCESSING: _("binds all processing in its territory"),
}
START_LABELS = {
    Start.END_OF_CALENDAR_YEAR: _("end of the calendar year"),
    Start.END_OF_FISCAL_YEAR: _("end of the fiscal year"),
    Start.FISCAL_YEAR_END_PLUS_MONTHS: _("end of the fiscal year plus months"),
    Start.CREATION: _("creation of the record"),
    Start.LAST_TRANSACTION: _("last transaction"),
    Start.DELIVERY: _("delivery of the goods"),
    Start.LIQUIDATION_COMPLETION: _("completion of the liquidation"),
}


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(member.value, label) for member, label in labels.items()]


# How `Ruleset.source` begins for a shipped file and for legal's edit (stored in English)
SHIPPED_SOURCE = "shipped with windown: "
EDITED_SOURCE = "edited by legal, based on "


class Ruleset(models.Model):
    """One version of a wind-down's retention rules. A published version is never edited:
    editing one starts a new draft version, which legal publishes."""

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="rulesets", verbose_name=_("wind-down")
    )
    version = models.CharField(_("version"), max_length=40)
    effective = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=300)
    based_on = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, verbose_name=_("based on")
    )
    treat_as = models.JSONField(_("record types evaluated as others"), default=dict, blank=True)
    not_mapped = models.JSONField(_("reference provisions without a rule"), default=list)
    subject_law = models.JSONField(
        _("data-protection laws' reach"),
        default=list,
        blank=True,
        help_text=_("Per law: the subjects it binds and whose law counts as a legal obligation."),
    )
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["winddown", "-created_at", "-pk"]
        verbose_name = _("ruleset")
        verbose_name_plural = _("rulesets")
        constraints = [
            models.UniqueConstraint(fields=["winddown", "version"], name="ruleset_version_unique"),
            models.UniqueConstraint(
                fields=["winddown"], condition=Q(published=False), name="ruleset_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(published=False) | Q(published_at__isnull=False),
                name="ruleset_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.version

    @property
    def source_label(self) -> str:
        """Where the version came from, in the reader's language (`source` is stored in
        English whatever language the page or command ran in)."""
        for prefix, wording in (
            (SHIPPED_SOURCE, gettext("shipped with windown: %s")),
            (EDITED_SOURCE, gettext("edited by legal, based on %s")),
        ):
            if self.source.startswith(prefix):
                return wording % self.source.removeprefix(prefix)
        return self.source


class Rule(models.Model):
    """One rule of a ruleset, in the ruleset file's vocabulary (see compliance/rulesets/)."""

    ruleset = models.ForeignKey(
        Ruleset, models.CASCADE, related_name="rules", verbose_name=_("ruleset")
    )
    position = models.PositiveIntegerField(_("position"))
    key = models.CharField(_("key"), max_length=80)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=10)
    binds = models.CharField(_("binds through"), max_length=10, choices=_choices(BINDS_LABELS))
    record_types = models.JSONField(_("record types"), default=list)
    effect = models.CharField(
        _("effect"),
        max_length=20,
        choices=_choices({Effect(k): v for k, v in EFFECT_LABELS.items()}),
    )
    condition = models.JSONField(
        _("condition (company rules)"),
        default=list,
        blank=True,
        help_text=_('Pairs that must all hold, in order: [["company_form", ["GmbH", "UG"]]]'),
    )
    subject_scope = models.JSONField(_("subjects concerned"), default=list, blank=True)
    period_months = models.PositiveIntegerField(_("period (months)"), null=True, blank=True)
    start = models.CharField(
        _("period starts at"), max_length=30, choices=_choices(START_LABELS), blank=True
    )
    start_months = models.PositiveSmallIntegerField(_("months after fiscal year end"), default=0)
    keep_fields = models.JSONField(_("fields kept in the archive"), default=list, blank=True)
    whole_record = models.BooleanField(
        _("keeps the record whole"),
        default=False,
        help_text=_("A record kept by law: archived whole, dropping only the fields below."),
    )
    drop_fields = models.JSONField(
        _("fields that are not part of the record"), default=list, blank=True
    )
    cross_border_only = models.BooleanField(
        _("cross-border subjects only"),
        default=False,
        help_text=_("Not for subjects in the company's own country (e.g. the EU OSS)."),
    )
    instrument = models.CharField(_("instrument"), max_length=300)
    article = models.CharField(_("article"), max_length=500)
    summary = models.TextField(_("summary"))
    source = models.CharField(_("source"), max_length=500)
    confidence = models.CharField(_("confidence"), max_length=10)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["ruleset", "position"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "key"], name="rule_key_unique"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def citation(self) -> str:
        return f"{self.instrument}, {self.article}"
