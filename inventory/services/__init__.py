"""Write operations of the inventory; every one checks the role matrix and is audited."""

from inventory.services.attestations import attestation_sign, attestation_statement
from inventory.services.holdings import holding_create, holding_delete, holding_update
from inventory.services.systems import (
    system_create,
    system_delete,
    system_status_change,
    system_update,
)
from inventory.services.taxonomy import category_update, taxonomy_seed

__all__ = [
    "attestation_sign",
    "attestation_statement",
    "category_update",
    "holding_create",
    "holding_delete",
    "holding_update",
    "system_create",
    "system_delete",
    "system_status_change",
    "system_update",
    "taxonomy_seed",
]
