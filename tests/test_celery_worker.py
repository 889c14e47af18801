"""A real Celery worker, on a real Redis broker, runs the core's periodic audit verification."""

import time

import pytest

from windown.models import AuditEvent
from windown.tasks import verify_audit_chains
from windown.tests.workers import BROKER, WORKER_TEST, celery_worker

pytestmark = WORKER_TEST


@pytest.fixture
def worker():
    with celery_worker() as process:
        yield process


def test_a_real_worker_verifies_the_chain_and_records_it(worker, winddown):
    from windown.celery import app

    events_before = AuditEvent.objects.filter(winddown=winddown).count()
    with app.connection_for_write(BROKER) as conn:
        verify_audit_chains.apply_async(connection=conn)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        event = AuditEvent.objects.filter(winddown=winddown, action="audit.chain_verified").first()
        if event:
            break
        assert worker.poll() is None, worker.stderr.read().decode()
        time.sleep(0.3)
    else:
        pytest.fail("the worker did not run the task within 60 s")
    assert event.payload == {"checked": events_before, "problem": ""}
    assert event.actor_label == "system:verify_audit_chains"
