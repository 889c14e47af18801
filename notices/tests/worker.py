"""Run a real Celery worker in a subprocess against the test database, Redis and an SMTP sink."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import redis
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
if not BROKER_URL.startswith("redis://"):
    BROKER_URL = "redis://127.0.0.1:6379/10"
RATE_REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/11"


def services_missing() -> str:
    """Say why worker tests cannot run here (empty when they can)."""
    if connection.vendor != "postgresql":
        return "worker tests need PostgreSQL (SKIP LOCKED, several processes): set DATABASE_URL"
    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return f"worker tests need Redis at {BROKER_URL}"
    return ""


def database_url() -> str:
    s = connection.settings_dict
    return (
        f"postgres://{s['USER'] or 'postgres'}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


def flush_redis() -> None:
    for url in (BROKER_URL, RATE_REDIS_URL):
        redis.Redis.from_url(url).flushdb()


class Worker:
    """`celery -A windown worker` with the test settings; killed with SIGKILL when asked."""

    def __init__(self, smtp_port: int, concurrency: int = 2, **env: str):
        self.env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": BROKER_URL,
            "REDIS_URL": RATE_REDIS_URL,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "NOTICES_LEASE_SECONDS": "5",
            "NOTICES_RETRY_BASE_SECONDS": "1",
            "NOTICES_TASK_BUDGET_SECONDS": "5",
            **env,
        }
        self.concurrency = concurrency
        self.output: list[str] = []
        self.ready = threading.Event()

    def start(self, timeout: float = 60) -> Worker:
        celery = str(Path(sys.executable).with_name("celery"))
        self.process = subprocess.Popen(
            [
                celery,
                "-A",
                "windown",
                "worker",
                "--loglevel=INFO",
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
                "--without-mingle",
                "--without-gossip",
                f"--hostname=test-{os.getpid()}-{time.monotonic_ns()}@localhost",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, so kill -9 reaches the children
        )
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(timeout):
            self.stop()
            raise RuntimeError("Celery worker did not start:\n" + "".join(self.output[-40:]))
        return self

    def _read(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)
            if " ready." in line:
                self.ready.set()

    def kill(self) -> None:
        """kill -9 the worker and its pool processes at once, as a crash would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def kick(campaign_id: int, tasks: int = 2) -> None:
    """Queue send tasks on the workers' broker (the test process's own broker is memory)."""
    from kombu import Connection

    from notices.tasks import campaign_send

    with Connection(BROKER_URL) as conn:
        for _ in range(tasks):
            campaign_send.apply_async(args=[campaign_id], connection=conn)


def wait_until(predicate, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
