#!/usr/bin/env python3
"""Verify a windown destruction certificate bundle with pyHanko alone (no windown, no Django).

Run it inside the unzipped bundle:  python3 verify.py [CERTIFICATE.pdf]
  (pip install pyhanko; it brings asn1crypto and cryptography)

1. The PDF's signature validates against root.pem: the signed bytes are intact, the signing
   certificate chains to root.pem, and nothing but validation data was added after signing.
2. The PDF is the one SHA256SUMS lists (the validation data added after signing lies outside
   the signature: only this hash pins every byte), and record.json, checkpoint.txt and
   inclusion-proof.json are those embedded in the signed PDF.
3. The checkpoint (a C2SP signed note) is signed by the key that signed the PDF.
4. The inclusion proof leads from the issuance event's hash to the checkpoint's Merkle root
   (RFC 9162: leaf = SHA-256(0x00 || event hash), node = SHA-256(0x01 || left || right)).
Exit status: 0 valid, 1 invalid (each failed check is printed), 2 usage error.
"""

import base64
import hashlib
import json
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore

HERE = Path(__file__).resolve().parent


def check_signature(pdf_path):
    """Return (problems, signer certificate, embedded record.json bytes)."""
    root = load_cert_from_pemder(str(HERE / "root.pem"))
    with open(pdf_path, "rb") as handle:
        data = handle.read()
        reader = PdfFileReader(handle)
        signatures = reader.embedded_regular_signatures
        if len(signatures) != 1:
            return [f"expected one signature, found {len(signatures)}"], None, None
        context = DocumentSecurityStore.read_dss(reader).as_validation_context(
            {"trust_roots": [root], "allow_fetching": False}
        )
        status = validate_pdf_signature(signatures[0], context)
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
        files = {str(names[i]): names[i + 1].get_object() for i in range(0, len(names), 2)}
        record = files["record.json"]["/EF"]["/F"].get_object().data
    problems = []
    if not (status.intact and status.valid):
        problems.append("signature: the signed content was changed, or the signature is wrong")
    elif not status.trusted:
        problems.append("chain: the signing certificate does not chain to root.pem")
    lta_only = status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and (
        status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
    )
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE and not lta_only:
        problems.append("unmodified: the file was changed after it was signed")
    if not data.rstrip(b"\r\n").endswith(b"%%EOF"):
        problems.append("unmodified: bytes were added after the end of the signed file")
    signer = None if problems else x509.load_der_x509_certificate(status.signing_cert.dump())
    return problems, signer, record


def check_checkpoint(text, signer):
    """Return the checkpoint's (tree size, root hash) if the PDF's signing key signed it."""
    body, _, signature_lines = text.partition("\n\n")
    _origin, size, root_b64 = body.split("\n")[:3]
    spki = signer.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    key_id = hashlib.sha256(spki).digest()[:4]
    for line in signature_lines.splitlines():
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != "\u2014":
            continue
        blob = base64.b64decode(parts[2])
        if blob[:4] != key_id:
            continue
        try:
            signer.public_key().verify(
                blob[4:], (body + "\n").encode(), padding.PKCS1v15(), hashes.SHA256()
            )
        except Exception:  # noqa: S112  # nosec B112 # a wrong signature: try the next line
            continue
        return int(size), base64.b64decode(root_b64)
    return None


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def inclusion_ok(index, size, leaf, path, root):
    """RFC 9162 section 2.1.3.2: verify an inclusion proof."""
    if not 0 <= index < size:
        return False
    fn, sn, digest = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            digest = node(sibling, digest)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            digest = node(digest, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and digest == root


def main(argv):
    pdfs = argv[1:] or sorted(str(p) for p in HERE.glob("*.pdf"))
    if len(pdfs) != 1 or not Path(pdfs[0]).is_file():
        print("usage: python3 verify.py [CERTIFICATE.pdf]  (inside the unzipped bundle)")
        return 2
    try:
        problems, signer, embedded = check_signature(pdfs[0])
        record = json.loads(embedded)
    except Exception as broken:  # an unreadable file is an invalid one
        print(f"INVALID signature: the PDF could not be read or validated ({broken})")
        return 1
    sums = HERE / "SHA256SUMS"
    pdf_sha256 = hashlib.sha256(Path(pdfs[0]).read_bytes()).hexdigest()
    if sums.is_file() and pdf_sha256 not in sums.read_text().split()[::2]:
        # the validation data (PAdES-LT) lies outside the signature: only the hash pins it
        problems.append("bundle: the PDF is not the one listed in SHA256SUMS")
    if (HERE / "record.json").read_bytes() != embedded:
        problems.append("bundle: record.json is not the record embedded in the PDF")
    checkpoint = (HERE / "checkpoint.txt").read_text(encoding="utf-8")
    proof = json.loads((HERE / "inclusion-proof.json").read_text(encoding="utf-8"))
    if checkpoint != record["checkpoint"] or proof != record["inclusion_proof"]:
        problems.append("bundle: the checkpoint or proof is not the one embedded in the PDF")
    signed = check_checkpoint(record["checkpoint"], signer) if signer else None
    if signer is None:
        problems.append("checkpoint: not checked, the record is not covered by a trusted signature")
    elif signed is None:
        problems.append("checkpoint: not signed by the key that signed the PDF")
    else:
        size, root = signed
        proof = record["inclusion_proof"]
        leaf = hashlib.sha256(b"\x00" + bytes.fromhex(proof["event_hash"])).digest()
        path = [bytes.fromhex(h) for h in proof["hashes"]]
        index_ok = proof["leaf_index"] == proof["event_seq"] - 1  # leaf i is event #i+1
        if (
            not index_ok
            or proof["tree_size"] != size
            or not inclusion_ok(proof["leaf_index"], size, leaf, path, root)
        ):
            problems.append(f"inclusion: event #{proof['event_seq']} is not in the checkpoint")
    for problem in problems:
        print(f"INVALID {problem}")
    if problems:
        return 1
    print(
        f"VALID {record.get('serial', '')}: signature, chain to root.pem, unmodified, "
        f"event #{record['inclusion_proof']['event_seq']} in checkpoint of {signed[0]} events"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
