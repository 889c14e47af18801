"""Archives: custodian keys, making an encrypted archive, verifying, exporting, crypto-shredding.

An archive is made in one pass over the uploaded export (see `archive_crypto`): the field plan
is applied and the CSV is encrypted as it streams; only ciphertext touches the disk. The
archive's own identity exists in memory only, until it is sealed in the key envelope.

The services live in `keys`, `creating`, `reading` (verify, decrypt, export) and `shredding`;
they are re-exported here, the one import path callers use.
"""

from destruction.services.archives.creating import archive_create
from destruction.services.archives.keys import custodian_key_register, custodian_key_retire
from destruction.services.archives.reading import archive_decrypt, archive_export, archive_verify
from destruction.services.archives.shredding import (
    archive_crypto_shred,
    archives_notice_due,
    backup_retention_days,
)

__all__ = [
    "archive_create",
    "archive_crypto_shred",
    "archive_decrypt",
    "archive_export",
    "archive_verify",
    "archives_notice_due",
    "backup_retention_days",
    "custodian_key_register",
    "custodian_key_retire",
]
