import pytest

from destruction.tests.fixtures_processors import *  # noqa: F403
from destruction.tests.fixtures_verification import *  # noqa: F403
from windown.roles import Role


@pytest.fixture
def media_root(settings):
    """The media folder the stored files go to (a temporary one: see windown.tests.fixtures)."""
    from pathlib import Path

    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def legal(member):
    return member(Role.LEGAL)


@pytest.fixture
def it(member):
    return member(Role.IT)
