"""What is kept until when for a jurisdiction, in one sentence for the notice email.

The same facts as the customer's personal page (notices.selectors.summary_for: legal's
approved decisions and active holds), so the email and the page never disagree.

Sending reads them once per batch (batch_facts). It keeps, per process, each jurisdiction's
chosen outcomes (language-neutral: selectors.chosen_outcomes) with the wind-down's audit chain
position they were read at (AuditHead's seq and hash, one row): every change that alters them
(a decision approved, overridden, re-evaluated or marked stale; a hold placed or released; a
matter opened, resolved or imported; holdings or categories imported) is a state change and
appends to the audit chain in its own transaction, so a batch reads one row when nothing
changed and the outcomes again when anything did. The position is read before the outcomes, so
outcomes newer than it are at worst read again. One limit: an evaluation run commits its
decisions chunk by chunk and audits once at its end; while it runs, a batch may word the facts
as of an earlier chunk of it (the page shows whichever chunk is committed), until the run's
audit event.
"""

from __future__ import annotations

from functools import lru_cache

from notices.defaults import page_texts
from notices.selectors import chosen_outcomes, summary_worded
from windown.audit import audit_position

# (winddown, jurisdiction) -> (audit chain position read before, chosen outcomes)
_read: dict[tuple[int, str], tuple[tuple[int, str], tuple]] = {}
_READ_MAX = 4096


def kept_facts(winddown_id: int, jurisdiction: str, language: str) -> str:
    """E.g. "Invoices · Orders: kept until 31 December 2036 (legal retention period…)";
    empty when legal has approved nothing that keeps data for this jurisdiction."""
    if not jurisdiction:
        return ""
    return _worded(chosen_outcomes(winddown_id, jurisdiction), language)


@lru_cache(maxsize=1024)
def _worded(chosen: tuple, language: str) -> str:
    """The sentence for outcomes chosen_outcomes read (frozen, so they key the cache)."""
    summary = summary_worded(chosen, [], language)
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
    query may run between a message and the recording of its outcome (notices/outcomes.py).
    One query when the audit chain has not moved since the last batch, plus one per
    jurisdiction when it has."""
    pairs = {(d.recipient.jurisdiction, d.recipient.language) for d in deliveries}
    position = audit_position(winddown_id)
    chosen: dict[str, tuple] = {"": ()}
    for jurisdiction in {j for j, _ in pairs if j}:
        key = (winddown_id, jurisdiction)
        kept = _read.get(key)
        if kept is None or kept[0] != position:
            if len(_read) >= _READ_MAX:
                _read.clear()
            kept = _read[key] = (position, chosen_outcomes(winddown_id, jurisdiction))
        chosen[jurisdiction] = kept[1]
    return {(j, lang): _worded(chosen[j], lang) for j, lang in pairs}
