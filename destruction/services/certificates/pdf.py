"""Render a certificate's record as PDF/A-3b (WeasyPrint) and sign it PAdES-B-LT (pyHanko).

WeasyPrint and pyHanko are imported inside the functions: importing WeasyPrint in a Celery
prefork parent has crashed workers (WeasyPrint #684), and neither is needed elsewhere.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from destruction.services.certificates.layout import certificate_context
from destruction.services.certificates.record import record_json
from windown import signing
from windown.pdf import font_configuration, url_fetcher

SIGNATURE_BYTES = 32768  # reserved for the CMS container (certificates + RSA-3072 signature)


def qr_svg(url: str) -> str:
    """Return an inline SVG QR code of `url` (segno, error correction M)."""
    import segno

    return segno.make(url, error="m", micro=False).svg_inline(scale=3, border=2)


def certificate_html(record: dict) -> str:
    """Return the certificate's HTML (both languages) for `record`."""
    url = f"{settings.SITE_URL}/verify/{record['serial']}/"
    context = {**certificate_context(record), "verify_url": url, "qr": qr_svg(url)}
    with translation.override("en"):  # the template prints both languages itself
        return render_to_string("destruction/certificate_pdf.html", context)


def render_pdf(html: str, record_bytes: bytes) -> bytes:
    """Render `html` as PDF/A-3b carrying `record_bytes` as record.json (AFRelationship Data)."""
    from weasyprint import HTML, Attachment

    fetcher = url_fetcher()  # no network, no local files
    record = Attachment(
        string=record_bytes,
        name="record.json",
        description="windown certificate record (canonical JSON)",
        relationship="Data",
        url_fetcher=fetcher,
    )
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/a-3b", attachments=[record], font_config=font_configuration()
    )


@lru_cache(maxsize=4)
def _signer(key: Path, mtime: float):
    """Load the signer once per process; pyHanko would re-parse the RSA key on every signature."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers import SimpleSigner

    loaded = signing.load_signer()
    private_key = serialization.load_der_private_key(loaded.signing_key.dump(), password=None)

    class CachedKeySigner(SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if mechanism.signature_algo != "rsassa_pkcs1v15":
                return super().sign_raw(data, digest_algorithm)
            return private_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    return CachedKeySigner(
        signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key,
        cert_registry=loaded.cert_registry,
    )


@lru_cache(maxsize=4)
def _validation_context_inputs(root: Path, mtime: float):
    from asn1crypto import crl as asn1_crl
    from pyhanko.keys import load_cert_from_pemder

    crl_path = Path(settings.WINDOWN_SIGNING_DIR) / signing.CRL_FILE
    crls = [asn1_crl.CertificateList.load(crl_path.read_bytes())] if crl_path.exists() else []
    return load_cert_from_pemder(str(root)), crls


def sign_pdf(pdf: bytes) -> bytes:
    """Sign `pdf` PAdES-B-LT: the chain and the root's CRL embedded, so it validates offline."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko_certvalidator import ValidationContext

    files = signing.signing_files()
    signer = _signer(files.key, files.key.stat().st_mtime)
    root, crls = _validation_context_inputs(files.root, files.root.stat().st_mtime)
    context = ValidationContext(trust_roots=[root], crls=crls, allow_fetching=False)
    timestamper = (
        timestamps.HTTPTimeStamper(settings.SIGNING_TSA_URL) if settings.SIGNING_TSA_URL else None
    )
    metadata = signers.PdfSignatureMetadata(
        field_name="WindownCertificate",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="Destruction certificate / 数据销毁证明",
        embed_validation_info=True,
        validation_context=context,
    )
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)),
        metadata,
        signer=signer,
        timestamper=timestamper,
        bytes_reserved=SIGNATURE_BYTES,
    )
    return out.getvalue()


def certificate_pdf(record: dict) -> bytes:
    """Render and sign the certificate of `record` (record.json = record_json(record))."""
    return sign_pdf(render_pdf(certificate_html(record), record_json(record)))
