"""Fixtures of the processor request tests (imported by each test module that needs them)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from notices.tests.smtp_sink import Sink
from windown.roles import Role


class Clock:
    """A settable `django.utils.timezone.now`: time stands still until the test moves it."""

    def __init__(self, start: dt.datetime):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    frozen = Clock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC))
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


@pytest.fixture
def it(member):
    return member(Role.IT)


@pytest.fixture
def eager_celery():
    """Run queued tasks at once, in the test's process (the real task code, no worker)."""
    from windown.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server (aiosmtpd); Django's SMTP backend sends to it."""
    sink = Sink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    sink.stop()


@pytest.fixture(autouse=True)
def fresh_rate_limit_counters():
    """The confirmation page's rate limit counts in the cache; each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
