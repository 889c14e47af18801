"""The data-category taxonomy: shipped as data, seeded per wind-down, edited by legal."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from inventory.models import DataCategory
from inventory.services.common import holdings_changed_on_commit
from windown import roles
from windown.audit import audit_record
from windown.models import Membership, WindDown
from windown.updates import update_audited

TAXONOMY_FILE = Path(__file__).resolve().parent.parent / "data" / "taxonomy.yaml"
EDITABLE_FIELDS = ("label_en", "label_zh", "sensitivity", "record_type", "description")


@cache
def shipped_taxonomy() -> dict[str, Any]:
    """Return the shipped taxonomy file's content (version and categories)."""
    with TAXONOMY_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@transaction.atomic
def taxonomy_seed(*, winddown: WindDown) -> int:
    """Add the shipped categories the wind-down lacks; keep legal's edits. Return how many."""
    taxonomy = shipped_taxonomy()
    existing = set(winddown.data_categories.values_list("key", flat=True))
    missing = [
        DataCategory(
            winddown=winddown,
            key=entry["key"],
            label_en=entry["en"],
            label_zh=entry.get("zh", ""),
            sensitivity=entry["sensitivity"],
            record_type=entry["record_type"],
            description=entry.get("description", ""),
        )
        for entry in taxonomy["categories"]
        if entry["key"] not in existing
    ]
    if not missing:
        return 0
    DataCategory.objects.bulk_create(missing)
    audit_record(
        winddown=winddown,
        actor=None,
        action="inventory.taxonomy_seeded",
        payload={"version": taxonomy["version"], "created": sorted(c.key for c in missing)},
    )
    return len(missing)


@transaction.atomic
def category_update(*, by: Membership, category: DataCategory, **changes: Any) -> DataCategory:
    """Change a category's labels, sensitivity, record type or description (legal only)."""
    roles.require(by, "inventory.taxonomy.change")
    diff = update_audited(
        instance=category,
        changes=changes,
        editable=EDITABLE_FIELDS,
        winddown=category.winddown,
        actor=by.user,
        action="inventory.category_updated",
        payload={"key": category.key},
    )
    if diff.keys() & {"record_type", "sensitivity"}:  # which retention rules apply may change
        holdings_changed_on_commit(
            winddown=category.winddown,
            holding_ids=category.holdings.values_list("pk", flat=True),
        )
    return category
