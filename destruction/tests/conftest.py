import pytest

from windown.roles import Role


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Store archives as real files in a throwaway media folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def legal(member):
    return member(Role.LEGAL)


@pytest.fixture
def it(member):
    return member(Role.IT)
