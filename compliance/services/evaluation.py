"""Evaluate holdings in bulk: load everything in a few queries, run the engine, write in bulk.

Re-evaluation is incremental: callers mark the affected decisions stale and evaluate those
holdings again. A decision keeps its review status only while its proposal's fingerprint is
unchanged; an approved or overridden decision whose proposal changed goes back to review.
Legal holds are not inputs of the proposal: evaluation only keeps each active hold's
coverage current for the holdings it evaluates (a new holding in a hold's scope is covered).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from compliance import engine, reasons
from compliance.engine import reasons as engine_reasons
from compliance.models import Decision, LegalHold, OpenMatter
from compliance.models.decisions import CLEARED_REVIEW
from compliance.services import decision_rows
from compliance.services.rulesets import engine_ruleset, ruleset_for_evaluation
from inventory.models import Holding
from windown import roles
from windown.audit import audit_record
from windown.models import Membership, WindDown

CHUNK = 2000
Status = Decision.Status
REVIEWED = (Status.APPROVED, Status.OVERRIDDEN, Status.PENDING_SECOND_APPROVAL)


@dataclass
class EvaluationResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    back_to_review: list[int] = field(default_factory=list)  # decision ids
    ruleset: str = ""

    @property
    def evaluated(self) -> int:
        return self.created + self.changed + self.unchanged


def company_facts(winddown: WindDown) -> engine.CompanyFacts:
    """Return the wind-down's company facts in the engine's terms."""
    return engine.CompanyFacts(
        registration_country=str(winddown.registration_country),
        company_form=winddown.company_form,
        tax_registrations=frozenset(winddown.tax_registrations),
        fiscal_year_end_month=winddown.fiscal_year_end_month,
        fiscal_year_end_day=winddown.fiscal_year_end_day,
        attributes=frozenset(winddown.company_attributes),
    )


def _active_holds(winddown: WindDown) -> list[tuple[LegalHold, set[int], set[int]]]:
    """Return each active hold with its system and category ids (three queries)."""
    holds = list(winddown.legal_holds.filter(status=LegalHold.Status.ACTIVE).order_by("pk"))
    systems, categories = defaultdict(set), defaultdict(set)
    ids = [hold.pk for hold in holds]
    if ids:
        through = LegalHold.systems.through.objects.filter(legalhold_id__in=ids)
        for hold_id, system_id in through.values_list("legalhold_id", "datasystem_id"):
            systems[hold_id].add(system_id)
        through = LegalHold.categories.through.objects.filter(legalhold_id__in=ids)
        for hold_id, category_id in through.values_list("legalhold_id", "datacategory_id"):
            categories[hold_id].add(category_id)
    return [(hold, systems[hold.pk], categories[hold.pk]) for hold in holds]


def _open_matters(winddown: WindDown, scope: dict) -> dict[int, tuple[engine.OpenMatter, ...]]:
    through = OpenMatter.holdings.through.objects.filter(
        openmatter__winddown=winddown, openmatter__resolved_on__isnull=True, **scope
    ).order_by("openmatter__reference")
    found = defaultdict(list)
    for holding_id, reference, matter_type, opened_on in through.values_list(
        "holding_id", "openmatter__reference", "openmatter__matter_type", "openmatter__opened_on"
    ):
        found[holding_id].append(engine.OpenMatter(reference, matter_type, opened_on))
    return {holding_id: tuple(matters) for holding_id, matters in found.items()}


@lru_cache(maxsize=65536)
def _outcome_json(o: engine.RuleOutcome) -> str:
    return json.dumps(
        {
            "key": o.key,
            "citation": o.citation,
            "effect": o.effect.value,
            "applied": o.applied,
            "reason": engine_reasons.to_json(o.reasons),
            "until": o.until.isoformat() if o.until else None,
        },
        ensure_ascii=False,
    )


def _considered_json(proposal: engine.Proposal) -> str:
    """Return the considered outcomes as a JSON array, from cached pieces (outcomes repeat)."""
    return "[" + ",".join(_outcome_json(o) for o in proposal.considered) + "]"


class _Slice(NamedTuple):
    id: int
    system_id: int
    category_id: int
    jurisdiction: str
    oldest_record: date | None
    newest_record: date | None
    fields: list
    record_type: str
    processed_in: str


_SLICE_COLUMNS = [*_Slice._fields[:-2], "category__record_type", "system__storage_country"]


class _Existing(NamedTuple):
    id: int
    holding_id: int
    status: str
    status_before_stale: str
    fingerprint: str
    basis_reasons: list
    ruleset_id: int
    disposition: str
    retain_until: date | None
    reviewed_by_id: int | None


class _Evaluator:
    """Evaluate holdings of one wind-down against the ruleset in force."""

    def __init__(self, winddown: WindDown, as_of: date, reason: reasons.Cause):
        self.winddown, self.as_of, self.reason = winddown, as_of, reason
        self.ruleset_row = ruleset_for_evaluation(winddown)
        self.ruleset = engine_ruleset(self.ruleset_row)
        self.company = company_facts(winddown)
        self.holds = _active_holds(winddown)
        self.now = timezone.now()
        self.evaluated_at = decision_rows.prepare_datetime(self.now)
        self.memo: dict[tuple, dict] = {}
        self.prepared: dict[int, tuple] = {}  # id(values) -> database form, made when written
        self.result = EvaluationResult(ruleset=self.ruleset_row.version)

    def propose(self, holding: _Slice, matters: tuple) -> dict:
        """Return the proposal's values (memoised: slices repeat)."""
        fields = tuple(holding.fields or ())
        processed_in = str(holding.processed_in or "")
        key = (holding.record_type, holding.jurisdiction, holding.newest_record, fields)
        key += (processed_in, matters)
        if key not in self.memo:
            proposal = engine.evaluate(
                engine.HoldingSlice(
                    record_type=holding.record_type,
                    subject_jurisdiction=holding.jurisdiction,
                    oldest_record=holding.oldest_record,
                    newest_record=holding.newest_record,
                    fields=fields,
                    processed_in=processed_in,
                ),
                company=self.company,
                ruleset=self.ruleset,
                deletion_deadline=self.winddown.deletion_deadline,
                as_of=self.as_of,
                matters=matters,
            )
            values = {
                "ruleset": self.ruleset_row.pk,
                "disposition": proposal.disposition.value,
                "retain_until": proposal.retain_until,
                "delete_by": proposal.delete_by,
                "basis_reasons": engine_reasons.to_json(proposal.basis_reasons),
                "considered": _considered_json(proposal),
                "keep_fields": list(proposal.keep_fields),
                "drop_fields": list(proposal.drop_fields),
                "conflict": proposal.conflict,
                "conflict_reasons": engine_reasons.to_json(proposal.conflict_reasons),
                "fingerprint": proposal.fingerprint(),
                "as_of": self.as_of,
                "evaluated_at": self.now,
            }
            self.memo[key] = values
        return self.memo[key]

    def prepare(self, values: dict) -> tuple:
        """Return the values' database form, once per distinct proposal."""
        if id(values) not in self.prepared:
            self.prepared[id(values)] = decision_rows.prepare(values, self.evaluated_at)
        return self.prepared[id(values)]

    def cover(self, holdings: list[_Slice]) -> None:
        """Record which of these holdings each active hold covers (scopes match new ones)."""
        if not self.holds:
            return
        through = LegalHold.holdings.through
        hold_ids = [hold.pk for hold, _, _ in self.holds]
        holding_ids = [holding.id for holding in holdings]
        through.objects.filter(legalhold_id__in=hold_ids, holding_id__in=holding_ids).delete()
        through.objects.bulk_create(
            through(legalhold_id=hold.pk, holding_id=holding.id)
            for hold, systems, categories in self.holds
            for holding in holdings
            if hold.covers(holding, systems, categories)
        )

    def run_chunk(self, holdings: list[_Slice], scope: dict) -> None:
        self.cover(holdings)
        matters = _open_matters(self.winddown, scope)
        decisions = Decision.objects.filter(winddown=self.winddown, **scope)
        existing = {row[1]: _Existing(*row) for row in decisions.values_list(*_Existing._fields)}
        new, changed, sent_back = [], [], []
        for holding in holdings:
            values = self.propose(holding, matters.get(holding.id, ()))
            decision = existing.get(holding.id)
            if decision is None:
                new.append((holding.id, self.prepare(values)))
                continue
            stale = decision.status == Status.STALE
            previous = decision.status_before_stale if stale else decision.status
            same = decision.fingerprint == values["fingerprint"]
            if (
                same
                and not stale
                and (decision.basis_reasons, decision.ruleset_id)
                == (values["basis_reasons"], values["ruleset"])
            ):
                self.result.unchanged += 1
                continue
            if not same and previous in REVIEWED:
                sent_back.append((decision, previous, values))
            status = previous if same else Status.PROPOSED
            changed.append((decision.id, status, self.prepare(values)))
        decision_rows.insert(self.winddown.pk, new)
        decision_rows.update(changed)
        for decision, previous, values in sent_back:
            self._send_back(decision, previous, values)
        self.result.created += len(new)
        self.result.changed += len(changed)

    def _send_back(self, decision: _Existing, previous: str, values: dict) -> None:
        note = reasons.note(
            "back_in_review",
            before=_disposition(decision.disposition, decision.retain_until),
            after=_disposition(values["disposition"], values["retain_until"]),
            cause=reasons.cause(self.reason),
            status=reasons.choice("status", previous),
            reviewer=reasons.note("by_user", id=decision.reviewed_by_id)
            if decision.reviewed_by_id
            else "",
        )
        Decision.objects.filter(pk=decision.id).update(**CLEARED_REVIEW, review_reasons=note)
        self.result.back_to_review.append(decision.id)


