import pytest

from notices.tests.smtp_sink import Sink


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server; Django's SMTP backend sends to it."""
    sink = Sink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    sink.stop()


@pytest.fixture(autouse=True)
def fresh_rate_limit_counters():
    """The personal page's rate limit counts in the cache; each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
