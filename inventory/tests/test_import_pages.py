"""Importing through the page: the upload is stored and a worker checks it (the report is the
preview), then "Import now" has a worker write it; problems listed by row and column.

The web process never reads the file's rows: its request ends with the job queued; here the
task's body (`work`) stands in for the worker (tests/test_datamap_worker.py runs a real one).
"""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inventory.models import DataMapImport, Holding
from inventory.services.datamap_jobs import datamap_job_files_purge, datamap_job_run
from inventory.tests.sheets import csv_bytes, row, sales_rows, xlsx_bytes

IMPORT = reverse("inventory:datamap-import", kwargs={"slug": "acme"})
S = DataMapImport.Status


def upload(client, data, name="map.csv", **fields):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data), **fields})


def work() -> None:
    """What the worker does with every queued job."""
    for pk in DataMapImport.objects.filter(status__in=[S.PENDING, S.QUEUED]).values_list(
        "pk", flat=True
    ):
        datamap_job_run(pk)


def checked(client, data, name="map.csv", **fields):
    """Upload, let the worker check it, and open the job's page."""
    response = upload(client, data, name, **fields)
    assert response.status_code == 302, response.content
    work()
    return client.get(response["Location"])


def test_the_upload_returns_before_any_row_is_read_and_queues_the_check(
    client_for, director, django_capture_on_commit_callbacks
):
    client = client_for(director)
    with django_capture_on_commit_callbacks() as queued:
        response = upload(client, xlsx_bytes(sales_rows(12)), "map.xlsx")
    job = DataMapImport.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert len(queued) == 1  # the task, queued once the upload is committed
    assert (job.status, job.report) == (S.PENDING, {})  # not read in the web process
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Waiting for a worker" in page and "data-refresh-url" in page
    assert 'id="import-report"' not in page
    partial = client.get(job.get_absolute_url() + "?partial=1").content.decode()
    assert 'data-status="pending"' in partial and "<html" not in partial


def test_a_preview_shows_what_would_change_then_import_now_writes_it(client_for, director):
    client = client_for(director)
    preview = checked(client, xlsx_bytes(sales_rows(12)), "map.xlsx")
    report = preview.context["report"]
    assert (report.holdings.created, report.dry_run) == (12, True)
    assert "Import now" in preview.content.decode()
    assert not Holding.objects.exists()
    job = DataMapImport.objects.get()
    assert job.status == S.PREVIEWED
    done = client.post(reverse("inventory:datamap-import-apply", args=["acme", job.pk]))
    assert done.status_code == 302 and not Holding.objects.exists()  # queued, not done here
    work()
    assert Holding.objects.count() == 12
    job.refresh_from_db()
    assert job.status == S.DONE and not job.file
    assert "Imported" in client.get(job.get_absolute_url()).content.decode()
    again = checked(client, xlsx_bytes(sales_rows(12)), "map.xlsx")
    assert again.context["report"].holdings.unchanged == 12
    assert "Import now" not in again.content.decode()
    assert "nothing to import" in again.content.decode()


def test_problems_are_listed_with_row_column_and_message(client_for, director):
    response = checked(
        client_for(director),
        csv_bytes([row(), row(jurisdiction="FR", category="user.contact.mail")]),
    )
    content = response.content.decode()
    assert "Nothing was imported" in content
    assert "<td>3</td><td><code>category</code></td>" in content
    assert "user.contact.email" in content
    assert DataMapImport.objects.get().status == S.REFUSED
    assert not Holding.objects.exists()


def test_a_refused_file_cannot_be_imported(client_for, director):
    client = client_for(director)
    checked(client, csv_bytes([row(category="no.such.category")]))
    job = DataMapImport.objects.get()
    client.post(reverse("inventory:datamap-import-apply", args=["acme", job.pk]))
    work()
    job.refresh_from_db()
    assert job.status == S.REFUSED and not Holding.objects.exists()


def test_a_file_the_worker_cannot_read_fails_with_the_reason(client_for, director):
    page = checked(client_for(director), csv_bytes([row()]), "map.pdf").content.decode()
    job = DataMapImport.objects.get()
    assert job.status == S.FAILED and "Upload an .xlsx or .csv file." in page
    assert not Holding.objects.exists()


def test_a_workbook_that_is_no_zip_is_refused_on_the_form(client_for, director):
    response = upload(client_for(director), b"PK\x03\x04 not a zip", "map.xlsx")
    assert "not a readable XLSX workbook" in response.content.decode()
    assert not DataMapImport.objects.exists()


