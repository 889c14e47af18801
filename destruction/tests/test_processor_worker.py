"""A real Celery worker on Redis sends the instruction to a real SMTP server, once."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from destruction.tasks import processor_email_send
from destruction.tests.factories_processors import sent_request
from windown.models import AuditEvent
from windown.roles import Role
from windown.tasks import verify_audit_chains

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("CELERY_BROKER_URL", "")
if not BROKER.startswith("redis://"):
    BROKER = "redis://127.0.0.1:6379/13"


def redis_up() -> bool:
    try:
        return redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379 (CI starts it)"),
]


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def worker(smtp_sink):
    redis.Redis.from_url(BROKER).flushdb()
    env = {
        **os.environ,
        "DEBUG": "true",
        "CELERY_BROKER_URL": BROKER,
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink.port}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "windown", "worker", "--pool=solo", "-l", "WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


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
