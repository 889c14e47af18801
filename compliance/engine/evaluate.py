"""Propose a disposition for one holding slice, by the rules of DESIGN.md."""

from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache

from . import jurisdictions
from .binding import binding
from .dates import anchor_and_end, describe_period, describe_start
from .ruleset import Ruleset
from .types import (
    CompanyFacts,
    Disposition,
    Effect,
    HoldingSlice,
    OpenMatter,
    Proposal,
    Rule,
    RuleOutcome,
    SubjectLaw,
)

_ERASURE = {
    Disposition.DELETE_NOW: "erase now",
    Disposition.DELETE: "erase by {delete_by}",
    Disposition.ARCHIVE: "erase on {delete_by} when retention ends; until then storage only",
    Disposition.RETAIN_UNTIL_RESOLVED: "erasure waits until the open matter is resolved",
}
ONE_DAY = timedelta(days=1)


def evaluate(
    holding: HoldingSlice,
    *,
    company: CompanyFacts,
    ruleset: Ruleset,
    deletion_deadline: date,
    as_of: date,
    matters: Sequence[OpenMatter] = (),
) -> Proposal:
    """Propose what to do with a slice; matters are only those covering it.

    Precedence: never-keep data, then an open matter, then the longest retention duty past
    the deletion deadline (archive), else delete by the deadline — not before a duty that
    ends earlier has ended. Legal holds are laid over the proposal by the caller.
    """
    subject = holding.subject_jurisdiction
    bound = binding(ruleset, company, holding.record_type, subject, holding.processed_in)
    ends = _ends(bound, holding, company, deletion_deadline, as_of)
    applied = [rule for rule, binds, _ in bound if binds]
    retention = [r for r in applied if r.effect is Effect.RETENTION_MINIMUM]
    keeping = [r for r in retention if ends[r.key][1] > deletion_deadline]
    never_keep = [r for r in applied if r.effect is Effect.NEVER_KEEP]
    integrity = [r for r in applied if r.effect is Effect.RECORD_INTEGRITY]
    retain_until, keep, conflict_reason = None, (), ""
    if never_keep:
        disposition, delete_by = Disposition.DELETE_NOW, as_of
        then = "delete now"
        basis = f"Never kept ({never_keep[0].instrument}): delete now"
    elif keeping:
        longest = _longest(keeping, ends)
        retain_until = ends[longest.key][1]
        disposition, delete_by = Disposition.ARCHIVE, retain_until + ONE_DAY
        then = f"archive until {retain_until}"
        among = f"the longest of {len(keeping)} duties" if len(keeping) > 1 else "the only duty"
        basis = (
            f"Archive until {retain_until} under {longest.key} "
            f"({describe_period(longest.period_months)}), {among} lasting past the deletion "
            "deadline"
        )
        keep, plan = _field_plan(keeping, holding.fields, integrity)
        basis += plan
        subject_law = ruleset.subject_law_for(subject)
        if subject_law:
            conflict_reason = _conflict(keeping, ends, subject, deletion_deadline, subject_law)
        if conflict_reason:
            basis += f"; CONFLICT with {subject_law.law}: legal must decide"
    else:
        disposition, delete_by = Disposition.DELETE, deletion_deadline
        running = [r for r in retention if ends[r.key][1] >= as_of]
        if running:  # a duty ending by the deadline still binds until it ends
            longest = _longest(running, ends)
            retain_until = ends[longest.key][1]
            delete_by = max(deletion_deadline, retain_until + ONE_DAY)
            then = f"keep until {retain_until}, then delete by {delete_by}"
            basis = (
                f"Keep until {retain_until} under {longest.key} "
                f"({describe_period(longest.period_months)}), then delete by {delete_by}"
            )
            if delete_by > deletion_deadline:
                basis += ": the duty ends on the deletion deadline, so deletion waits a day"
        elif retention:
            then = f"delete by {deletion_deadline}"
            last = max(ends[r.key][1] for r in retention)
            basis = f"Retention ended {last}, before the evaluation: {then}"
        else:
            then = f"delete by {deletion_deadline}"
            basis = f"No retention duty applies: {then}"
    if matters and not never_keep:
        disposition, retain_until, keep = Disposition.RETAIN_UNTIL_RESOLVED, None, holding.fields
        refs = ", ".join(f"{m.reference} ({m.matter_type})" for m in matters)
        basis = f"Open matter {refs} needs the data; once resolved: {then}"
    if subject == jurisdictions.UNKNOWN:
        basis += "; subject jurisdiction unknown (OTHER): no subject-side law was considered"
    erasure = _ERASURE[disposition].format(delete_by=delete_by)
    if never_keep:
        claims = "never-keep data: a claim does not keep it"
    elif matters:
        refs = ", ".join(m.reference for m in matters)
        claims = f"justifies keeping while open matter {refs} is unresolved"
    else:
        claims = "may justify keeping if a claim is pending — see open matters (none)"
    claimed = bool(matters) and not never_keep
    considered = tuple(
        _outcome(rule, why, ends.get(rule.key), deletion_deadline, erasure, claims, claimed)
        if binds
        else _unbound(rule, why)
        for rule, binds, why in bound
    )
    return Proposal(
        disposition=disposition,
        retain_until=retain_until,
        delete_by=delete_by,
        considered=considered,
        keep_fields=keep,
        drop_fields=tuple(f for f in holding.fields if f not in keep),
        basis=basis,
        conflict=bool(conflict_reason),
        conflict_reason=conflict_reason,
    )


