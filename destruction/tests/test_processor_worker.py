"""A real Celery worker on Redis sends the instruction to a real SMTP server, once."""

import re
import time

import pytest

from destruction.tasks import processor_email_send
from destruction.tests.factories_processors import sent_request
from windown.models import AuditEvent
from windown.roles import Role
from windown.tasks import verify_audit_chains
from windown.tests.workers import BROKER, WORKER_TEST, celery_worker

pytestmark = WORKER_TEST


@pytest.fixture
def worker(smtp_sink):
    with celery_worker(EMAIL_URL=f"smtp://127.0.0.1:{smtp_sink.port}") as process:
        yield process


def test_a_real_worker_sends_the_instruction_once_even_when_queued_twice(
    worker, smtp_sink, winddown, member, client
):
    from windown.celery import app

    request = sent_request(member(Role.IT))
    email = request.emails.get()
    with app.connection_for_write(BROKER) as conn:
        for _ in range(2):  # e.g. the on-commit task and beat's retry of an unsent email
            processor_email_send.apply_async(args=[email.pk], connection=conn)
        # a sentinel behind them: the solo worker runs tasks in order, so once it has recorded
        # its audit event both sends have run
        verify_audit_chains.apply_async(connection=conn)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if AuditEvent.objects.filter(action="audit.chain_verified").exists():
            break
        assert worker.poll() is None, worker.stderr.read().decode()
        time.sleep(0.3)
    else:
        pytest.fail("the worker did not run the tasks within 60 s")

    email.refresh_from_db()
    assert email.sent_at is not None
    assert smtp_sink.count() == 1
    sent_events = AuditEvent.objects.filter(action="destruction.processor_request_email_sent")
    assert sent_events.count() == 1
    assert smtp_sink.messages[0]["Message-ID"] == email.message_id
    text = smtp_sink.messages[0].get_body(("plain",)).get_content()
    path = re.search(r"http://localhost:8000(/w/\S+/processor-confirm/\S+/)", text).group(1)
    assert client.get(path).status_code == 200
