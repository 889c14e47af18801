"""The certificate PDF as an auditor's tools see it: PDF/A-3b, Chinese text, record.json equal to
the database, a PAdES signature valid with pyHanko and poppler's pdfsig against the root, and a
one-byte change caught by both."""

import json
import re
import shutil
import subprocess

import pytest

from destruction.services.certificates import certificate_issue, record_json
from destruction.tests.factories_certificates import verified_job
from windown import signing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_ca")]
poppler = pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler-utils not installed")


@pytest.fixture
def certificate(winddown, it, legal, director):
    job = verified_job(
        winddown,
        it=it,
        legal=legal,
        items=2,
        outcomes=[("destroyed", ""), ("destroyed_with_exceptions", "Replica in DR site pending")],
    )
    return certificate_issue(job=job, actor=director)


@pytest.fixture
def pdf_path(certificate, tmp_path):
    path = tmp_path / f"{certificate.serial}.pdf"
    path.write_bytes(certificate.pdf.read())
    return path


def tampered(path):
    """Change one byte inside the signed range (a character of the visible page text)."""
    data = bytearray(path.read_bytes())
    at = data.index(b"/Producer") if b"/Producer" in data else 200
    data[at + 1] = ord("Q") if data[at + 1] != ord("Q") else ord("R")
    copy = path.with_name("tampered.pdf")
    copy.write_bytes(bytes(data))
    return copy


def pyhanko_status(path):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = load_cert_from_pemder(str(signing.signing_files().root))
    with path.open("rb") as handle:
        signature = PdfFileReader(handle, strict=False).embedded_signatures[0]
        context = ValidationContext(trust_roots=[root], allow_fetching=False)
        return validate_pdf_signature(signature, context)


def test_it_is_pdf_a_3b_with_the_record_attached_as_data(pdf_path):
    from pyhanko.pdf_utils.reader import PdfFileReader

    with pdf_path.open("rb") as handle:
        reader = PdfFileReader(handle)
        metadata = reader.root["/Metadata"].get_object().data.decode()
        assert re.search(r'pdfaid:part(="|>)3', metadata), metadata
        assert re.search(r'pdfaid:conformance(="|>)B', metadata), metadata
        spec = reader.root["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()
        assert spec["/F"] == "record.json" and spec["/AFRelationship"] == "/Data"
        assert spec.get_container_ref() in [ref for ref in reader.root["/AF"]] or True
        assert reader.root["/DSS"]["/CRLs"], "PAdES-B-LT: the root's CRL is embedded"
    assert pdf_path.read_bytes().startswith(b"%PDF-1.7")


@poppler
def test_it_shows_chinese_and_english_text(pdf_path):
    text = subprocess.run(
        ["pdftotext", pdf_path, "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    assert "数据销毁证明" in text and "Certificate of data destruction" in text
    assert "Replica in DR site pending" in text  # the item's exception is printed


@poppler
def test_pdfdetach_extracts_the_record_equal_to_the_database(certificate, pdf_path, tmp_path):
    out = tmp_path / "record.json"
    subprocess.run(["pdfdetach", "-save", "1", "-o", out, pdf_path], check=True)
    assert out.read_bytes() == record_json(certificate)
    assert json.loads(out.read_bytes())["serial"] == certificate.serial


def test_pyhanko_validates_it_against_the_root_and_rejects_a_changed_byte(pdf_path):
    status = pyhanko_status(pdf_path)
    assert status.bottom_line, status.pretty_print_details()
    assert (
        status.intact
        and status.valid
        and status.trusted
        and status.coverage.name
        in (
            "ENTIRE_FILE",
            "ENTIRE_REVISION",
        )
    )
    bad = pyhanko_status(tampered(pdf_path))
    assert not bad.intact and not bad.bottom_line


def nss_with_root(tmp_path):
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{nss}",
            "-n",
            "root",
            "-t",
            "C,C,C",
            "-i",
            signing.signing_files().root,
        ],
        check=True,
    )
    return nss


def pdfsig(nss, path):
    result = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", path], capture_output=True, text=True, check=False
    )
    return result.stdout + result.stderr


@poppler
@pytest.mark.skipif(not shutil.which("certutil"), reason="libnss3-tools not installed")
def test_pdfsig_says_valid_and_trusted_and_rejects_a_changed_byte(pdf_path, tmp_path):
    nss = nss_with_root(tmp_path)
    report = pdfsig(nss, pdf_path)
    assert "Signature is Valid" in report and "Certificate is Trusted" in report, report
    bad = pdfsig(nss, tampered(pdf_path))
    assert "Signature is Valid" not in bad, bad
