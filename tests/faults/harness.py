"""The fault harness: private servers, the app's processes on them, an SMTP sink, measurements.

Everything runs as real processes: a private PostgreSQL and Redis (tests/faults/servers.py),
`celery worker` (prefork, killable with SIGKILL), `celery beat` (the sweeper every 5 s), and
gunicorn for the pages; notices go to an aiosmtpd sink that records when each arrived, and
lost and duplicated notices are counted by Message-ID there.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from notices.outcome_batches import in_flight_per_task
from notices.tests.smtp_sink import Sink
from notices.tests.worker import Worker
from tests.faults.servers import PrivatePostgres, PrivateRedis, free_port

ROOT = Path(__file__).resolve().parents[2]
# The workers run with the outcome chunk of this test run's settings (the default unless
# NOTICES_OUTCOME_CHUNK is set), and the bounds on duplicates are computed from it: messages
# whose outcome may not be committed when a sender dies, per sending task, are the chunk whose
# UPDATE is on its way, the outcomes kept since and the message on the wire
# (notices/outcome_batches.py): 2 x chunk.
OUTCOME_CHUNK = settings.NOTICES_OUTCOME_CHUNK
OUTCOME_MAX_AGE_MS = settings.NOTICES_OUTCOME_MAX_AGE_MS
IN_FLIGHT_PER_TASK = in_flight_per_task(OUTCOME_CHUNK)
RESULTS: list[str] = []


class TimedSink(Sink):
    """The SMTP sink, noting when each message arrived."""

    def __init__(self):
        super().__init__()
        self.times: list[float] = []
        # aiosmtpd logs every SMTP command at INFO: thousands of lines that slow the sink
        logging.getLogger("mail.log").setLevel(logging.WARNING)

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        with self.lock:
            self.times.append(time.monotonic())
        return reply

    def arrivals(self) -> list[float]:
        with self.lock:
            return list(self.times)

    def count_after(self, moment: float) -> int:
        return sum(1 for t in self.arrivals() if t > moment)

    def first_after(self, moment: float) -> float | None:
        return next((t for t in self.arrivals() if t > moment), None)


class Process:
    """A long-running app process (beat, gunicorn) in its own process group, output kept."""

    def __init__(self, args: list[str], env: dict[str, str], ready: str):
        self.args, self.env, self.ready_text = args, env, ready
        self.output: list[str] = []

    def start(self, timeout: float = 60) -> Process:
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(timeout):
            self.stop()
            raise RuntimeError(f"{self.args[:3]} did not start:\n" + "".join(self.output[-40:]))
        return self

    def _read(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)
            if self.ready_text in line:
                self.ready.set()

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


class Stack:
    """The private servers and the environment every app process of the fault suite shares."""

    def __init__(self):
        self.pg = PrivatePostgres().init()
        self.redis = PrivateRedis().start()
        self.media = Path(tempfile.mkdtemp(prefix="windown-faults-media-"))
        self.env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": self.pg.url(),
            "CELERY_BROKER_URL": self.redis.url(0),
            "REDIS_URL": self.redis.url(1),
            "MEDIA_ROOT": str(self.media),
            "LOG_LEVEL": "WARNING",
            # the production defaults, whatever the environment of the test run says
            "NOTICES_LEASE_SECONDS": "15",
            "NOTICES_HEARTBEAT_SECONDS": "3",
            "NOTICES_SWEEP_SECONDS": "5",
            "NOTICES_TASK_BUDGET_SECONDS": "30",
            "NOTICES_PARALLEL_TASKS": "2",
            "NOTICES_OUTCOME_CHUNK": str(OUTCOME_CHUNK),
            "NOTICES_OUTCOME_MAX_AGE_MS": str(OUTCOME_MAX_AGE_MS),
        }
        self.manage("migrate", "--no-input", "-v0")
        self.beat: Process | None = None

    def manage(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def scenario(self, *args: object, **env: str) -> int:
        done = subprocess.run(
            [sys.executable, "-m", "tests.faults.scenario", *map(str, args)],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return int(done.stdout.split()[-1])

    def ensure_beat(self) -> None:
        """Celery beat with the database scheduler (notices.tick every 5 s), restarted if dead."""
        if self.beat is None or not self.beat.alive():
            celery = str(Path(sys.executable).with_name("celery"))
            self.beat = Process(
                [
                    celery,
                    "-A",
                    "windown",
                    "beat",
                    "--loglevel=INFO",
                    "--scheduler=django_celery_beat.schedulers:DatabaseScheduler",
                    f"--pidfile={self.media}/beat.pid",
                ],
                self.env,
                ready="beat: Starting",
            ).start()

    def worker(self, sink: TimedSink, concurrency: int = 2, **extra: str) -> Worker:
        env = {k: v for k, v in self.env.items() if k.startswith(("NOTICES_", "MEDIA", "LOG"))}
        env.update(extra)
        return Worker(
            sink.port,
            concurrency=concurrency,
            DATABASE_URL=self.pg.url(),
            CELERY_BROKER_URL=self.redis.url(0),
            REDIS_URL=self.redis.url(1),
            **env,
        ).start()

    def web(self) -> tuple[Process, str]:
        port = free_port()
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        server = Process(
            [
                gunicorn,
                "windown.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--log-level",
                "info",
            ],
            self.env,
            ready="Booting worker",
        ).start()
        return server, f"http://127.0.0.1:{port}"

    # --- reading the private database -------------------------------------------------------
    def campaign_status(self, campaign_id: int) -> str:
        return self.pg.query("SELECT status FROM notices_campaign WHERE id = %s", [campaign_id])[0][
            0
        ]

    def message_ids(self, campaign_id: int) -> set[str]:
        rows = self.pg.query(
            "SELECT message_id FROM notices_delivery WHERE campaign_id = %s", [campaign_id]
        )
        return {r[0] for r in rows}

    def delivery_statuses(self, campaign_id: int) -> dict[str, int]:
        rows = self.pg.query(
            "SELECT status, count(*) FROM notices_delivery WHERE campaign_id = %s GROUP BY status",
            [campaign_id],
        )
        return dict(rows)

    def leased(self, campaign_id: int) -> set[int]:
        rows = self.pg.query(
            "SELECT id FROM notices_delivery WHERE campaign_id = %s AND status = 'sending'",
            [campaign_id],
        )
        return {r[0] for r in rows}

    def destroy(self) -> None:
        if self.beat:
            self.beat.stop()
        self.redis.destroy()
        self.pg.destroy()
        shutil.rmtree(self.media, ignore_errors=True)


def wait_until(predicate, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):  # the database is down for a moment: keep waiting
            if predicate():
                return True
        time.sleep(step)
    return False


@dataclass
class Outcome:
    """What one fault did to a campaign, as counted at the SMTP sink."""

    fault: str
    expected: int
    lost: int
    duplicates: int
    stall: float  # the longest silence at the sink while the campaign was sending
    finish: float  # from the start of the campaign to its last notice
    extra: dict = field(default_factory=dict)

    def line(self) -> str:
        more = " ".join(f"{k}={v}" for k, v in self.extra.items())
        return (
            f"FAULT {self.fault}: {self.expected} notices, lost={self.lost} "
            f"duplicates={self.duplicates} stall={self.stall:.1f}s finish={self.finish:.1f}s {more}"
        ).rstrip()


def measure(
    fault: str, sink: TimedSink, expected_ids: set[str], started: float, **extra
) -> Outcome:
    counts = sink.by_message_id()
    times = sink.arrivals()
    gaps = [b - a for a, b in itertools.pairwise(times)]
    outcome = Outcome(
        fault=fault,
        expected=len(expected_ids),
        lost=len(expected_ids - set(counts)),
        duplicates=sum(n - 1 for n in counts.values()),
        stall=max(gaps, default=0.0),
        finish=(times[-1] - started) if times else 0.0,
        extra=extra,
    )
    RESULTS.append(outcome.line())
    print("\n" + outcome.line())
    return outcome
