"""The verification bundle: the commands VERIFY.txt lists pass on it, and fail on a changed PDF."""

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from destruction.services.certificate_bundle import verification_bundle
from destruction.tests.fixtures_verification import one_byte_changed
from windown.models import AuditEvent
from windown.roles import Role

TOOLS = ("sha256sum", "certutil", "pdfsig")
needs_tools = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in TOOLS),
    reason="poppler-utils and libnss3-tools are installed by `make test`",
)
VENV_BIN = str(Path(sys.executable).parent)


def unzip(bundle: bytes, into: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        archive.extractall(into)
    (folder,) = into.iterdir()
    return folder


def verify_txt_commands(folder: Path) -> list[str]:
    text = (folder / "VERIFY.txt").read_text(encoding="utf-8")
    return [line[2:] for line in text.splitlines() if line.startswith("$ ")]


def run_all(folder: Path) -> list[subprocess.CompletedProcess]:
    """Run each command of VERIFY.txt in the bundle's folder, as a person would in a shell."""
    env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}"}
    return [
        subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True)
        for command in verify_txt_commands(folder)
    ]


@needs_tools
def test_the_commands_of_verify_txt_pass_on_a_bundle_and_fail_on_a_changed_pdf(issued, tmp_path):
    folder = unzip(verification_bundle(issued), tmp_path / "good")
    names = {path.name for path in folder.iterdir()}
    assert names == {
        f"{issued.serial}.pdf",
        "record.json",
        "root.pem",
        "signing.pem",
        "checkpoint.txt",
        "inclusion-proof.json",
        "verify.py",
        "VERIFY.txt",
        "SHA256SUMS",
    }
    commands = verify_txt_commands(folder)
    assert [c.split()[0] for c in commands] == [
        "sha256sum", "pyhanko", "rm", "certutil", "certutil", "pdfsig", "python3"
    ]  # fmt: skip
    results = run_all(folder)
    for result in results:
        assert result.returncode == 0, (result.args, result.stdout, result.stderr)
    sums, pyhanko, *_nss, pdfsig, verify_py = (r.stdout for r in results)
    assert f"{issued.serial}.pdf: OK" in sums
    assert "The signature is judged VALID." in pyhanko
    assert "Signature is Valid." in pdfsig and "Certificate is Trusted." in pdfsig
    assert verify_py.startswith(f"VALID {issued.serial}")

    pdf = folder / f"{issued.serial}.pdf"
    pdf.write_bytes(one_byte_changed(pdf.read_bytes(), "content"))
    sums, pyhanko, *_nss, pdfsig, verify_py = run_all(folder)
    assert sums.returncode != 0 and "FAILED" in sums.stdout
    assert pyhanko.returncode != 0
    assert "Signature is Valid." not in pdfsig.stdout and "Digest Mismatch" in pdfsig.stdout
    assert verify_py.returncode == 1 and "INVALID signature" in verify_py.stdout


def test_verify_py_refuses_a_change_to_the_unsigned_validation_data(issued, tmp_path):
    folder = unzip(verification_bundle(issued), tmp_path)
    pdf = folder / f"{issued.serial}.pdf"
    pdf.write_bytes(one_byte_changed(pdf.read_bytes(), "validation data"))

    result = subprocess.run(
        [sys.executable, "verify.py"], cwd=folder, capture_output=True, text=True
    )

    assert result.returncode == 1
    assert "INVALID bundle: the PDF is not the one listed in SHA256SUMS" in result.stdout


def test_verify_py_checks_the_inclusion_proof_against_the_signed_checkpoint(issued, tmp_path):
    folder = unzip(verification_bundle(issued), tmp_path)
    proof = folder / "inclusion-proof.json"
    proof.write_text(proof.read_text().replace('"leaf_index": ', '"leaf_index": 1'))
    (folder / "SHA256SUMS").unlink()

    result = subprocess.run(
        [sys.executable, "verify.py"], cwd=folder, capture_output=True, text=True
    )

    assert result.returncode == 1
    assert "INVALID bundle: the checkpoint or proof is not the one embedded" in result.stdout


def manage(*args, env=None):
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "DEBUG": "true", **(env or {})},
    )


def test_the_command_verifies_offline_from_the_bundle_without_a_database(issued, tmp_path):
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(verification_bundle(issued))
    folder = unzip(bundle.read_bytes(), tmp_path / "unzipped")
    pdf = folder / f"{issued.serial}.pdf"
    nowhere = {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}

    valid = manage("verify_certificate", str(pdf), "--bundle", str(bundle), env=nowhere)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert f"VALID {issued.serial} (offline, from the bundle)" in valid.stdout
    assert "skip  Not revoked" in valid.stdout

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(one_byte_changed(pdf.read_bytes(), "content"))
    invalid = manage("verify_certificate", str(bad), "--bundle", str(folder), env=nowhere)
    assert invalid.returncode == 1
    assert "digest does not match" in invalid.stderr
    assert "not the one listed in the bundle's SHA256SUMS" in invalid.stderr

    usage = manage("verify_certificate", env=nowhere)
    assert usage.returncode == 2
    no_bundle = manage("verify_certificate", str(pdf), "--bundle", str(tmp_path), env=nowhere)
    assert no_bundle.returncode == 2 and "no root.pem" in no_bundle.stderr


def downloads(certificate):
    return AuditEvent.objects.filter(
        winddown=certificate.winddown, action="destruction.certificate_bundle_downloaded"
    ).count()


def test_the_bundle_downloads_from_the_page_the_api_and_the_command_each_audited(
    issued, member, client_for, api_for, tmp_path
):
    auditor = member(Role.AUDITOR)
    slug = issued.winddown.slug
    page = client_for(auditor).get(
        reverse("destruction:certificate-bundle", args=[slug, issued.serial])
    )
    assert page.status_code == 200 and page["Content-Type"] == "application/zip"
    assert downloads(issued) == 1

    api = api_for(auditor).get(f"/api/v1/winddowns/{slug}/certificates/{issued.serial}/bundle/")
    assert api.status_code == 200 and zipfile.is_zipfile(io.BytesIO(api.content))
    assert downloads(issued) == 2

    target = tmp_path / "bundle.zip"
    call_command(
        "export_verification_bundle", issued.serial, "-o", str(target), stdout=io.StringIO()
    )
    assert zipfile.is_zipfile(target) and downloads(issued) == 3


def test_members_who_may_not_download_certificates_get_no_bundle(issued, member, client_for):
    custodian = member(Role.CUSTODIAN)
    url = reverse("destruction:certificate-bundle", args=[issued.winddown.slug, issued.serial])
    assert client_for(custodian).get(url).status_code == 403
    assert downloads(issued) == 0
