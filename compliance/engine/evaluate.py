"""Propose a disposition for one holding slice, by the rules of DESIGN.md."""

from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache

from . import jurisdictions
from .binding import binding
from .dates import anchor_and_end, describe_start
from .reasons import Choice, Reason, joined, period
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
    Disposition.DELETE_NOW: "erase_now",
    Disposition.DELETE: "erase_by",
    Disposition.ARCHIVE: "erase_on",
    Disposition.RETAIN_UNTIL_RESOLVED: "erase_waits",
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
    retain_until, keep, conflict = None, (), ()
    if never_keep:
        disposition, delete_by = Disposition.DELETE_NOW, as_of
        then = Reason.of("then_delete_now")
        basis = (Reason.of("basis_never_kept", instrument=never_keep[0].instrument),)
    elif keeping:
        longest = _longest(keeping, ends)
        retain_until = ends[longest.key][1]
        disposition, delete_by = Disposition.ARCHIVE, retain_until + ONE_DAY
        then = Reason.of("then_archive_until", until=retain_until)
        among = (
            Reason.of("among_longest", n=len(keeping))
            if len(keeping) > 1
            else Reason.of("among_only")
        )
        basis = (
            Reason.of(
                "basis_archive",
                until=retain_until,
                rule=longest.key,
                period=period(longest.period_months),
                among=among,
            ),
        )
        keep, plan = _field_plan(keeping, holding.fields, integrity)
        basis += plan
        subject_law = ruleset.subject_law_for(subject)
        if subject_law:
            conflict = _conflict(keeping, ends, subject, deletion_deadline, subject_law)
        if conflict:
            basis += (Reason.of("basis_conflict", law=subject_law.law),)
    else:
        disposition, delete_by = Disposition.DELETE, deletion_deadline
        running = [r for r in retention if ends[r.key][1] >= as_of]
        if running:  # a duty ending by the deadline still binds until it ends
            longest = _longest(running, ends)
            retain_until = ends[longest.key][1]
            delete_by = max(deletion_deadline, retain_until + ONE_DAY)
            then = Reason.of("then_keep_until", until=retain_until, delete_by=delete_by)
            basis = (
                Reason.of(
                    "basis_keep_then_delete",
                    until=retain_until,
                    rule=longest.key,
                    period=period(longest.period_months),
                    delete_by=delete_by,
                ),
            )
            if delete_by > deletion_deadline:
                basis += (Reason.of("basis_waits_a_day"),)
        elif retention:
            then = Reason.of("then_delete_by", delete_by=deletion_deadline)
            last = max(ends[r.key][1] for r in retention)
            basis = (Reason.of("basis_retention_ended", last=last, then=then),)
        else:
            then = Reason.of("then_delete_by", delete_by=deletion_deadline)
            basis = (Reason.of("basis_no_duty", then=then),)
    if matters and not never_keep:
        disposition, retain_until, keep = Disposition.RETAIN_UNTIL_RESOLVED, None, holding.fields
        refs = joined(
            Reason.of("matter", reference=m.reference, type=Choice("matter_type", m.matter_type))
            for m in matters
        )
        basis = (Reason.of("basis_open_matter", matters=refs, then=then),)
    if subject == jurisdictions.UNKNOWN:
        basis += (Reason.of("basis_subject_unknown"),)
    erasure = Reason.of(_ERASURE[disposition], delete_by=delete_by)
    if disposition in (Disposition.DELETE_NOW, Disposition.RETAIN_UNTIL_RESOLVED):
        erasure = Reason.of(_ERASURE[disposition])
    if never_keep:
        claims = Reason.of("claims_never_keep")
    elif matters:
        refs = ", ".join(m.reference for m in matters)
        claims = Reason.of("claims_open_matter", references=refs)
    else:
        claims = Reason.of("claims_none")
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
        basis_reasons=basis,
        conflict=bool(conflict),
        conflict_reasons=conflict,
    )


