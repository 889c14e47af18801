"""Measure the pure retention engine: slices evaluated per second with the shipped ruleset.

Run from the repository root: python -m bench.bench_engine [--slices 50000] [--seed 1]
Prints a figure; asserts nothing.
"""

import argparse
import random
import time
from collections import Counter
from datetime import date, timedelta

from compliance.engine import (
    CompanyFacts,
    HoldingSlice,
    OpenMatter,
    evaluate,
    load_ruleset,
)

RECORD_FIELDS = {
    "invoices": (
        "invoice_number",
        "invoice_date",
        "net_amount",
        "vat_amount",
        "vat_rate",
        "currency",
        "buyer_vat_id",
        "buyer_name",
        "buyer_address",
        "email",
    ),
    "order_records": (
        "order_number",
        "order_date",
        "item_description",
        "quantity",
        "unit_price",
        "gross_amount",
        "currency",
        "buyer_name",
        "shipping_address",
        "phone",
    ),
    "payment_records": (
        "payment_id",
        "payment_date",
        "payment_amount",
        "payment_method",
        "currency",
        "payer_name",
        "iban",
    ),
    "accounting_vouchers": (
        "voucher_number",
        "posting_date",
        "account_code",
        "amount",
        "currency",
        "customer_name",
    ),
    "ledgers": ("posting_date", "account_code", "amount", "currency", "customer_number"),
    "customer_service_chats": ("message_date", "message_text", "customer_name", "email"),
    "business_letters": ("document_date", "subject", "body", "recipient_name", "address"),
    "account_data": ("username", "email", "phone", "address", "created_at"),
    "marketing_profile": ("email", "segments", "scores"),
    "browsing_history": ("session_id", "url", "visited_at"),
    "search_history": ("query", "searched_at"),
    "identity_documents": ("document_type", "document_number", "scan"),
    "auth_secrets": ("password_hash", "totp_secret"),
    "card_full": ("card_number", "cvv", "expiry"),
    "card_last4": ("card_last4", "card_brand", "payment_id"),
    "consumer_request_logs": ("request_id", "request_type", "request_date", "requester_email"),
}
SUBJECT_JURISDICTIONS = ("DE", "FR", "NL", "IT", "EU", "GB", "US", "US-CA", "JP", "CN", "SG")
COMPANIES = (
    CompanyFacts("CN", "CN_enterprise", frozenset({"CN_TAX", "EU_OSS"})),
    CompanyFacts(
        "DE", "GmbH", frozenset({"DE_VAT", "DE_CT"}), attributes=frozenset({"liquidation"})
    ),
    CompanyFacts("JP", "KK", frozenset({"JP_CT", "JP_QII"}), fiscal_year_end_month=3),
)
DEADLINE, AS_OF = date(2026, 12, 31), date(2026, 11, 15)


def make_slices(n: int, seed: int = 1) -> list[HoldingSlice]:
    """Return n reproducible, varied holding slices."""
    rng = random.Random(seed)
    record_types = sorted(RECORD_FIELDS)
    slices = []
    for _ in range(n):
        record_type = rng.choice(record_types)
        oldest = date(2010, 1, 1) + timedelta(days=rng.randrange(5000))
        newest = None if rng.random() < 0.02 else oldest + timedelta(days=rng.randrange(1500))
        slices.append(
            HoldingSlice(
                record_type=record_type,
                subject_jurisdiction=rng.choice(SUBJECT_JURISDICTIONS),
                oldest_record=oldest,
                newest_record=min(newest, AS_OF) if newest else None,
                fields=RECORD_FIELDS[record_type],
                processed_in=rng.choice(("CN", "DE", "")),
            )
        )
    return slices


def run(n: int, seed: int) -> None:
    ruleset = load_ruleset()
    slices = make_slices(n, seed)
    rng = random.Random(seed)
    # Roughly 5 % of slices under an open matter, as the caller would pass (legal holds are
    # laid over the decisions by the caller, not evaluated).
    matter = (OpenMatter("ORD-1", "order", date(2026, 10, 1)),)
    covers = [matter if rng.random() < 0.05 else () for _ in slices]
    for company in COMPANIES:
        dispositions, conflicts = Counter(), 0
        started, cpu_started = time.perf_counter(), time.process_time()
        for holding, matters in zip(slices, covers, strict=True):
            proposal = evaluate(
                holding,
                company=company,
                ruleset=ruleset,
                deletion_deadline=DEADLINE,
                as_of=AS_OF,
                matters=matters,
            )
            dispositions[proposal.disposition.value] += 1
            conflicts += proposal.conflict
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started  # less disturbed by other processes
        print(
            f"{company.registration_country} {company.company_form}: {n} slices in {elapsed:.2f} s"
            f" = {n / elapsed:,.0f} slices/s ({n / cpu:,.0f} per CPU-second); "
            f"{dict(sorted(dispositions.items()))}, {conflicts} conflicts"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slices", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    run(arguments.slices, arguments.seed)
