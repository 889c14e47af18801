"""The completion receipt's facts in one language, from what destruction handed over.

A receipt campaign (Campaign.kind "receipt") carries, language-neutral, the categories that were
destroyed and when, and the serials and verification links of the certificates that prove it
(notices.services.receipts). This module writes them as the receipt's variables; what is kept
until when comes from notices.facts, the same facts as the personal page.
"""

from __future__ import annotations

import datetime as dt

from notices.dates import format_date
from notices.defaults import category_labels, receipt_word
from notices.models import Campaign, Language


def _label(fact: dict, language: str, shipped: dict[str, str]) -> str:
    chinese = language == Language.ZH_HANS
    return (chinese and fact.get("label_zh")) or shipped.get(fact["key"]) or fact["label_en"]


def receipt_context(campaign: Campaign, language: str) -> dict[str, str]:
    """The receipt's variables (deleted_facts, certificates, appeal_until); empty for a notice."""
    if campaign.kind != Campaign.Kind.RECEIPT:
        return {"deleted_facts": "", "certificates": "", "appeal_until": ""}
    facts = campaign.receipt_facts or {}
    shipped = category_labels(language)
    by_day: dict[str, set[str]] = {}
    for fact in facts.get("deleted", []):
        by_day.setdefault(fact["destroyed_on"], set()).add(_label(fact, language, shipped))
    deleted_on = receipt_word(language, "deleted_on")
    deleted = "; ".join(
        f"{' · '.join(sorted(labels))}: {deleted_on} "
        f"{format_date(dt.date.fromisoformat(day), language)}"
        for day, labels in sorted(by_day.items())
    )
    certificates = "\n".join(
        f"{c['serial']} {c['verify_url']}" for c in facts.get("certificates", [])
    )
    return {
        "deleted_facts": deleted,
        "certificates": certificates,
        "appeal_until": format_date(campaign.appeal_until, language),
    }
