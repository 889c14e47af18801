"""Factories for archive tests: an effective archive decision, custodian keys, real exports."""

from __future__ import annotations

import csv
import io

from pyrage import x25519

from compliance.models import Decision
from compliance.services import decision_approve, decisions_evaluate
from compliance.tests.factories import DataSystemFactory, make_holding
from destruction.services.archives import archive_create, custodian_key_register
from windown.spreadsheets import neutralise

INVOICE_COLUMNS = [
    "invoice_number",
    "invoice_date",
    "net_amount",
    "vat_amount",
    "buyer_name",
    "buyer_phone",
    "marketing_opt_in",  # never part of an invoice record: every field plan drops it
]


def kept(decision) -> list[str]:
    """The export's columns the decision keeps, in the export's order."""
    return [c for c in INVOICE_COLUMNS if c in decision.keep_fields]


def dropped(decision) -> list[str]:
    return [c for c in INVOICE_COLUMNS if c not in decision.keep_fields]


def archive_decision(winddown, legal, *, system_name: str = "ERP") -> Decision:
    """An approved `archive` decision over CN invoices; its field plan drops at least the
    newsletter flag (the expectations below follow whatever else the plan keeps)."""
    system = DataSystemFactory(winddown=winddown, name=system_name)
    holding = make_holding(winddown, system=system, fields=INVOICE_COLUMNS)
    decisions_evaluate(winddown=winddown, holding_ids=[holding.pk])
    decision = Decision.objects.get(holding=holding)
    assert decision.disposition == "archive", decision.disposition
    assert "marketing_opt_in" in decision.drop_fields, decision.drop_fields
    return decision_approve(by=legal, decision=decision, fingerprint=decision.fingerprint)


def custodian(by, name: str = "Wang Fang") -> x25519.Identity:
    """Generate a custodian identity (as age-keygen would) and register its public key."""
    identity = x25519.Identity.generate()
    custodian_key_register(by=by, custodian_name=name, recipient=str(identity.to_public()))
    return identity


def invoice_rows(count: int) -> list[list[str]]:
    return [
        [
            f"INV-{n:07d}",
            "2024-03-31",
            f"{n % 997}.50",
            f"{n % 97}.25",
            f"Buyer {n}, Ltd",
            f"+86 755 {n:08d}",
            f"opt-in-{n}",
        ]
        for n in range(1, count + 1)
    ]


def invoices_csv(count: int = 3, *, header=INVOICE_COLUMNS, encoding: str = "utf-8") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(invoice_rows(count))
    return text.getvalue().encode(encoding)


def expected_plaintext(count: int, decision) -> bytes:
    """The archived CSV: the kept columns of `invoice_rows`, RFC 4180 line ends, cells that
    would start a formula neutralised (the phone numbers' +)."""
    indexes = [INVOICE_COLUMNS.index(c) for c in kept(decision)]
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(kept(decision))
    writer.writerows([[neutralise(row[i]) for i in indexes] for row in invoice_rows(count)])
    return text.getvalue().encode()


def make_archive(it, decision, *, count: int = 3, data: bytes | None = None, name="inv.csv"):
    return archive_create(
        by=it, decision=decision, upload=io.BytesIO(data or invoices_csv(count)), filename=name
    )
