"""What is kept until when for a jurisdiction, in one sentence for the notice email.

The same facts as the customer's personal page (notices.selectors.summary_for: legal's
approved decisions and active holds), so the email and the page never disagree.
"""

from __future__ import annotations

from notices.defaults import page_texts
from notices.selectors import summary_for


def kept_facts(winddown_id: int, jurisdiction: str, language: str) -> str:
    """E.g. "Invoices · Orders: kept until 31 December 2036 (legal retention period…)";
    empty when legal has approved nothing that keeps data for this jurisdiction."""
    if not jurisdiction:
        return ""
    summary = summary_for(winddown_id, jurisdiction, language)
    t = page_texts(language, {})
    parts = []
    for group in summary.kept:
        if group.kind == "archive":
            head = f"{t['kept_until']} {group.until} ({t['kept_reason']})"
        elif group.kind == "retain_until_resolved":
            head = t["kept_matter"]
        else:
            head = t["kept_hold"]
        parts.append(f"{' · '.join(group.labels)}: {head}")
    return "; ".join(parts)


def batch_facts(winddown_id: int, deliveries) -> dict[tuple[str, str], str]:
    """The facts of every (jurisdiction, language) in a batch, read before sending starts: no
    query may run between a message and the recording of its outcome (notices/outcomes.py)."""
    pairs = {(d.recipient.jurisdiction, d.recipient.language) for d in deliveries}
    return {pair: kept_facts(winddown_id, *pair) for pair in pairs}
