"""Write the data map (or the empty template) as CSV or XLSX, in the import's columns.

Cells go through windown.spreadsheets (formulas neutralised, XLSX text written as strings).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from inventory.datamap.columns import COLUMNS, HELP, join_fields
from inventory.models import DataCategory, DataSystem, Holding
from windown import spreadsheets

EXAMPLE_ROW = {
    "system": "Order database (Aliyun RDS)",
    "system_kind": "database",
    "provider": "Aliyun",
    "region": "cn-shenzhen",
    "storage_country": "CN",
    "department": "Sales",
    "custodian_email": "",
    "category": "commerce.order",
    "source": "order",
    "jurisdiction": "DE",
    "records_total": 10000,
    "records_active": 2500,
    "records_dormant": 7500,
    "oldest_record": "2019-03-01",
    "newest_record": "2026-10-31",
    "fields": "order_no; name; address; items; total",
    "notes": "",
}


def _cell(value):
    return join_fields(value) if isinstance(value, list) else value


def rows_of(holdings: Iterable[dict]) -> Iterator[list]:
    """Turn holding value-dicts (see selectors.datamap_export_values) into spreadsheet rows."""
    for h in holdings:
        yield [_cell(h[name]) for name in COLUMNS]


def write_csv(rows: Iterable[list]) -> bytes:
    """Write UTF-8 with a BOM, so that Excel opens Chinese text correctly."""
    return ("\ufeff" + "".join(spreadsheets.csv_chunks(list(COLUMNS), rows))).encode("utf-8")


def write_xlsx(rows: Iterable[list], *, allowed_values: bool = False, winddown=None) -> bytes:
    sheets = {"datamap": (list(COLUMNS), rows)}
    if allowed_values:
        sheets[_("allowed values")] = ([], _allowed_values(winddown))
    buffer = io.BytesIO()
    spreadsheets.write_xlsx(sheets, buffer)
    return buffer.getvalue()


def _allowed_values(winddown) -> Iterator[list]:
    yield [_("column"), _("meaning")]
    for name in COLUMNS:
        yield [name, str(HELP[name])]
    yield []
    yield ["system_kind", *DataSystem.Kind.values]
    yield ["source", *Holding.Source.values]
    yield ["jurisdiction", "DE", "FR", "GB", "US", "US-CA", "CN", "JP", "OTHER", "…"]
    yield []
    yield ["category", _("label"), _("sensitivity"), _("record type")]
    for category in DataCategory.objects.filter(winddown=winddown).order_by("key"):
        yield [category.key, category.label, category.sensitivity, category.record_type]


def template_xlsx(winddown) -> bytes:
    """The empty data map: the header, one example row, and a sheet of allowed values."""
    return write_xlsx(
        [[_cell(EXAMPLE_ROW[c]) for c in COLUMNS]], allowed_values=True, winddown=winddown
    )
