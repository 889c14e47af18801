"""The demo archive: the Finance ERP's Chinese invoices, kept under the 30-year voucher rule.

A demo custodian identity is written to var/demo/archive-custodian.key (demo only: a real
custodian generates theirs with age-keygen and never hands it over), its public key is
registered, the invoices are archived, read back with that identity and verified.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

from django.conf import settings
from pyrage import x25519

from destruction.models import Archive, CustodianKey
from destruction.selectors.archives import archivable_decisions
from destruction.services.archives import (
    archive_create,
    archive_decrypt,
    archive_verify,
    custodian_key_register,
)
from windown.models import Membership, WindDown

DIRECTOR = "director@lumen-electronics.example"
IT = "it@lumen-electronics.example"
CUSTODIAN_NAME = "赵敏 Zhao Min (Finance, demo custodian)"
ERP = "Finance ERP (Kingdee Cloud)"


def custodian_key_path() -> Path:
    return Path(settings.WINDOWN_DEMO_DIR) / "archive-custodian.key"


def _demo_identity() -> x25519.Identity:
    """Read the demo custodian's identity, or make one in age-keygen's file format."""
    path = custodian_key_path()
    if path.exists():
        for line in path.read_text().splitlines():
            if line.startswith("AGE-SECRET-KEY-"):
                return x25519.Identity.from_str(line)
    identity = x25519.Identity.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    path.write_text(
        f"# created: {created}\n# public key: {identity.to_public()}\n"
        "# DEMO ONLY: a real custodian keeps this file offline and never gives it to windown\n"
        f"{identity}\n"
    )
    path.chmod(0o600)
    return identity


def _invoices(fields: list[str], count: int = 480) -> bytes:
    names = ["王小明", "李娜", "张伟", "刘洋", "陈静", "杨磊"]
    values = {
        "invoice_no": lambda n: f"LUM-FP-2023-{n:06d}",
        "buyer_name": lambda n: names[n % len(names)],
        "vat_id": lambda n: f"91440300MA5F{n:06d}",
        "amount": lambda n: f"{(n * 37) % 9000 + 99}.00",
    }
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(fields)
    for n in range(1, count + 1):
        writer.writerow([values.get(f, lambda n, f=f: f"{f}-{n}")(n) for f in fields])
    return text.getvalue().encode()


def load(winddown: WindDown, members: dict[str, Membership]) -> None:
    """Make the demo archive once (a wind-down with an archive is left as it is)."""
    if Archive.objects.filter(winddown=winddown).exists():
        return
    decision = (
        archivable_decisions(winddown)
        .filter(
            holding__system__name=ERP,
            holding__category__key="commerce.invoice",
            holding__jurisdiction="CN",
        )
        .first()
    )
    if decision is None:
        return
    identity = _demo_identity()
    public = str(identity.to_public())
    if not CustodianKey.objects.filter(winddown=winddown, recipient=public).exists():
        custodian_key_register(
            by=members[DIRECTOR],
            custodian_name=CUSTODIAN_NAME,
            custodian_email="finance@lumen-electronics.example",
            recipient=public,
        )
    fields = list(decision.holding.fields)
    archive = archive_create(
        by=members[IT],
        decision=decision,
        upload=io.BytesIO(_invoices(fields)),
        filename="kingdee-invoices-CN-2019-2024.csv",
    )
    readback = io.BytesIO()
    archive_decrypt(
        archive=archive,
        custodian_identity=str(identity),
        out=readback,
        by=members[IT],
        actor_label="demo read-back",
    )
    archive_verify(
        by=members[IT],
        archive=archive,
        plaintext_sha256=hashlib.sha256(readback.getvalue()).hexdigest(),
        custodian_name=CUSTODIAN_NAME,
        method=Archive.Verification.READ_BACK,
    )
