"""The retention schedule exports exactly the agreed columns, as CSV, XLSX and a PDF to sign."""

import csv
import datetime as dt
import http.server
import re
import subprocess
import threading

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from compliance.engine.reasons import verbatim
from compliance.models import Decision, ScheduleExport
from compliance.services import (
    decision_approve,
    decision_override,
    decision_second_approve,
    decisions_evaluate,
    hold_place,
)
from compliance.services import schedule as schedule_service
from compliance.tests.factories import DataSystemFactory, make_holding
from windown.models import AuditEvent
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
    "held_by",
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


def pdf_text(path) -> str:
    """Return the PDF's text in reading order, whitespace collapsed (cells wrap their lines)."""
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def test_the_pdf_has_bilingual_headings_labels_and_a_sign_off_block(
    schedule, tmp_path, legal, legal2
):
    pending = Decision.objects.get(holding__jurisdiction="DE")
    decision_override(
        by=legal, decision=pending, disposition="delete", delete_by=dt.date(2026, 12, 31),
        reason="Kept under Chinese law only: not for a German customer.",
    )  # fmt: skip
    target = tmp_path / "schedule.pdf"
    call_command("export_retention_schedule", "acme", "--format", "pdf", "-o", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    text = pdf_text(target)
    assert "Retention schedule" in text and "保留期限表" in text
    assert "Legal sign-off" in text and "法务签字确认" in text
    assert "not yet approved by legal" in text  # the override waits for a second approval
    assert "Pending second approval" in text and "Overridden" in text and "Approved" in text
    assert "Invoices" in text  # categories by their label
    # no raw keys: statuses, dispositions and categories are shown by their labels
    assert not re.findall(r"\b[a-z]+_[a-z_]+\b|commerce\.", text)


def test_held_rows_say_held_with_no_deletion_date(schedule, tmp_path, legal):
    hold_place(by=legal, reference="LH-9", reason="Tax audit", jurisdictions=["CN"])
    csv_target, pdf_target = tmp_path / "schedule.csv", tmp_path / "schedule.pdf"
    call_command("export_retention_schedule", "acme", "--format", "csv", "-o", str(csv_target))
    call_command("export_retention_schedule", "acme", "--format", "pdf", "-o", str(pdf_target))
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in csv.reader(csv_target.open())][1:]
    held = [row for row in rows if row["jurisdiction"] == "CN"]
    assert {(r["disposition"], r["delete_by"], r["held_by"]) for r in held} == {
        ("hold", "", "LH-9")
    }
    assert {r["status"] for r in held} == {"approved", "overridden"}  # reviews kept
    assert all(r["basis"].startswith("Held by LH-9: nothing may be destroyed.") for r in held)
    text = pdf_text(pdf_target)
    assert "held — no deletion date" in text


class _Listener(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        _Listener.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """A local HTTP server that records every request it gets."""
    _Listener.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Listener)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Listener.requests
    server.shutdown()


def hostile_html(base: str) -> str:
    return (
        f"<html><head><style>@font-face {{ font-family: X; src: url({base}/font.woff); }}"
        f"body {{ background: url({base}/background.png); font-family: X; }}</style>"
        f'<link rel="stylesheet" href="{base}/style.css"></head>'
        f'<body><p>Schedule</p><img src="{base}/tracker.png"></body></html>'
    )


def test_weasyprint_as_windown_runs_it_fetches_no_url_in_the_content(listener):
    base, requests = listener
    pdf = schedule_service.html_to_pdf(hostile_html(base))
    assert pdf.startswith(b"%PDF") and requests == []


def test_the_listener_would_see_weasyprint_fetch_without_windowns_fetcher(listener):
    from weasyprint import HTML

    base, requests = listener
    HTML(string=hostile_html(base)).write_pdf()
    assert {"/tracker.png", "/style.css"} <= set(requests)  # so the test above can fail


def test_markup_in_schedule_data_is_text_and_fetches_nothing(schedule, listener, tmp_path):
    base, requests = listener
    schedule.company_legal_name = f'<img src="{base}/company.png"> Acme'
    schedule.save()
    Decision.objects.filter(holding__jurisdiction="CN").update(
        basis_reasons=verbatim(f"<img src='{base}/basis.png'>")
    )
    target = tmp_path / "schedule.pdf"
    call_command("export_retention_schedule", "acme", "--format", "pdf", "-o", str(target))
    assert '<img src="' in pdf_text(target) and requests == []


def test_a_big_schedule_renders_on_the_worker_with_progress_and_a_download(
    schedule, client_for, legal, monkeypatch, eager_celery, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(schedule_service, "PDF_IN_REQUEST_LIMIT", 2)
    client = client_for(legal)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            reverse("compliance:schedule-export", kwargs={"slug": "acme", "fmt": "pdf"})
        )
    export = ScheduleExport.objects.get()
    assert response.status_code == 302 and response["Location"] == export.get_absolute_url()
    assert (export.status, export.progress, export.decisions) == ("done", 100, 3)
    page = client.get(export.get_absolute_url())
    assert page.status_code == 200 and b"Download the PDF" in page.content
    download = client.get(export.get_absolute_url(), {"download": 1})
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="compliance.schedule_pdf_rendered").count() == 1


def test_a_schedule_pdf_in_progress_shows_its_progress_and_no_download(schedule, client_for, legal):
    export = ScheduleExport.objects.create(
        winddown=schedule, requested_by=legal, decisions=3, status="rendering", progress=30
    )
    client = client_for(legal)
    page = client.get(export.get_absolute_url())
    assert page.status_code == 200 and b'value="30"' in page.content
    assert b'http-equiv="refresh"' in page.content
    early = client.get(export.get_absolute_url(), {"download": 1})
    assert early.status_code == 302


def test_another_members_schedule_pdf_is_not_found(schedule, client_for, legal, legal2):
    export = ScheduleExport.objects.create(winddown=schedule, requested_by=legal, decisions=3)
    assert client_for(legal2).get(export.get_absolute_url()).status_code == 404


def test_the_download_follows_the_members_scope(schedule, client_for, member):
    finance = client_for(member(Role.CUSTODIAN, department="Finance"))
    response = finance.get(
        reverse("compliance:schedule-export", kwargs={"slug": "acme", "fmt": "csv"})
    )
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and body.splitlines() == [",".join(COLUMNS)]