def test_a_file_over_the_limit_is_refused_on_the_form(client_for, director, settings):
    settings.WINDOWN_IMPORT_MAX_BYTES = 100
    response = upload(client_for(director), csv_bytes(sales_rows(5)))
    assert response.status_code == 200
    assert "are refused" in str(response.context["form"].errors["file"])
    assert not Holding.objects.exists() and not DataMapImport.objects.exists()


def test_the_data_map_changed_since_the_preview_refuses_the_import(
    client_for, director, sales_custodian
):
    from inventory.models import DataSystem
    from inventory.services.datamap import datamap_import

    client = client_for(sales_custodian)
    checked(client, csv_bytes([row()]))
    job = DataMapImport.objects.get()
    assert job.status == S.PREVIEWED
    # meanwhile the director puts that system in Finance, where the custodian may not import
    datamap_import(by=director, data=csv_bytes([row(department="Finance")]), filename="b.csv")
    client.post(reverse("inventory:datamap-import-apply", args=["acme", job.pk]))
    work()
    job.refresh_from_db()
    assert job.status == S.REFUSED and job.report["problems"][0]["column"] == "department"
    assert DataSystem.objects.get().department == "Finance"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Nothing was imported" in page and "Import now" not in page


def test_only_the_member_who_uploaded_sees_the_job(client_for, director, member):
    upload(client_for(director), csv_bytes([row()]))
    job = DataMapImport.objects.get()
    legal = member("legal")
    assert client_for(legal).get(job.get_absolute_url()).status_code == 404
    apply = reverse("inventory:datamap-import-apply", args=["acme", job.pk])
    assert client_for(legal).post(apply).status_code == 404


def test_a_file_nobody_imported_is_deleted_after_a_day(client_for, director):
    checked(client_for(director), csv_bytes([row()]))
    job = DataMapImport.objects.get()
    assert job.status == S.PREVIEWED and job.file
    DataMapImport.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    path = Path(job.file.path)
    assert datamap_job_files_purge() == 1
    job.refresh_from_db()
    assert not job.file and not path.exists()


def test_a_change_to_a_system_alone_can_be_previewed_and_imported(client_for, director):
    from inventory.services.datamap import datamap_import

    client = client_for(director)
    datamap_import(by=director, data=csv_bytes([row()]), filename="a.csv")
    preview = checked(client, csv_bytes([row(provider="AWS")]))
    report = preview.context["report"]
    assert report.holdings.unchanged == 1 and report.systems.updated == 1
    assert [(c.system, c.changed) for c in report.system_changes] == [("Order DB", ["provider"])]
    job = DataMapImport.objects.get()
    client.post(reverse("inventory:datamap-import-apply", args=["acme", job.pk]))
    work()
    assert Holding.objects.get().system.hosting_provider == "AWS"


@pytest.mark.parametrize("status", [S.PENDING, S.CHECKING, S.QUEUED, S.IMPORTING])
def test_a_task_delivered_again_after_its_worker_died_finishes_the_job(
    client_for, director, status
):
    client = client_for(director)
    checked(client, csv_bytes([row()]))
    job = DataMapImport.objects.get()
    DataMapImport.objects.filter(pk=job.pk).update(status=status)
    datamap_job_run(job.pk)
    datamap_job_run(job.pk)  # and once more: nothing happens twice
    job.refresh_from_db()
    expected = S.PREVIEWED if status in (S.PENDING, S.CHECKING) else S.DONE
    assert job.status == expected
    assert Holding.objects.count() == (expected == S.DONE)


def test_the_report_is_worded_in_the_language_the_file_was_uploaded_in(client_for, director):
    """The worker runs in English; a custodian who uploaded from the Chinese page reads the
    problems in Chinese (and an English upload stays English)."""
    from django.conf import settings
    from django.utils import translation

    bad = csv_bytes([row(), row(jurisdiction="FR", category="user.contact.mail")])
    for language, wording in (("zh-hans", "您是否指"), ("en", "Did you mean")):
        DataMapImport.objects.all().delete()
        client = client_for(director)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = upload(client, bad)
        assert response.status_code == 302
        with translation.override("en"):  # the worker's own language
            work()
        job = DataMapImport.objects.get()
        assert job.language == language and job.status == S.REFUSED
        (problem,) = job.report["problems"]
        assert wording in problem["message"], problem
