"""Destruction jobs: what is destroyed (items), how (NIST SP 800-88 method), by whom, with what
chain of custody, and what the gates said when it was performed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from destruction.models.archives import Archive
from destruction.models.processors import ProcessorRequest
from destruction.models.vendors import Vendor
from inventory.models import DataSystem, Holding
from windown.models import WindDown


class SanitizationLevel(models.TextChoices):
    """NIST SP 800-88 Rev. 2 levels, with IEEE 2883-2022's word alongside."""

    CLEAR = "clear", _("Clear (IEEE 2883: Clear)")
    PURGE = "purge", _("Purge (IEEE 2883: Purge)")
    DESTROY = "destroy", _("Destroy (IEEE 2883: Destruct)")


class Technique(models.TextChoices):
    """Sanitization techniques; the parameters each needs are fields of the job."""

    OVERWRITE = "overwrite", _("Overwrite (IEEE 2883: Overwrite)")
    BLOCK_ERASE = "block_erase", _("Block erase (IEEE 2883: Block Erase)")
    CRYPTO_ERASE = "crypto_erase", _("Cryptographic erase (IEEE 2883: Cryptographic Erase)")
    DEGAUSS = "degauss", _("Degauss")
    SHRED = "shred", _("Shred (IEEE 2883: Destruct, shred)")
    DISINTEGRATE = "disintegrate", _("Disintegrate (IEEE 2883: Destruct, disintegrate)")
    INCINERATE = "incinerate", _("Incinerate (IEEE 2883: Destruct, incinerate)")
    PULP = "pulp", _("Pulp (paper)")
    LOGICAL_DELETION = "logical_deletion", _("Logical deletion in a database")


# The parameters each technique must state (field names of DestructionJob).
TECHNIQUE_PARAMETERS: dict[str, tuple[str, ...]] = {
    Technique.OVERWRITE: ("overwrite_passes", "overwrite_pattern"),
    Technique.BLOCK_ERASE: (),
    Technique.CRYPTO_ERASE: ("crypto_key_id",),
    Technique.DEGAUSS: ("degausser", "degauss_field_strength"),
    Technique.SHRED: ("particle_size",),
    Technique.DISINTEGRATE: ("particle_size",),
    Technique.INCINERATE: (),
    Technique.PULP: (),
    Technique.LOGICAL_DELETION: ("deletion_statement", "verification_query"),
}


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


class JobItem(models.Model):
    """One thing a job destroys, with its own outcome."""

    class Kind(models.TextChoices):
        HOLDING = "holding", _("Holding (delete)")
        ARCHIVE_ORIGINAL = "archive_original", _("Original of an archived holding")
        MEDIA = "media", _("Physical media")
        PROCESSOR_REQUEST = "processor_request", _("Processor deletion request")
        ARCHIVE_SHRED = "archive_shred", _("Archive crypto-shred")

    class Outcome(models.TextChoices):
        DESTROYED = "destroyed", _("Destroyed")
        DESTROYED_WITH_EXCEPTIONS = "destroyed_with_exceptions", _("Destroyed with exceptions")
        FAILED = "failed", _("Failed")

    class MediaType(models.TextChoices):
        HDD = "hdd", _("Hard disk drive")
        SSD = "ssd", _("Solid-state drive")
        USB_FLASH = "usb_flash", _("USB flash drive")
        MEMORY_CARD = "memory_card", _("Memory card")
        MOBILE = "mobile", _("Phone or tablet")
        OPTICAL = "optical", _("Optical disc")
        TAPE = "tape", _("Tape")
        PAPER = "paper", _("Paper")
        OTHER = "other", _("Other")

    job = models.ForeignKey(
        DestructionJob, models.CASCADE, related_name="items", verbose_name=_("job")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    holding = models.ForeignKey(
        Holding,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="destruction_items",
        verbose_name=_("holding"),
    )
    system = models.ForeignKey(
        DataSystem,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="destruction_items",
        verbose_name=_("source system"),
    )
    archive = models.ForeignKey(
        Archive,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="destruction_items",
        verbose_name=_("archive"),
    )
    processor_request = models.ForeignKey(
        ProcessorRequest,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="destruction_items",
        verbose_name=_("processor request"),
    )
    manufacturer = models.CharField(_("manufacturer"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    asset_number = models.CharField(_("asset / property number"), max_length=100, blank=True)
    media_type = models.CharField(
        _("media type"), max_length=20, choices=MediaType.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    exception_text = models.TextField(_("exception"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    result = models.JSONField(_("result record"), default=dict, blank=True)

    class Meta:
        ordering = ["job", "pk"]
        verbose_name = _("job item")
        verbose_name_plural = _("job items")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["holding", "archive_original"]) | Q(holding__isnull=False),
                name="jobitem_holding_kind_has_holding",
            ),
            models.CheckConstraint(
                condition=~Q(kind="archive_shred") | Q(archive__isnull=False),
                name="jobitem_archive_shred_has_archive",
            ),
            models.CheckConstraint(
                condition=~Q(kind="processor_request") | Q(processor_request__isnull=False),
                name="jobitem_processor_kind_has_request",
            ),
            models.CheckConstraint(
                condition=~Q(kind="media")
                | (~Q(media_type="") & (Q(system__isnull=False) | ~Q(serial_number=""))),
                name="jobitem_media_identified",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="destroyed_with_exceptions") | ~Q(exception_text=""),
                name="jobitem_exception_stated",
            ),
            models.UniqueConstraint(
                fields=["job", "holding"],
                condition=Q(holding__isnull=False),
                name="jobitem_holding_once_per_job",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job.reference} · {self.label}"

    @property
    def label(self) -> str:
        """Name what the item is, the way the job page and the gates name it."""
        if self.kind in (self.Kind.HOLDING, self.Kind.ARCHIVE_ORIGINAL):
            return str(self.holding)
        if self.kind == self.Kind.MEDIA:
            parts = [
                self.manufacturer,
                self.model,
                self.serial_number and f"S/N {self.serial_number}",
            ]
            described = " ".join(p for p in parts if p)
            return f"{self.system} ({described})" if self.system else described
        if self.kind == self.Kind.PROCESSOR_REQUEST:
            return str(self.processor_request)
        return str(self.archive)

    @property
    def display_label(self) -> str:
        """The label for a reader, in the active language (`label` is the recorded one)."""
        if self.kind in (self.Kind.HOLDING, self.Kind.ARCHIVE_ORIGINAL) and self.holding_id:
            return self.holding.label
        return self.label


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
