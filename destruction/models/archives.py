"""Archives of what the law keeps: custodian keys, the encrypted archive, its key envelope.

The archive's data is encrypted (age format) to a fresh per-archive X25519 identity; that
identity is encrypted to the custodians' public keys and kept as the key envelope, in the
database, apart from the ciphertext in storage. Deleting every envelope makes the ciphertext
unreadable (crypto-shredding); the manifest survives as the record of what was kept and shredded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from compliance.models import Decision
from windown.models import WindDown


class CustodianKey(models.Model):
    """A custodian's age public key (`age1…`); the custodian keeps the private key offline."""

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="custodian_keys", verbose_name=_("wind-down")
    )
    custodian_name = models.CharField(_("custodian"), max_length=200)
    custodian_email = models.EmailField(_("custodian's email"), blank=True)
    recipient = models.CharField(_("age public key"), max_length=100)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    registered_at = models.DateTimeField(_("registered at"))
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retired by"),
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    retire_reason = models.TextField(_("why it was retired"), blank=True)

    class Meta:
        ordering = ["winddown", "custodian_name", "registered_at"]
        verbose_name = _("custodian key")
        verbose_name_plural = _("custodian keys")
        constraints = [
            models.UniqueConstraint(
                fields=["winddown", "recipient"], name="custodiankey_recipient_unique"
            ),
            models.CheckConstraint(
                condition=Q(recipient__startswith="age1"), name="custodiankey_is_age_recipient"
            ),
            models.CheckConstraint(
                condition=Q(retired_at__isnull=True)
                | (Q(retired_by__isnull=False) & ~Q(retire_reason="")),
                name="custodiankey_retired_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.custodian_name} ({self.recipient[:12]}…)"

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class Archive(models.Model):
    """One encrypted archive of the records an `archive` decision keeps."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ENCRYPTED = "encrypted", _("Encrypted, not verified")
        VERIFIED = "verified", _("Verified")
        SHREDDED = "shredded", _("Crypto-shredded")

    class Verification(models.TextChoices):
        SHA256 = "sha256", _("The custodian reported the SHA-256 of the decrypted file")
        READ_BACK = "read_back", _("Read back with decrypt_archive and the custodian's identity")

    winddown = models.ForeignKey(
        WindDown, models.CASCADE, related_name="archives", verbose_name=_("wind-down")
    )
    decision = models.ForeignKey(
        Decision, models.PROTECT, related_name="archives", verbose_name=_("decision")
    )
    reference = models.CharField(_("reference"), max_length=30)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    retain_until = models.DateField(_("retain until"), null=True, blank=True)
    source_name = models.CharField(_("uploaded file"), max_length=255)
    source_sha256 = models.CharField(_("SHA-256 of the uploaded file"), max_length=64)
    row_count = models.PositiveBigIntegerField(_("rows"), default=0)
    columns_kept = models.JSONField(_("columns kept"), default=list)
    columns_dropped = models.JSONField(_("columns dropped"), default=list, blank=True)
    plaintext_sha256 = models.CharField(_("SHA-256 of the archived CSV"), max_length=64)
    plaintext_size = models.PositiveBigIntegerField(_("size of the archived CSV"), default=0)
    ciphertext_sha256 = models.CharField(_("SHA-256 of archive.age"), max_length=64)
    ciphertext_size = models.PositiveBigIntegerField(_("size of archive.age"), default=0)
    ciphertext_name = models.CharField(_("storage object"), max_length=300)
    archive_public_key = models.CharField(_("archive's public key"), max_length=100)
    recipients = models.JSONField(_("custodian recipients"), default=list)
    manifest = models.JSONField(_("manifest"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verification recorded by"),
    )
    verified_custodian = models.CharField(
        _("custodian who read it back"), max_length=200, blank=True
    )
    verification_method = models.CharField(
        _("verification"), max_length=20, choices=Verification.choices, blank=True
    )
    due_noticed_at = models.DateTimeField(_("due for shredding since"), null=True, blank=True)
    shredded_at = models.DateTimeField(_("shredded at"), null=True, blank=True)
    shredded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shredded by"),
    )
    backups_hold_envelope_until = models.DateField(
        _("database backups hold the envelope until"), null=True, blank=True
    )
    shred_record = models.JSONField(_("crypto-shred record"), default=dict, blank=True)
    exports = models.JSONField(_("exported copies"), default=list, blank=True)

    class Meta:
        ordering = ["winddown", "-created_at"]
        verbose_name = _("archive")
        verbose_name_plural = _("archives")
        constraints = [
            models.UniqueConstraint(
                fields=["winddown", "reference"], name="archive_reference_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="verified")
                | Q(verified_at__isnull=False, verified_by__isnull=False),
                name="archive_verified_has_verifier",
            ),
            models.CheckConstraint(
                condition=~Q(status="shredded")
                | Q(shredded_at__isnull=False, backups_hold_envelope_until__isnull=False),
                name="archive_shredded_has_record",
            ),
        ]
        indexes = [models.Index(fields=["winddown", "status", "retain_until"])]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse(
            "destruction:archive-detail", kwargs={"slug": self.winddown.slug, "pk": self.pk}
        )

    @property
    def is_shredded(self) -> bool:
        return self.status == self.Status.SHREDDED


class ArchiveKeyEnvelope(models.Model):
    """The archive's identity, age-encrypted to the custodian recipients (never in storage)."""

    archive = models.ForeignKey(
        Archive, models.CASCADE, related_name="envelopes", verbose_name=_("archive")
    )
    envelope = models.BinaryField(_("envelope (age)"))
    recipients = models.JSONField(_("recipients"), default=list)
    sha256 = models.CharField(_("SHA-256 of envelope.age"), max_length=64)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["archive", "created_at"]
        verbose_name = _("key envelope")
        verbose_name_plural = _("key envelopes")

    def __str__(self) -> str:
        return f"{self.archive} envelope {self.pk}"
