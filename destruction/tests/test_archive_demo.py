"""The demo archives the ERP's Chinese invoices, verified, readable with the demo key file."""

import io
import subprocess

import pytest
from django.core.management import call_command

from destruction.models import Archive

pytestmark = pytest.mark.django_db


def test_the_demo_archive_is_verified_and_opens_with_the_demo_key(settings, tmp_path):
    call_command("load_demo", force=True, stdout=io.StringIO())
    archive = Archive.objects.get(winddown__slug="lumen-electronics")
    assert archive.status == Archive.Status.VERIFIED
    assert archive.decision.holding.system.name == "Finance ERP (Kingdee Cloud)"
    key = settings.WINDOWN_DEMO_DIR / "archive-custodian.key"
    assert key.stat().st_mode & 0o777 == 0o600
    call_command("export_archive", archive.pk, "-o", tmp_path, stdout=io.StringIO())
    archive_key = subprocess.run(
        ["age", "-d", "-i", key, tmp_path / "envelope.age"], check=True, capture_output=True
    ).stdout
    (tmp_path / "archive.key").write_bytes(archive_key)
    plaintext = subprocess.run(
        ["age", "-d", "-i", tmp_path / "archive.key", tmp_path / "archive.age"],
        check=True,
        capture_output=True,
    ).stdout.decode()
    assert plaintext.splitlines()[0] == ",".join(archive.columns_kept)
    assert len(plaintext.splitlines()) == archive.row_count + 1
    # whatever the field plan drops is not in it (records kept by law may drop nothing)
    assert not set(archive.columns_dropped) & set(plaintext.splitlines()[0].split(","))
