"""Exporting the data map: same columns as the import, round-trip identical, no formulas."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inventory.datamap.columns import COLUMNS
from inventory.datamap.writing import rows_of, write_csv, write_xlsx
from inventory.selectors import datamap_export_values
from inventory.services.datamap import datamap_import
from inventory.tests.factories import DataSystemFactory, HoldingFactory
from inventory.tests.sheets import csv_bytes, row, sales_rows, xlsx_bytes
from windown.spreadsheets import neutralise, unneutralise

DANGEROUS = ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=already"]


def export_csv(winddown) -> bytes:
    return write_csv(rows_of(datamap_export_values(winddown)))


def export_xlsx(winddown) -> bytes:
    return write_xlsx(rows_of(datamap_export_values(winddown)))


def xlsx_values(data: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(data), read_only=True)["datamap"]
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("value", DANGEROUS)
def test_neutralise_is_undone_exactly_by_unneutralise(value):
    assert neutralise(value).startswith("'")
    assert unneutralise(neutralise(value)) == value
    assert neutralise("plain") == "plain" and unneutralise("it's") == "it's"


def test_a_csv_export_reimports_unchanged_and_exports_byte_identical(director):
    rows = [*sales_rows(30), row(notes="客户 “VIP”, 含逗号", fields="姓名; 电话")]
    datamap_import(by=director, data=csv_bytes(rows), filename="in.csv")
    first = export_csv(director.winddown)
    report = datamap_import(by=director, data=first, filename="export.csv")
    assert report.ok and report.holdings.unchanged == 31 and report.systems.unchanged == 3
    assert export_csv(director.winddown) == first


def test_an_xlsx_export_reimports_unchanged_and_exports_the_same_cells(director):
    datamap_import(by=director, data=xlsx_bytes(sales_rows(30)), filename="in.xlsx")
    first = export_xlsx(director.winddown)
    assert xlsx_values(first)[0] == COLUMNS
    report = datamap_import(by=director, data=first, filename="export.xlsx")
    assert report.ok and report.holdings.unchanged == 30
    assert xlsx_values(export_xlsx(director.winddown)) == xlsx_values(first)


def test_csv_and_xlsx_exports_hold_the_same_rows(director):
    datamap_import(by=director, data=csv_bytes(sales_rows(10)), filename="in.csv")
    text = export_csv(director.winddown).decode("utf-8-sig")
    from_csv = list(csv.reader(io.StringIO(text)))
    from_xlsx = [
        ["" if v is None else str(v) for v in r]
        for r in xlsx_values(export_xlsx(director.winddown))
    ]
    assert from_csv == from_xlsx


def test_cells_that_would_run_as_formulas_are_neutralised_and_round_trip(director):
    system = DataSystemFactory(winddown=director.winddown, name="=cmd|' /C calc'!A0")
    jurisdictions = ["DE", "FR", "GB", "US", "JP", "CN", "NL"]
    for jurisdiction, notes in zip(jurisdictions, DANGEROUS, strict=True):
        HoldingFactory(system=system, jurisdiction=jurisdiction, notes=notes, fields=["-x"])
    exported = export_csv(director.winddown).decode("utf-8-sig")
    cells = [c for r in csv.reader(io.StringIO(exported, newline="")) for c in r]
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(A1)" in cells and "''=already" in cells
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    workbook = load_workbook(io.BytesIO(export_xlsx(director.winddown)))
    kinds = {cell.data_type for r in workbook["datamap"].iter_rows() for cell in r}
    assert "f" not in kinds  # no formula cells at all
    for data, name in (
        (export_csv(director.winddown), "x.csv"),
        (export_xlsx(director.winddown), "x.xlsx"),
    ):
        again = datamap_import(by=director, data=data, filename=name)
        assert again.ok and again.holdings.unchanged == 7 and again.systems.unchanged == 1


def test_the_export_views_download_csv_and_xlsx(client_for, auditor, sales_holding):
    client = client_for(auditor)
    url = reverse("inventory:datamap-export", kwargs={"slug": "acme", "fmt": "csv"})
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").startswith(",".join(COLUMNS))
    xlsx = client.get(url.replace(".csv", ".xlsx"))
    assert len(xlsx_values(xlsx.content)) == 2


def test_the_template_has_an_example_row_and_the_allowed_values_and_imports(client_for, director):
    response = client_for(director).get(
        reverse("inventory:datamap-template", kwargs={"slug": "acme"})
    )
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["datamap", "allowed values"]
    allowed = [r[0] for r in workbook["allowed values"].iter_rows(values_only=True) if r]
    assert "user.contact.email" in allowed and "system_kind" in allowed
    report = datamap_import(by=director, data=response.content, filename="template.xlsx")
    assert report.ok and report.holdings.created == 1
