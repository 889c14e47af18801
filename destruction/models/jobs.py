"""Destruction jobs: what is destroyed (items), how (NIST SP 800-88 method), by whom, with what
chain of custody, and what the gates said when it was performed.

The job is here; its items are in `job_items`, its chain of custody in `custody`, and the
method's levels and techniques in `sanitization`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from destruction.models.sanitization import TECHNIQUE_PARAMETERS, SanitizationLevel, Technique
from destruction.models.vendors import Vendor
from windown.models import WindDown


class DestructionJob(models.Model):
    """One destruction: items destroyed together by one method, performer and validator."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SCHEDULED = "scheduled", _("Scheduled")
        PERFORMED = "performed", _("Performed")
        VERIFIED = "verified", _("Verified")
        CERTIFIED = "certified", _("Certified")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    class VerificationMethod(models.TextChoices):
        FULL = "full", _("Full verification")
        SAMPLING = "sampling", _("Sampling")

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="destruction_jobs", verbose_name=_("wind-down")
    )
    reference = models.CharField(_("reference"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    vendor = models.ForeignKey(
        Vendor,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("vendor"),
    )
    vendor_override_reason = models.TextField(_("director's override of the vendor"), blank=True)
    vendor_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vendor override by"),
    )
    vendor_override_at = models.DateTimeField(_("vendor override at"), null=True, blank=True)
    # method (NIST SP 800-88 Rev. 2)
    sanitization_level = models.CharField(
        _("sanitization level"), max_length=20, choices=SanitizationLevel.choices, blank=True
    )
    technique = models.CharField(
        _("technique"), max_length=30, choices=Technique.choices, blank=True
    )
    overwrite_passes = models.PositiveSmallIntegerField(_("passes"), null=True, blank=True)
    overwrite_pattern = models.CharField(_("pattern"), max_length=200, blank=True)
    crypto_key_id = models.CharField(_("key id"), max_length=200, blank=True)
    degausser = models.CharField(_("degausser"), max_length=200, blank=True)
    degauss_field_strength = models.CharField(_("field strength"), max_length=100, blank=True)
    particle_size = models.CharField(_("particle size"), max_length=100, blank=True)
    deletion_statement = models.TextField(_("statement or tool run"), blank=True)
    verification_query = models.TextField(_("verification query"), blank=True)
    verification_query_result = models.TextField(_("verification query result"), blank=True)
    tool = models.CharField(_("tool"), max_length=200, blank=True)
    tool_version = models.CharField(_("tool version"), max_length=100, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for (UTC)"), null=True, blank=True)
    started_at = models.DateTimeField(_("started (UTC)"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished (UTC)"), null=True, blank=True)
    # people
    performer_name = models.CharField(_("performer"), max_length=200, blank=True)
    performer_title = models.CharField(
        _("performer: title, organisation"), max_length=200, blank=True
    )
    performer_contact = models.CharField(_("performer: contact"), max_length=200, blank=True)
    validator_name = models.CharField(_("validator"), max_length=200, blank=True)
    validator_title = models.CharField(
        _("validator: title, organisation"), max_length=200, blank=True
    )
    validator_contact = models.CharField(_("validator: contact"), max_length=200, blank=True)
    witness_name = models.CharField(_("witness"), max_length=200, blank=True)
    witness_title = models.CharField(_("witness: title, organisation"), max_length=200, blank=True)
    witness_contact = models.CharField(_("witness: contact"), max_length=200, blank=True)
    # verification
    verification_method = models.CharField(
        _("verification method"), max_length=20, choices=VerificationMethod.choices, blank=True
    )
    verification_sample_percent = models.DecimalField(
        _("sample (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    verification_result = models.TextField(_("verification result"), blank=True)
    # gates: as evaluated when scheduled, and as stored at performance time (certificates print it)
    gates_at_schedule = models.JSONField(_("gates when scheduled"), default=list, blank=True)
    gates_at_performance = models.JSONField(_("gates when performed"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("performance recorded by"),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verification recorded by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        ordering = ["winddown", "-created_at", "-pk"]
        verbose_name = _("destruction job")
        verbose_name_plural = _("destruction jobs")
        constraints = [
            models.UniqueConstraint(
                fields=["winddown", "reference"], name="destructionjob_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(validator_name="") | ~Q(validator_name__iexact=F("performer_name")),
                name="destructionjob_validator_not_performer",
                violation_error_message=_("The validator must not be the performer."),
            ),
            models.CheckConstraint(
                condition=Q(vendor_override_by__isnull=True) | ~Q(vendor_override_reason=""),
                name="destructionjob_vendor_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(started_at__isnull=True)
                | Q(finished_at__isnull=True)
                | Q(finished_at__gte=F("started_at")),
                name="destructionjob_finished_after_started",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["performed", "verified", "certified"])
                | (
                    ~Q(performer_name="")
                    & ~Q(technique="")
                    & ~Q(sanitization_level="")
                    & Q(started_at__isnull=False, finished_at__isnull=False)
                ),
                name="destructionjob_performed_has_method",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["verified", "certified"])
                | (~Q(validator_name="") & ~Q(verification_method="") & ~Q(verification_result="")),
                name="destructionjob_verified_has_validator",
            ),
            models.CheckConstraint(
                condition=Q(verification_method="sampling", verification_sample_percent__gt=0)
                & Q(verification_sample_percent__lte=100)
                | ~Q(verification_method="sampling") & Q(verification_sample_percent__isnull=True),
                name="destructionjob_sampling_has_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("destruction:job-detail", kwargs={"slug": self.winddown.slug, "pk": self.pk})

    @property
    def vendor_overridden(self) -> bool:
        return self.vendor_override_by_id is not None

    @property
    def technique_parameters(self) -> dict[str, object]:
        """Return the technique's parameters by field name (what the certificate states)."""
        return {name: getattr(self, name) for name in TECHNIQUE_PARAMETERS.get(self.technique, ())}

    @property
    def technique_parameter_labels(self) -> list[tuple[str, object]]:
        """Return the technique's parameters as (verbose name, value) for pages."""
        return [
            (self._meta.get_field(name).verbose_name, value)
            for name, value in self.technique_parameters.items()
        ]

    def person(self, role: str) -> str:
        """Return "name · title, organisation · contact" of the performer, validator or witness."""
        parts = [getattr(self, f"{role}_{part}") for part in ("name", "title", "contact")]
        return " · ".join(p for p in parts if p)

    @property
    def performer(self) -> str:
        return self.person("performer")

    @property
    def validator(self) -> str:
        return self.person("validator")

    @property
    def witness(self) -> str:
        return self.person("witness")
