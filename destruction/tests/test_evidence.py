"""Evidence: hashed while streamed (equal to sha256sum of the stored file), sniffed on its bytes,
safely named, size-limited, immutable once the job is verified (service and PostgreSQL trigger),
and every download audited."""

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from destruction.models import DestructionJob, Evidence
from destruction.services import evidence as service
from destruction.services import jobs as job_service
from destruction.services.evidence import store_upload
from destruction.tests import factories as f
from destruction.tests.test_status_machine import METHOD
from windown.models import AuditEvent

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(300_000)


@pytest.fixture
def job(winddown, it, legal):
    holding = f.holding(winddown)
    f.decision(holding, legal)
    f.notified(winddown)
    job = job_service.job_create(by=it, title="Delete")
    job_service.job_item_add(by=it, job=job, kind="holding", holding=holding)
    return job


def _path(evidence) -> Path:
    from django.core.files.storage import default_storage

    return Path(default_storage.path(evidence.file.name))


def test_the_evidence_hash_equals_sha256sum_of_the_stored_file(job, it):
    evidence = service.evidence_add(
        by=it, job=job, upload=SimpleUploadedFile("shred.png", PNG), kind="photo"
    )
    out = subprocess.run(
        ["sha256sum", str(_path(evidence))], capture_output=True, text=True, check=True
    )
    assert out.stdout.split()[0] == evidence.sha256
    assert evidence.size == len(PNG) == _path(evidence).stat().st_size
    assert evidence.content_type == "image/png" and evidence.original_name == "shred.png"


def test_the_type_comes_from_the_bytes_not_the_name(job, it):
    pdf = service.evidence_add(
        by=it,
        job=job,
        upload=SimpleUploadedFile("report.png", b"%PDF-1.7\n" + b"x" * 100),
        kind="vendor_report",
    )
    assert pdf.content_type == "application/pdf" and pdf.file.name.endswith(".pdf")
    for name, content in [
        ("photo.jpg", b"<html><script>alert(1)</script>"),
        ("log.txt", b"MZ\x90\x00rest"),
    ]:
        with pytest.raises(ValidationError):
            service.evidence_add(
                by=it, job=job, upload=SimpleUploadedFile(name, content), kind="photo"
            )
    assert Evidence.objects.count() == 1


def test_a_stored_name_cannot_traverse_paths(job, it, settings):
    evidence = service.evidence_add(
        by=it,
        job=job,
        upload=SimpleUploadedFile("../../etc/passwd", b"tool log\n"),
        kind="tool_log",
    )
    assert evidence.original_name == "passwd"
    assert ".." not in evidence.file.name and evidence.file.name.startswith("destruction/evidence/")
    assert _path(evidence).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_kept(job, it, settings):
    settings.DESTRUCTION_EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="larger than the limit"):
        service.evidence_add(
            by=it,
            job=job,
            upload=SimpleUploadedFile("v.mp4", b"\0\0\0\x18ftypmp42" + b"0" * 2000),
            kind="video",
        )
    # the streaming check holds when the size is not declared up front
    with pytest.raises(ValidationError):
        store_upload(fileobj=open_stream(b"log line\n" * 500), name="log.txt", max_bytes=1000)
    assert Evidence.objects.count() == 0
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def open_stream(data: bytes):
    import io

    return io.BytesIO(data)


def _verify(job, it):
    item = job.items.get()
    job_service.job_schedule(by=it, job=job, scheduled_for=timezone.now() + dt.timedelta(hours=1))
    job_service.job_perform(by=it, job=job, outcomes={item.pk: {"outcome": "destroyed"}}, **METHOD)
    job_service.job_verify(
        by=it, job=job, validator_name="Anna", verification_method="full", verification_result="ok"
    )
    job.refresh_from_db()


def test_evidence_cannot_change_after_verification(job, it):
    evidence = service.evidence_add(
        by=it, job=job, upload=SimpleUploadedFile("a.png", PNG), kind="photo"
    )
    _verify(job, it)
    for attempt in (
        lambda: service.evidence_delete(by=it, evidence=evidence, reason="oops"),
        lambda: service.evidence_replace(
            by=it, evidence=evidence, upload=SimpleUploadedFile("b.png", PNG)
        ),
        lambda: service.evidence_add(
            by=it, job=job, upload=SimpleUploadedFile("c.png", PNG), kind="photo"
        ),
    ):
        with pytest.raises(ValidationError):
            attempt()
    assert list(Evidence.objects.values_list("pk", "sha256")) == [(evidence.pk, evidence.sha256)]
    assert _path(evidence).exists()


def test_evidence_can_be_removed_with_a_reason_before_verification(job, it):
    evidence = service.evidence_add(
        by=it, job=job, upload=SimpleUploadedFile("a.png", PNG), kind="photo"
    )
    service.evidence_delete(by=it, evidence=evidence, reason="wrong job")
    assert not Evidence.objects.exists()
    assert AuditEvent.objects.filter(action="destruction.evidence_removed").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_the_database_refuses_changing_evidence_of_a_verified_job(job, it):
    evidence = service.evidence_add(
        by=it, job=job, upload=SimpleUploadedFile("a.png", PNG), kind="photo"
    )
    _verify(job, it)
    for attempt in (
        lambda: Evidence.objects.filter(pk=evidence.pk).update(sha256="0" * 64),
        lambda: Evidence.objects.filter(pk=evidence.pk).delete(),
        lambda: Evidence.objects.create(
            job=job,
            kind="photo",
            file="x.png",
            original_name="x",
            size=1,
            sha256="0" * 64,
            content_type="image/png",
            uploaded_by=it.user,
            uploaded_at=timezone.now(),
        ),
    ):
        with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
            attempt()
    evidence.refresh_from_db()
    assert Evidence.objects.count() == 1 and evidence.sha256 != "0" * 64


def test_every_download_is_audited(job, it, member, client_for):
    evidence = service.evidence_add(
        by=it, job=job, upload=SimpleUploadedFile("a.png", PNG), kind="photo"
    )
    auditor = member("auditor")
    url = f"/w/{job.winddown.slug}/destruction/jobs/{job.pk}/evidence/{evidence.pk}/"
    response = client_for(auditor).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action="destruction.evidence_downloaded")
    assert event.actor_label == auditor.user.email and event.payload["sha256"] == evidence.sha256


def test_a_vendor_certificate_copy_is_hashed_like_evidence(winddown, it):
    from destruction.services.vendors import certification_add, vendor_create

    vendor = vendor_create(by=it, name="ShredSafe")
    pdf = b"%PDF-1.4\n" + os.urandom(5000)
    cert = certification_add(
        by=it,
        vendor=vendor,
        scheme="iso_27001",
        number="DE-123",
        issuer="TÜV",
        expires_on=dt.date(2027, 6, 30),
        copy=SimpleUploadedFile("iso.pdf", pdf),
    )
    from django.core.files.storage import default_storage

    out = subprocess.run(
        ["sha256sum", default_storage.path(cert.copy.name)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split()[0] == cert.copy_sha256 and cert.copy_content_type == "application/pdf"
    assert DestructionJob.objects.count() == 0
