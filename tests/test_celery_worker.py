"""A real Celery worker, on a real Redis broker, runs the core's periodic audit verification."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from windown.models import AuditEvent
from windown.tasks import verify_audit_chains

ROOT = Path(__file__).resolve().parents[1]
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
def worker():
    redis.Redis.from_url(BROKER).flushdb()
    env = {
        **os.environ,
        "DEBUG": "true",
        "CELERY_BROKER_URL": BROKER,
        "DATABASE_URL": database_url(),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "windown",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


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
