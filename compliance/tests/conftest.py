import pytest

from windown.celery import app
from windown.roles import Role


@pytest.fixture
def eager_celery():
    """Run queued tasks at once, in the test's process (the real task code, no worker)."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def legal(member):
    return member(Role.LEGAL)


@pytest.fixture
def legal2(member):
    return member(Role.LEGAL)
