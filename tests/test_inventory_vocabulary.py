"""The inventory's record types and shipped taxonomy use exactly the engine's vocabulary."""

from compliance.engine import RECORD_TYPES
from compliance.engine.types import ALL_PERSONAL_DATA
from inventory.models import RecordType
from inventory.services.taxonomy import shipped_taxonomy


def test_the_record_types_match_the_engine():
    assert set(RecordType.values) == RECORD_TYPES - {ALL_PERSONAL_DATA}


def test_every_shipped_category_names_an_engine_record_type():
    used = {entry["record_type"] for entry in shipped_taxonomy()["categories"]}
    assert used <= RECORD_TYPES
