import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Store every uploaded file of a test in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def it(member):
    return member("it")


@pytest.fixture
def legal(member):
    return member("legal")