def _field_plan(
    keeping: list[Rule], fields: tuple[str, ...], integrity: list[Rule]
) -> tuple[tuple[str, ...], str]:
    """Return the fields the archive keeps, and the words that explain why.

    A record kept by law is kept whole — restricted, not blanked — and only data that is not
    part of it is dropped; a rule with keep_fields de-identifies to those. Each duty keeps
    what it needs, so the archive keeps the union.
    """
    whole = [r for r in keeping if r.whole_record]
    needed = frozenset().union(*(r.keep_fields for r in keeping if not r.whole_record))
    if whole:
        not_record = frozenset.intersection(*(r.drop_fields for r in whole))
        keep = tuple(f for f in fields if f not in not_record or f in needed)
        words = "; the record is kept whole, encrypted and restricted to storage and security"
        if integrity:
            cited = "; ".join(r.citation for r in integrity)
            words += f" — its content may not be altered ({cited})"
        dropped = [f for f in fields if f not in keep]
        if dropped:
            words += f"; not part of the record, so dropped: {', '.join(dropped)}"
        return keep, words
    keep = tuple(f for f in fields if f in needed)
    if fields and not keep:  # unknown field names: keep all rather than lose data
        return fields, "; no field matches the rules' keep_fields, so all are kept"
    return keep, "; de-identified to the fields the duty needs"


def _ends(bound, holding: HoldingSlice, company: CompanyFacts, deadline: date, as_of: date):
    """Return {rule key: (anchor, end, start in words)} for each binding rule with a period."""
    if holding.newest_record:
        basis, label = holding.newest_record, "newest record"
    else:  # the oldest record is no safe basis: the newest may be as recent as today
        basis, label = as_of, "the evaluation date (newest record date unknown)"
    month, day = company.fiscal_year_end_month, company.fiscal_year_end_day
    fiscal_year = f"{month:02d}-{day:02d}"
    ends = {}
    for rule, binds, _ in bound:
        if binds and rule.period_months:
            anchor, end = anchor_and_end(
                rule.start, rule.period_months, rule.start_months, basis, month, day, deadline
            )
            words = describe_start(rule.start, rule.start_months, label, fiscal_year)
            ends[rule.key] = anchor, end, words
    return ends


def _longest(rules: list[Rule], ends: dict) -> Rule | None:
    """Return the rule keeping longest; on a tie, the first in file order."""
    return max(rules, key=lambda r: ends[r.key][1], default=None)


def _conflict(
    keeping: list[Rule], ends: dict, subject: str, deadline: date, law: SubjectLaw
) -> str:
    """Explain which part of the retention rests on law the subject's data-protection law does
    not accept as a legal obligation, or return ''."""
    other = _longest([r for r in keeping if not law.accepts(r.jurisdiction)], ends)
    own = _longest([r for r in keeping if law.accepts(r.jurisdiction)], ends)
    if not other or (own and ends[own.key][1] >= ends[other.key][1]):
        return ""
    other_anchor, other_end, _ = ends[other.key]
    other_period = describe_period(other.period_months)
    other_text = f"{other.key} ({other.citation}; {other_period}, to {other_end})"
    if not own:
        return (
            f"Only non-{law.label} law keeps this data past the deletion deadline: {other_text}. "
            f"The subject is in {subject}: {law.why}. Legal must decide: archive "
            f"until {other_end} as proposed, or delete by {deadline}."
        )
    own_anchor, own_end, _ = ends[own.key]
    if own_anchor == other_anchor and not (own.period_months % 12 or other.period_months % 12):
        extra = f"years {own.period_months // 12 + 1} to {other.period_months // 12}"
    else:
        extra = f"{own_end + ONE_DAY} to {other_end}"
    own_text = f"{own.key} ({own.citation}; {describe_period(own.period_months)}, to {own_end})"
    return (
        f"{other_text} vs {own_text}: {extra} rest on non-{law.label} law only. The subject is "
        f"in {subject}: {law.why}. Legal must decide: archive until {other_end} as "
        f"proposed, or until {own_end}."
    )


@lru_cache(maxsize=4096)
def _unbound(rule: Rule, why: str) -> RuleOutcome:
    return RuleOutcome(rule.key, rule.citation, rule.effect, False, why)


def _outcome(rule, why, dated, deadline, erasure, claims, claimed) -> RuleOutcome:
    """Say what a binding rule did; legal_claims count as applied only while a matter is open."""
    until, reason, applied = None, why, True
    if rule.effect is Effect.RETENTION_MINIMUM:
        anchor, until, start = dated
        reason = f"{why}; {describe_period(rule.period_months)} from {start} ({anchor}) → {until}"
        if until <= deadline:
            reason += f", not past the deletion deadline {deadline}"
    elif rule.effect is Effect.NEVER_KEEP:
        reason = f"{why}; never kept: delete now (only a legal hold stops it)"
    elif rule.effect is Effect.LEGAL_CLAIMS:
        applied, reason = claimed, f"{why}; {claims}"
        if dated:
            _, end, start = dated
            period = describe_period(rule.period_months)
            reason += f"; claims time-barred after about {end} ({period} from {start})"
    elif rule.effect is Effect.RECORD_INTEGRITY:
        reason = f"{why}; a record kept under a retention duty is kept whole, unaltered"
    else:
        reason = f"{why}; {erasure}"
    return RuleOutcome(rule.key, rule.citation, rule.effect, applied, reason, until)
