"""An archive reads back, through decrypt_archive and through the age binary, as the kept
columns only; its manifest's hashes are those sha256sum computes; a changed ciphertext fails."""

import hashlib
import io
import json
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from destruction.models import Archive, ArchiveKeyEnvelope
from destruction.tests.factories_archives import (
    archive_decision,
    custodian,
    dropped,
    expected_plaintext,
    invoices_csv,
    kept,
    make_archive,
)
from windown.models import AuditEvent

pytestmark = pytest.mark.django_db


def sha256sum(path) -> str:
    out = subprocess.run(["sha256sum", str(path)], check=True, capture_output=True, text=True)
    return out.stdout.split()[0]


@pytest.fixture
def archive(winddown, director, legal, it):
    decision = archive_decision(winddown, legal)
    identity = custodian(director)
    archive = make_archive(it, decision, count=250)
    archive.custodian_identity = identity
    return archive


@pytest.fixture
def custodian_key(archive, tmp_path):
    path = tmp_path / "custodian.key"
    path.write_text(f"# created by age-keygen\n{archive.custodian_identity}\n")
    return path


def test_it_reads_back_the_kept_columns_only_through_decrypt_archive(
    archive, custodian_key, tmp_path
):
    out = tmp_path / "out.csv"
    stdout = io.StringIO()
    call_command(
        "decrypt_archive", archive.pk, "--identity", custodian_key, "-o", out, stdout=stdout
    )
    assert out.read_bytes() == expected_plaintext(250, archive.decision)
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_text().splitlines()[0] == ",".join(kept(archive.decision))
    assert "opt-in-1" not in out.read_text()
    assert sha256sum(out) == archive.plaintext_sha256 == archive.manifest["plaintext"]["sha256"]
    assert "matches the manifest" in stdout.getvalue()
    assert AuditEvent.objects.filter(action="destruction.archive_decrypted").count() == 1


def test_it_reads_back_through_the_standard_age_commands(archive, custodian_key, tmp_path):
    export = tmp_path / "export"
    call_command("export_archive", archive.pk, "-o", export, stdout=io.StringIO())
    assert sorted(p.name for p in export.iterdir()) == [
        "archive.age",
        "envelope.age",
        "manifest.json",
    ]
    key = subprocess.run(
        ["age", "-d", "-i", custodian_key, export / "envelope.age"],
        check=True,
        capture_output=True,
    ).stdout
    (tmp_path / "archive.key").write_bytes(key)
    plaintext = subprocess.run(
        ["age", "-d", "-i", tmp_path / "archive.key", export / "archive.age"],
        check=True,
        capture_output=True,
    ).stdout
    assert plaintext == expected_plaintext(250, archive.decision)
    assert b"marketing_opt_in" not in plaintext
    manifest = json.loads((export / "manifest.json").read_text())
    assert manifest["plaintext"]["sha256"] == hashlib.sha256(plaintext).hexdigest()
    assert manifest["ciphertext"]["sha256"] == sha256sum(export / "archive.age")
    assert manifest["envelope"]["sha256"] == sha256sum(export / "envelope.age")
    assert manifest["plaintext"]["rows"] == 250
    assert manifest["plaintext"]["columns_kept"] == kept(archive.decision)
    assert manifest["plaintext"]["columns_dropped"] == dropped(archive.decision)
    assert manifest["retain_until"] == "2054-12-31"
    assert manifest["decision"]["citations"] == archive.decision.citations
    assert manifest["envelope"]["recipients"][0]["recipient"] == str(
        archive.custodian_identity.to_public()
    )
    archive.refresh_from_db()
    assert archive.exports[0]["directory"] == str(export.resolve())


def test_it_stores_ciphertext_in_storage_and_the_envelope_only_in_the_database(archive):
    stored = default_storage.path(archive.ciphertext_name)
    assert sha256sum(stored) == archive.ciphertext_sha256
    assert Path(stored).read_bytes()[:21] == b"age-encryption.org/v1"
    envelope = ArchiveKeyEnvelope.objects.get(archive=archive)
    assert bytes(envelope.envelope).startswith(b"age-encryption.org/v1")
    folder = default_storage.path(archive.ciphertext_name).rsplit("/", 1)[0]
    assert default_storage.listdir(folder.split("media/", 1)[1])[1] == ["archive.age"]
    # neither the plaintext nor the archive key is anywhere in storage
    assert b"INV-0000001" not in Path(stored).read_bytes()


def test_it_refuses_a_changed_ciphertext(archive, custodian_key, tmp_path):
    stored = default_storage.path(archive.ciphertext_name)
    data = bytearray(Path(stored).read_bytes())
    data[-100] ^= 0x01
    Path(stored).write_bytes(bytes(data))
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="altered, truncated or replaced"):
        call_command("decrypt_archive", archive.pk, "--identity", custodian_key, "-o", out)
    assert not out.exists()
    assert not (tmp_path / "out.csv.partial").exists()


def test_it_refuses_a_truncated_ciphertext(archive, custodian_key, tmp_path):
    stored = default_storage.path(archive.ciphertext_name)
    data = Path(stored).read_bytes()
    Path(stored).write_bytes(data[:-40])
    with pytest.raises(CommandError, match="altered, truncated or replaced"):
        call_command(
            "decrypt_archive", archive.pk, "--identity", custodian_key, "-o", tmp_path / "o"
        )


def test_it_refuses_an_identity_that_is_not_a_recipient(archive, tmp_path):
    from pyrage import x25519

    stranger = tmp_path / "stranger.key"
    stranger.write_text(f"{x25519.Identity.generate()}\n")
    with pytest.raises(CommandError, match="not one of its recipients"):
        call_command("decrypt_archive", archive.pk, "--identity", stranger, "-o", tmp_path / "o")


def test_it_archives_an_xlsx_export_the_same_way(winddown, director, legal, it, tmp_path):
    from openpyxl import Workbook

    from destruction.tests.factories_archives import INVOICE_COLUMNS, invoice_rows

    decision = archive_decision(winddown, legal)
    identity = custodian(director)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(INVOICE_COLUMNS)
    for row in invoice_rows(40):
        sheet.append(row)
    path = tmp_path / "invoices.xlsx"
    workbook.save(path)
    with path.open("rb") as upload:
        archive = make_archive(it, decision, data=upload.read(), name="invoices.xlsx")
    key = tmp_path / "c.key"
    key.write_text(f"{identity}\n")
    call_command("decrypt_archive", archive.pk, "-i", key, "-o", tmp_path / "o.csv")
    assert (tmp_path / "o.csv").read_bytes() == expected_plaintext(40, decision)
    assert archive.source_sha256 == sha256sum(path)
    assert archive.manifest["source"]["format"] == "xlsx"


def test_it_records_the_archive_with_its_decision_and_audits_it(archive):
    archive.refresh_from_db()
    assert archive.status == Archive.Status.ENCRYPTED
    assert archive.reference.startswith("AR-")
    assert archive.row_count == 250
    assert archive.columns_kept == kept(archive.decision)
    assert archive.columns_dropped == dropped(archive.decision)
    assert archive.source_sha256 == hashlib.sha256(invoices_csv(250)).hexdigest()
    event = AuditEvent.objects.get(action="destruction.archive_created")
    assert event.payload["plaintext_sha256"] == archive.plaintext_sha256
    assert event.payload["columns_dropped"] == dropped(archive.decision)
