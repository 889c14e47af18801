"""Build data-map files for the tests: CSV in any encoding, XLSX through openpyxl."""

import csv
import io

from openpyxl import Workbook

from inventory.datamap.columns import COLUMNS

GOOD_ROW = {
    "system": "Order DB",
    "system_kind": "database",
    "provider": "Aliyun",
    "region": "cn-shenzhen",
    "storage_country": "CN",
    "department": "Sales",
    "custodian_email": "",
    "category": "commerce.order",
    "source": "order",
    "jurisdiction": "DE",
    "records_total": "10000",
    "records_active": "2500",
    "records_dormant": "7500",
    "oldest_record": "2019-03-01",
    "newest_record": "2026-10-31",
    "fields": "order_no; address",
    "notes": "",
}


def row(**changes) -> dict:
    return {**GOOD_ROW, **changes}


def csv_bytes(rows: list[dict], *, encoding: str = "utf-8", header=None) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header or COLUMNS)
    writer.writerows([r.get(c, "") for c in COLUMNS] for r in rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict], *, header=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or list(COLUMNS))
    for r in rows:
        sheet.append([r.get(c, "") for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sales_rows(n: int, **changes) -> list[dict]:
    """n valid rows in two systems of Sales, each a distinct slice."""
    jurisdictions = ["DE", "FR", "GB", "US", "US-CA", "JP", "CN", "OTHER", "NL", "IT"]
    return [
        row(
            system=f"Sales system {i % 2}",
            jurisdiction=jurisdictions[i % len(jurisdictions)],
            source=["order", "registration", "support", "marketing"][i // 20 % 4],
            category=["commerce.order", "user.contact.email"][i // 10 % 2],
            **changes,
        )
        for i in range(n)
    ]
