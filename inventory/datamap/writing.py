"""Write the data map (or the empty template) as CSV or XLSX, in the import's columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from inventory.datamap.columns import COLUMNS, HELP, join_fields, neutralise
from inventory.models import DataCategory, DataSystem, Holding

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
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    if isinstance(value, list):
        value = join_fields(value)
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    return neutralise(str(value))


def rows_of(holdings: Iterable[dict]) -> Iterator[list]:
    """Turn holding value-dicts (see selectors.datamap_export_values) into spreadsheet rows."""
    for h in holdings:
        yield [_cell(h[name]) for name in COLUMNS]


def write_csv(rows: Iterable[list]) -> bytes:
    """Write UTF-8 with a BOM, so that Excel opens Chinese text correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(rows: Iterable[list], *, allowed_values: bool = False, winddown=None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("datamap")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    if allowed_values:
        _append_allowed_values(workbook.create_sheet(_("allowed values")), winddown)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append_allowed_values(sheet, winddown) -> None:
    sheet.append([_("column"), _("meaning")])
    for name in COLUMNS:
        sheet.append([name, str(HELP[name])])
    sheet.append([])
    sheet.append(["system_kind", *DataSystem.Kind.values])
    sheet.append(["source", *Holding.Source.values])
    sheet.append(["jurisdiction", "DE", "FR", "GB", "US", "US-CA", "CN", "JP", "OTHER", "…"])
    sheet.append([])
    sheet.append(["category", _("label"), _("sensitivity"), _("record type")])
    for category in DataCategory.objects.filter(winddown=winddown).order_by("key"):
        sheet.append([category.key, category.label, category.sensitivity, category.record_type])


def template_xlsx(winddown) -> bytes:
    """The empty data map: the header, one example row, and a sheet of allowed values."""
    return write_xlsx(
        [[_cell(EXAMPLE_ROW[c]) for c in COLUMNS]], allowed_values=True, winddown=winddown
    )
