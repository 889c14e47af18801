"""init_signing_ca makes a CA fit for PAdES certificates and signed checkpoints."""

import io
import stat
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from windown import signing

pdfsig = pytest.mark.skipif(
    subprocess.run(["which", "pdfsig", "certutil"], capture_output=True).returncode != 0,
    reason="poppler-utils and libnss3-tools are installed by `make test`",
)


def init_ca(settings, tmp_path, *args):
    settings.WINDOWN_SIGNING_DIR = tmp_path / "signing"
    out = io.StringIO()
    call_command("init_signing_ca", *args, stdout=out)
    return settings.WINDOWN_SIGNING_DIR, out.getvalue()


def test_it_creates_a_root_a_signing_certificate_and_a_crl(settings, tmp_path):
    directory, out = init_ca(settings, tmp_path, "--organization", "Acme Trading Ltd")

    root = x509.load_pem_x509_certificate((directory / "root.pem").read_bytes())
    cert = x509.load_pem_x509_certificate((directory / "signing.pem").read_bytes())
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert cert.issuer == root.subject
    cert.verify_directly_issued_by(root)
    for certificate in (root, cert):
        assert isinstance(certificate.public_key(), rsa.RSAPublicKey)
        assert certificate.public_key().key_size >= 3072
        assert isinstance(certificate.signature_hash_algorithm, hashes.SHA256)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment  # nonRepudiation
    assert not usage.key_cert_sign
    crl = x509.load_der_x509_crl((directory / "root.crl").read_bytes())
    assert crl.is_signature_valid(root.public_key()) and len(crl) == 0

    for key in ("root.key", "signing.key"):
        assert stat.S_IMODE((directory / key).stat().st_mode) == 0o600
    openssl = subprocess.run(
        ["openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", directory / "root.pem"],
        capture_output=True,
        text=True,
        check=True,
    )
    fingerprint = openssl.stdout.strip().split("=", 1)[1]
    assert f"SHA-256 fingerprint: {fingerprint}" in out
    assert signing.root_fingerprint() == fingerprint
    assert "Acme Trading Ltd" in cert.subject.rfc4514_string()


def test_running_it_again_keeps_the_ca_unless_forced(settings, tmp_path):
    directory, first = init_ca(settings, tmp_path)
    before = {p.name: p.read_bytes() for p in directory.iterdir()}

    _, again = init_ca(settings, tmp_path)
    assert "already exists" in again
    assert {p.name: p.read_bytes() for p in directory.iterdir()} == before
    assert again.splitlines()[-1] == first.splitlines()[1]  # the same fingerprint

    _, forced = init_ca(settings, tmp_path, "--force")
    assert (directory / "root.pem").read_bytes() != before["root.pem"]
    assert signing.root_fingerprint() in forced


def test_it_refuses_when_the_installation_signs_with_a_company_ca(settings, tmp_path):
    settings.WINDOWN_SIGNING_CERT = str(tmp_path / "company.pem")
    with pytest.raises(CommandError, match="your CA's certificate"):
        init_ca(settings, tmp_path)
    assert not (tmp_path / "signing").exists()


def test_nothing_makes_a_key_by_itself_when_none_is_configured(settings, tmp_path):
    settings.WINDOWN_SIGNING_DIR = tmp_path / "empty"
    with pytest.raises(ImproperlyConfigured, match="init_signing_ca"):
        signing.load_signer()
    with pytest.raises(ImproperlyConfigured, match="init_signing_ca"):
        signing.sign_bytes(b"checkpoint")
    assert not (tmp_path / "empty").exists()


def test_raw_signatures_verify_with_openssl_and_fail_on_a_changed_byte(signing_ca, tmp_path):
    data = b"windown.localhost/acme\n12\nabc=\n"
    signature = signing.sign_bytes(data)
    assert signing.verify_bytes(data, signature)
    assert not signing.verify_bytes(data.replace(b"12", b"13"), signature)

    (tmp_path / "data").write_bytes(data)
    (tmp_path / "sig").write_bytes(signature)
    subprocess.run(
        ["openssl", "x509", "-pubkey", "-noout", "-in", signing_ca / "signing.pem"],
        stdout=(tmp_path / "pub.pem").open("wb"),
        check=True,
    )
    openssl = ["openssl", "dgst", "-sha256", "-verify", tmp_path / "pub.pem", "-signature"]
    ok = subprocess.run([*openssl, tmp_path / "sig", tmp_path / "data"], capture_output=True)
    assert ok.returncode == 0 and b"Verified OK" in ok.stdout
    (tmp_path / "data").write_bytes(data.replace(b"12", b"13"))
    bad = subprocess.run([*openssl, tmp_path / "sig", tmp_path / "data"], capture_output=True)
    assert bad.returncode != 0


# --- a PAdES signature with this CA validates with pyHanko and poppler ----------------------
@pytest.fixture
def signed_pdf(signing_ca, tmp_path):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from weasyprint import HTML

    pdf = HTML(string="<h1>windown</h1><p>删除证明 test</p>").write_pdf()
    metadata = signers.PdfSignatureMetadata(
        field_name="Signature", subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), metadata, signer=signing.load_signer()
    )
    path = tmp_path / "signed.pdf"
    path.write_bytes(out.getvalue())
    return path


def tampered(path):
    data = path.read_bytes()
    assert data.count(b"WeasyPrint") >= 1
    copy = path.with_name("tampered.pdf")
    copy.write_bytes(data.replace(b"WeasyPrint", b"WeasyPrinT", 1))  # one byte
    return copy


def pyhanko_status(path):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = load_cert_from_pemder(str(signing.signing_files().root))
    with path.open("rb") as handle:
        signature = PdfFileReader(handle).embedded_signatures[0]
        return validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))


def test_a_pades_signature_validates_with_pyhanko_against_the_root(signed_pdf):
    status = pyhanko_status(signed_pdf)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.bottom_line

    bad = pyhanko_status(tampered(signed_pdf))
    assert not bad.intact and not bad.bottom_line


def run_pdfsig(nss, path):
    result = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", path], capture_output=True, text=True, check=False
    )
    return result.stdout + result.stderr


@pdfsig
def test_a_pades_signature_validates_with_pdfsig_against_an_nss_database_holding_the_root(
    signed_pdf, tmp_path
):
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    root = signing.signing_files().root
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{nss}", "-n", "root", "-t", "C,C,C", "-i", root],
        check=True,
    )

    report = run_pdfsig(nss, signed_pdf)
    assert "Signature is Valid" in report and "Certificate is Trusted" in report, report

    bad = run_pdfsig(nss, tampered(signed_pdf))
    assert "Signature is Valid" not in bad and "Digest Mismatch" in bad, bad
