"""A real Celery worker subprocess on a real Redis broker, for the tests that need one."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("CELERY_BROKER_URL", "")
if not BROKER.startswith("redis://"):
    BROKER = "redis://127.0.0.1:6379/13"


def redis_up() -> bool:
    try:
        return redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


# for a test module: a worker test, in transactions the worker can see, skipped without Redis
WORKER_TEST = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379 (CI starts it)"),
]


def database_url() -> str:
    """Return the URL of the test database, for the worker to use the same one."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


def broker_drained() -> bool:
    """Say whether every queued task has run: none waiting, none taken and unacknowledged.

    Tasks are acknowledged after they ran (CELERY_TASK_ACKS_LATE), so a task a worker holds
    stays in kombu's "unacked" hash until it is done.
    """
    return broker_state() == {"queued": 0, "unacknowledged": 0}


def broker_state() -> dict[str, int]:
    client = redis.Redis.from_url(BROKER)
    return {"queued": client.llen("celery"), "unacknowledged": client.hlen("unacked")}


@contextmanager
def celery_worker(**env: str) -> Iterator[subprocess.Popen]:
    """Run a solo worker on an emptied broker queue until the block ends."""
    redis.Redis.from_url(BROKER).flushdb()
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "windown", "worker", "--pool=solo", "-l", "WARNING"],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "true",
            "CELERY_BROKER_URL": BROKER,
            "DATABASE_URL": database_url(),
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def tasks_sent_to(broker_url: str) -> Iterator[None]:
    """Send this process's tasks (a page's kick, a request's email) to a real worker's broker
    until the block ends (the test settings' own broker is memory://)."""
    from windown.celery import app

    before = app.conf.broker_url
    app.conf.broker_url = broker_url
    app._after_fork()  # drop the connection and producer pools made for the old URL
    try:
        yield
    finally:
        app.conf.broker_url = before
        app._after_fork()