def _disposition(disposition: str, until: date | None) -> dict | list:
    """Return a disposition (with its retain-until date) as a reason's parameter."""
    if until is None:
        return reasons.choice("disposition", disposition)
    return reasons.note(
        "disposition_until",
        disposition=reasons.choice("disposition", disposition),
        until={"date": until.isoformat()},
    )


def _holdings(winddown: WindDown, holding_ids: Iterable[int] | None):
    """Yield (holdings, scope) chunks: light rows (no model instances: 50,000 of them) and the
    holding_id filter that selects their matters and decisions."""
    queryset = Holding.objects.filter(winddown=winddown).order_by("pk")
    if holding_ids is not None:
        ids = sorted(set(holding_ids))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows = queryset.filter(pk__in=chunk).values_list(*_SLICE_COLUMNS)
            yield [_Slice(*row) for row in rows], {"holding_id__in": chunk}
        return
    last = 0  # every holding: keyset pages, and id ranges instead of long IN lists
    while rows := list(queryset.filter(pk__gt=last).values_list(*_SLICE_COLUMNS)[:CHUNK]):
        last = rows[-1][0]
        yield (
            [_Slice(*row) for row in rows],
            {"holding_id__gte": rows[0][0], "holding_id__lte": last},
        )


@transaction.atomic
def decisions_evaluate(
    *,
    winddown: WindDown,
    holding_ids: Iterable[int] | None = None,
    by: Membership | None = None,
    reason: reasons.Cause = "evaluation",
    as_of: date | None = None,
) -> EvaluationResult:
    """Propose a decision for each holding (all, or those given); None as `by` is the system."""
    if by is not None:
        roles.require(by, "compliance.decide")
    evaluator = _Evaluator(winddown, as_of or timezone.localdate(), reason)
    for holdings, scope in _holdings(winddown, holding_ids):
        evaluator.run_chunk(holdings, scope)
    result = evaluator.result
    if result.created or result.changed or by is not None:
        audit_record(
            winddown=winddown,
            actor=by.user if by else None,
            action="compliance.decisions_evaluated",
            payload={
                "reason": reasons.in_english(reason),
                "ruleset": result.ruleset,
                "as_of": evaluator.as_of,
                "created": result.created,
                "changed": result.changed,
                "unchanged": result.unchanged,
                "back_to_review": len(result.back_to_review),
                "back_to_review_ids": result.back_to_review[:200],
            },
        )
    return result


