"""Write operations of the inventory; every one checks the role matrix and is audited."""

from inventory.services.taxonomy import category_update, taxonomy_seed

__all__ = ["category_update", "taxonomy_seed"]
