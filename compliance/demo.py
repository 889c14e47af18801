"""The demo's compliance phase: a hold, open matters, the evaluation and part of legal's review.

Legal holds the WeChat exports for a customer's lawsuit, support recorded an open order and a
chargeback, legal approved the clear-cut groups (deletions, Chinese and British retention, data open
matters need), settled one EU conflict in writing and proposed one override that awaits a
second legal member.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from compliance import services
from compliance.selectors import holdings_matching, review_groups
from windown.models import Membership, WindDown

LEGAL = "legal@lumen-electronics.example"
SUPPORT = "support@lumen-electronics.example"


@transaction.atomic
def load(winddown: WindDown, members: dict[str, Membership]) -> None:
    """Evaluate the demo data map once; a wind-down with decisions (or no holdings) is left."""
    if not winddown.holdings.exists() or winddown.decisions.exists():
        return
    legal, support = members[LEGAL], members[SUPPORT]
    services.ruleset_import(winddown=winddown, by=legal)
    wechat = winddown.data_systems.get(name="WeChat chat exports")
    services.hold_place(
        by=legal,
        reference="LH-2026-01",
        case_reference="(2026)粤0305民初12345号",
        reason="Customer lawsuit over a defective power bank (Shenzhen Nanshan court)",
        systems=[wechat],
        customer_references=["CUST-88213"],
        review_on=dt.date(2027, 1, 15),
    )
    returns = winddown.data_systems.get(name="Returns and RMA spreadsheet")
    services.matter_create(
        by=support,
        reference="RMA-4471",
        matter_type="return",
        customer_reference="CUST-10442",
        opened_on=dt.date(2026, 11, 3),
        holdings=list(holdings_matching(winddown, system=returns, jurisdiction="DE")),
        description="Headphones returned, refund pending",
    )
    stripe = winddown.data_systems.get(name="Payment processor (Stripe)")
    services.matter_create(
        by=support,
        reference="CB-2026-118",
        matter_type="chargeback",
        customer_reference="CUST-20931",
        opened_on=dt.date(2026, 10, 20),
        holdings=list(holdings_matching(winddown, system=stripe, jurisdiction="FR")),
        description="Chargeback on a smartwatch order",
    )
    services.decisions_evaluate(winddown=winddown, by=legal, reason="first evaluation")
    _review(winddown, legal)


def _review(winddown: WindDown, legal: Membership) -> None:
    """Approve the clear-cut groups; settle and override one conflict each."""
    for group in review_groups(winddown):
        # Deletions, data an open matter needs and the Chinese and British groups without a
        # conflict are clear-cut; conflicts (EU/EEA and UK subjects whose data only Chinese law
        # keeps) wait for legal's judgement.
        kind = group.disposition in ("delete", "delete_now", "retain_until_resolved")
        clear_cut = kind or group.jurisdiction in ("CN", "GB")
        if clear_cut and not group.conflict:
            services.decisions_approve_group(
                by=legal,
                category_id=group.category_id,
                jurisdiction=group.jurisdiction,
                disposition=group.disposition,
                signature=group.signature,
            )
    conflicted = winddown.decisions.filter(status="proposed", conflict=True).order_by("pk")
    settled = conflicted.filter(holding__jurisdiction="FR").first()
    if settled:
        services.decision_approve(
            by=legal,
            decision=settled,
            reason="Invoices of an OSS seller: the EU's own 10-year duty covers most of it; "
            "art. 17(3)(e) covers the rest while claims are possible.",
        )
    overridden = conflicted.filter(holding__jurisdiction="DE").first()
    if overridden:
        services.decision_override(
            by=legal,
            decision=overridden,
            disposition="archive",
            retain_until=dt.date(2036, 12, 31),
            delete_by=dt.date(2037, 1, 31),
            reason="Keep only for the EU OSS period (VAT Directive art. 369k): the Chinese "
            "30-year duty is no Union or Member State law for a German customer.",
        )