def _field_plan(
    keeping: list[Rule], fields: tuple[str, ...], integrity: list[Rule]
) -> tuple[tuple[str, ...], tuple[Reason, ...]]:
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
        words = (Reason.of("basis_whole_record"),)
        if integrity:
            cited = "; ".join(r.citation for r in integrity)
            words += (Reason.of("basis_integrity", cited=cited),)
        dropped = [f for f in fields if f not in keep]
        if dropped:
            words += (Reason.of("basis_dropped", fields=", ".join(dropped)),)
        return keep, words
    keep = tuple(f for f in fields if f in needed)
    if fields and not keep:  # unknown field names: keep all rather than lose data
        return fields, (Reason.of("basis_keep_all"),)
    return keep, (Reason.of("basis_de_identified"),)


def _ends(bound, holding: HoldingSlice, company: CompanyFacts, deadline: date, as_of: date):
    """Return {rule key: (anchor, end, start in words)} for each binding rule with a period."""
    if holding.newest_record:
        basis, label = holding.newest_record, Reason.of("record_newest")
    else:  # the oldest record is no safe basis: the newest may be as recent as today
        basis, label = as_of, Reason.of("record_as_of")
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


def _duty(rule: Rule, until: date) -> Reason:
    return Reason.of(
        "duty",
        rule=rule.key,
        citation=rule.citation,
        period=period(rule.period_months),
        until=until,
    )


def _conflict(
    keeping: list[Rule], ends: dict, subject: str, deadline: date, law: SubjectLaw
) -> tuple[Reason, ...]:
    """Explain which part of the retention rests on law the subject's data-protection law does
    not accept as a legal obligation, or return ()."""
    other = _longest([r for r in keeping if not law.accepts(r.jurisdiction)], ends)
    own = _longest([r for r in keeping if law.accepts(r.jurisdiction)], ends)
    if not other or (own and ends[own.key][1] >= ends[other.key][1]):
        return ()
    other_anchor, other_end, _ = ends[other.key]
    facts = {"label": law.label, "subject": subject, "why": law.why, "until": other_end}
    if not own:
        return (
            Reason.of(
                "conflict_only_other", other=_duty(other, other_end), deadline=deadline, **facts
            ),
        )
    own_anchor, own_end, _ = ends[own.key]
    if own_anchor == other_anchor and not (own.period_months % 12 or other.period_months % 12):
        extra = Reason.of(
            "extra_years", first=own.period_months // 12 + 1, last=other.period_months // 12
        )
    else:
        extra = Reason.of("extra_days", first=own_end + ONE_DAY, last=other_end)
    return (
        Reason.of(
            "conflict_longer",
            other=_duty(other, other_end),
            own=_duty(own, own_end),
            extra=extra,
            own_until=own_end,
            **facts,
        ),
    )


@lru_cache(maxsize=4096)
def _unbound(rule: Rule, why: tuple[Reason, ...]) -> RuleOutcome:
    return RuleOutcome(rule.key, rule.citation, rule.effect, False, why)


def _outcome(rule, why, dated, deadline, erasure, claims, claimed) -> RuleOutcome:
    """Say what a binding rule did; legal_claims count as applied only while a matter is open."""
    until, reason, applied = None, why, True
    if rule.effect is Effect.RETENTION_MINIMUM:
        anchor, until, start = dated
        reason += (
            Reason.of(
                "outcome_retention",
                period=period(rule.period_months),
                start=start,
                anchor=anchor,
                until=until,
            ),
        )
        if until <= deadline:
            reason += (Reason.of("outcome_not_past_deadline", deadline=deadline),)
    elif rule.effect is Effect.NEVER_KEEP:
        reason += (Reason.of("outcome_never_keep"),)
    elif rule.effect is Effect.LEGAL_CLAIMS:
        applied, reason = claimed, (*why, Reason.of("outcome_claims", claims=claims))
        if dated:
            _, end, start = dated
            reason += (
                Reason.of(
                    "outcome_time_barred", end=end, period=period(rule.period_months), start=start
                ),
            )
    elif rule.effect is Effect.RECORD_INTEGRITY:
        reason += (Reason.of("outcome_integrity"),)
    else:
        reason += (Reason.of("outcome_erasure", erasure=erasure),)
    return RuleOutcome(rule.key, rule.citation, rule.effect, applied, reason, until)
