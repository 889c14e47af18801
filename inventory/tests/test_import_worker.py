"""A real Celery worker, on a real Redis broker, checks an uploaded data map and then imports
it; the web request only stores the file and queues the task."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inventory.models import DataMapImport, Holding
from inventory.tasks import datamap_import_run
from inventory.tests.sheets import csv_bytes, sales_rows
from windown.tests.workers import BROKER, WORKER_TEST, celery_worker

pytestmark = WORKER_TEST
S = DataMapImport.Status


@pytest.fixture
def worker(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the worker must read the files we store
    with celery_worker(MEDIA_ROOT=str(settings.MEDIA_ROOT)) as process:
        yield process


def queue(job_id: int) -> None:
    """Send the task to the worker's broker (the test process's own broker may be memory)."""
    from windown.celery import app

    with app.connection_for_write(BROKER) as conn:
        datamap_import_run.apply_async(args=[job_id], connection=conn)


def wait_for(job: DataMapImport, status: str, worker, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == status:
            return
        assert worker.poll() is None, worker.stderr.read().decode()
        time.sleep(0.2)
    pytest.fail(f"the job stayed {job.status} (waited for {status})")


def test_a_real_worker_checks_then_imports_what_the_web_stored(worker, client_for, director):
    client = client_for(director)
    response = client.post(
        reverse("inventory:datamap-import", kwargs={"slug": "acme"}),
        {"file": SimpleUploadedFile("map.csv", csv_bytes(sales_rows(40)))},
    )
    job = DataMapImport.objects.get()
    assert response.status_code == 302 and job.report == {}  # the web process read no row
    queue(job.pk)
    wait_for(job, S.PREVIEWED, worker)
    assert job.report["holdings"]["created"] == 40 and not Holding.objects.exists()
    client.post(reverse("inventory:datamap-import-apply", kwargs={"slug": "acme", "pk": job.pk}))
    queue(job.pk)
    wait_for(job, S.DONE, worker)
    assert Holding.objects.count() == 40 and not job.file
