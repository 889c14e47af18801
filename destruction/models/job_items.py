"""A destruction job's items: each thing the job destroys, with its own outcome."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from destruction.models.archives import Archive
from destruction.models.jobs import DestructionJob
from destruction.models.processors import ProcessorRequest
from inventory.models import DataSystem, Holding


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
