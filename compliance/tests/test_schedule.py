"""The retention schedule exports exactly the agreed columns, as CSV, XLSX and a PDF to sign."""

import csv
import datetime as dt
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from compliance.models import Decision
from compliance.services import (
    decision_approve,
    decision_override,
    decision_second_approve,
    decisions_evaluate,
)
from compliance.services.schedule import _refuse_network
from compliance.tests.factories import DataSystemFactory, make_holding
from windown.roles import Role

COLUMNS = [
    "system",
    "category",
    "source",
    "jurisdiction",
    "records_total",
    "disposition",
    "retain_until",
    "delete_by",
    "basis",
    "citations",
    "conflict",
    "status",
    "reviewed_by",
]


@pytest.fixture
def schedule(winddown, legal, legal2):
    shop = DataSystemFactory(winddown=winddown, name="Shop")
    cn = make_holding(winddown, system=shop, jurisdiction="CN", records_total=1200)
    make_holding(winddown, system=shop, jurisdiction="DE", records_total=300)
    profiles = make_holding(winddown, system=shop, key="commerce.marketing_profile")
    decisions_evaluate(winddown=winddown)
    decision_approve(by=legal, decision=Decision.objects.get(holding=cn))
    decision_override(
        by=legal,
        decision=Decision.objects.get(holding=profiles),
        disposition="delete_now",
        delete_by=dt.date(2026, 12, 1),
        reason="Consent withdrawn by every subject.",
    )
    decision_second_approve(by=legal2, decision=Decision.objects.get(holding=profiles))
    return winddown


def test_the_csv_has_exactly_the_agreed_columns_and_values(schedule, tmp_path, legal):
    target = tmp_path / "schedule.csv"
    call_command("export_retention_schedule", "acme", "--format", "csv", "-o", str(target))
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0] == COLUMNS
    by_jurisdiction = {(row[1], row[3]): dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    cn = by_jurisdiction[("commerce.invoice", "CN")]
    assert cn["records_total"] == "1200" and cn["disposition"] == "archive"
    assert cn["retain_until"] == "2054-12-31" and cn["delete_by"] == "2055-01-01"  # ISO dates
    assert cn["conflict"] == "no" and cn["status"] == "approved"
    assert cn["reviewed_by"] == legal.user.email and "会计档案管理办法" in cn["citations"]
    de = by_jurisdiction[("commerce.invoice", "DE")]
    assert (de["conflict"], de["status"], de["reviewed_by"]) == ("yes", "proposed", "")
    profile = by_jurisdiction[("commerce.marketing_profile", "CN")]
    assert (profile["disposition"], profile["delete_by"], profile["status"]) == (
        "delete_now",
        "2026-12-01",
        "overridden",
    )
    assert profile["basis"].startswith("Overridden by legal: Consent withdrawn")


def test_the_xlsx_has_the_same_columns_and_rows(schedule, tmp_path):
    target = tmp_path / "schedule.xlsx"
    call_command("export_retention_schedule", "acme", "--format", "xlsx", "-o", str(target))
    sheet = load_workbook(target, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS and len(rows) == 4
    assert {row[10] for row in rows[1:]} == {"yes", "no"}


def test_the_pdf_has_bilingual_headings_and_a_sign_off_block(schedule, tmp_path):
    target = tmp_path / "schedule.pdf"
    call_command("export_retention_schedule", "acme", "--format", "pdf", "-o", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Retention schedule" in text and "保留期限表" in text
    assert "Legal sign-off" in text and "法务签字确认" in text
    assert "not yet approved by legal" in text  # one proposal is still open


def test_the_pdf_renderer_fetches_nothing_from_the_network():
    with pytest.raises(ValueError, match="does not fetch"):
        _refuse_network("https://example.com/font.woff")


def test_the_download_follows_the_members_scope(schedule, client_for, member):
    finance = client_for(member(Role.CUSTODIAN, department="Finance"))
    response = finance.get(
        reverse("compliance:schedule-export", kwargs={"slug": "acme", "fmt": "csv"})
    )
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and body.splitlines() == [",".join(COLUMNS)]
