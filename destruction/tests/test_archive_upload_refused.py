"""A refused upload changes nothing (no archive, no stored file, no audit) and names where."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compliance.models import Decision
from destruction.models import Archive
from destruction.services.archives import archive_create
from destruction.tests.factories_archives import (
    INVOICE_COLUMNS,
    archive_decision,
    custodian,
    invoices_csv,
    kept,
)
from windown.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(winddown, legal, director):
    custodian(director)
    return archive_decision(winddown, legal)


def refused(it, decision, data: bytes, name="export.csv") -> str:
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        archive_create(by=it, decision=decision, upload=io.BytesIO(data), filename=name)
    assert Archive.objects.count() == 0
    assert AuditEvent.objects.count() == events
    return " ".join(error.value.messages)


def assert_storage_empty(media_root):
    files = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    assert files == []


def test_it_refuses_a_column_the_plan_does_not_mention(it, decision, media_root):
    message = refused(it, decision, invoices_csv(5, header=[*INVOICE_COLUMNS[:-1], "card_no"]))
    assert "Row 1" in message
    assert "does not mention column(s) card_no" in message
    assert "lacks field(s) the plan keeps" not in message
    assert_storage_empty(media_root)


def test_it_refuses_an_export_that_lacks_a_kept_field(it, decision, media_root):
    data = b"invoice_number,invoice_date,net_amount,buyer_name\r\nA,2024-01-01,1,X\r\n"
    message = refused(it, decision, data)
    assert "lacks field(s) the plan keeps:" in message
    assert "vat_amount" in message


def test_it_refuses_bad_encoding_naming_the_row_and_column(it, decision, media_root):
    data = invoices_csv(3000) + b"INV-X,2024-01-01,1,2,Zh\xff\xfeng,+86\r\n"
    message = refused(it, decision, data)
    assert "Row 3002, column buyer_name: byte 0xff is not UTF-8 text" in message
    assert_storage_empty(media_root)


def test_it_refuses_a_short_row_naming_it(it, decision, media_root):
    data = invoices_csv(10) + b"INV-9,2024-01-01,1\r\n"
    assert "Row 12 ends before column vat_amount" in refused(it, decision, data)
    assert_storage_empty(media_root)


def test_it_refuses_a_row_with_more_cells_than_the_header(it, decision):
    data = invoices_csv(2) + b"INV-9,2024-01-01,1,2,B,P,no,extra\r\n"
    assert "Row 4 has 8 cells but the header names 7 columns" in refused(it, decision, data)


def test_it_refuses_a_file_that_is_neither_csv_nor_xlsx(it, decision):
    assert "CSV (UTF-8) or XLSX" in refused(it, decision, b"%PDF-1.7", name="export.pdf")


def test_it_refuses_a_decision_that_is_not_an_effective_archive(it, decision):
    Decision.objects.filter(pk=decision.pk).update(
        status=Decision.Status.STALE, status_before_stale="approved"
    )
    decision.refresh_from_db()
    assert "Only an effective archive decision" in refused(it, decision, invoices_csv(2))


def test_it_refuses_without_a_custodian_key(winddown, legal, it):
    decision = archive_decision(winddown, legal)
    assert "Register at least one custodian" in refused(it, decision, invoices_csv(2))


def test_it_refuses_a_member_who_may_not_archive(decision, director):
    with pytest.raises(PermissionDenied):
        archive_create(
            by=director, decision=decision, upload=io.BytesIO(invoices_csv(2)), filename="a.csv"
        )
    assert Archive.objects.count() == 0


def test_it_accepts_gb18030_and_a_utf8_bom(it, decision):
    archive = archive_create(
        by=it,
        decision=decision,
        upload=io.BytesIO("\ufeff".encode() + invoices_csv(3)),
        filename="bom.csv",
    )
    assert archive.columns_kept == kept(decision)
    text = invoices_csv(3).decode().replace("Buyer 1", "张三")
    archive = archive_create(
        by=it, decision=decision, upload=io.BytesIO(text.encode("gb18030")), filename="gb.csv"
    )
    assert archive.row_count == 3


def test_create_archive_refuses_a_bad_file_naming_the_row_and_stores_nothing(
    it, decision, tmp_path, media_root
):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "export.csv"
    path.write_bytes(invoices_csv(3) + b"INV-9,2024-01-01,1,2,\xc3(,x\r\n")
    with pytest.raises(CommandError, match="Row 5, column buyer_name: byte 0xc3"):
        call_command("create_archive", "acme", decision.pk, path, "--as", it.user.email)
    assert Archive.objects.count() == 0
    assert_storage_empty(media_root)
    path.write_bytes(invoices_csv(3))
    out = io.StringIO()
    call_command("create_archive", "acme", decision.pk, path, stdout=out)
    assert f"3 rows; kept {', '.join(kept(decision))}; dropped" in out.getvalue()
    assert Archive.objects.get().created_by == it.user
