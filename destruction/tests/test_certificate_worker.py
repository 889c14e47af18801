"""Bulk issuance: a real Celery worker on Redis issues one certificate per verified job."""

import hashlib
import time

from django.conf import settings

from destruction.models import Certificate, DestructionJob
from destruction.services.certificates.bulk import certificates_issue_bulk
from destruction.tasks import certificate_issue_job
from destruction.tests.factories_certificates import verified_job
from windown.models import AuditEvent
from windown.tests.workers import BROKER, WORKER_TEST, broker_drained, broker_state, celery_worker

pytestmark = WORKER_TEST


def test_a_real_worker_issues_the_certificates_of_every_verified_job_once(
    winddown, it, legal, director, signing_ca
):
    from windown.celery import app

    jobs = [verified_job(winddown, it=it, legal=legal, title=f"Job {i}") for i in range(3)]
    env = {"WINDOWN_SIGNING_DIR": str(signing_ca), "MEDIA_ROOT": settings.MEDIA_ROOT}
    with celery_worker(**env), app.connection_for_write(BROKER) as conn:

        def enqueue(job_id, member_id):
            certificate_issue_job.apply_async(args=[job_id, member_id], connection=conn)

        queued = certificates_issue_bulk(actor=director, enqueue=enqueue)
        enqueue(jobs[0].pk, director.pk)  # queued twice: issued once
        deadline = time.monotonic() + 180
        # every task has run, the duplicate too (acknowledged once done)
        while not (Certificate.objects.count() >= 3 and broker_drained()):
            assert time.monotonic() < deadline, (Certificate.objects.count(), broker_state())
            time.sleep(0.2)

    assert sorted(queued) == sorted(job.pk for job in jobs)
    assert Certificate.objects.count() == 3
    for certificate in Certificate.objects.all():
        assert hashlib.sha256(certificate.pdf.read()).hexdigest() == certificate.sha256
    assert set(DestructionJob.objects.values_list("status", flat=True)) == {"certified"}
    assert AuditEvent.objects.filter(action="destruction.certificates_bulk_requested").exists()