@transaction.atomic
def decisions_mark_stale(
    *,
    winddown: WindDown,
    reason: reasons.Cause,
    holding_ids: Iterable[int] | None = None,
    by: Membership | None = None,
) -> int:
    """Mark decisions stale (all, or those of the holdings given) until they are re-proposed."""
    queryset = Decision.objects.filter(winddown=winddown).exclude(status=Status.STALE)
    count = 0
    if holding_ids is None:
        count = queryset.update(status_before_stale=F("status"), status=Status.STALE)
    else:
        ids = sorted(set(holding_ids))
        for start in range(0, len(ids), CHUNK):
            count += queryset.filter(holding_id__in=ids[start : start + CHUNK]).update(
                status_before_stale=F("status"), status=Status.STALE
            )
    if count:
        audit_record(
            winddown=winddown,
            actor=by.user if by else None,
            action="compliance.decisions_marked_stale",
            payload={"reason": reasons.in_english(reason), "count": count},
        )
    return count


def evaluation_queue(
    *,
    winddown: WindDown,
    reason: reasons.Cause,
    holding_ids: Iterable[int] | None = None,
    by: Membership | None = None,
) -> None:
    """Queue a re-evaluation on the worker once the current transaction commits."""
    from compliance.tasks import evaluate_retention  # the task module imports this one

    ids = sorted(set(holding_ids)) if holding_ids is not None else None
    membership_id = by.pk if by else None
    transaction.on_commit(lambda: evaluate_retention.delay(winddown.pk, ids, membership_id, reason))
