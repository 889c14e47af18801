"""How a job sanitizes (NIST SP 800-88): the levels, the techniques, and each one's parameters."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
