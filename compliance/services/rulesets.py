"""Rulesets: import the shipped file, turn rows into the engine's Ruleset, edit and publish."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance import engine
from compliance.models import Decision, Rule, Ruleset
from compliance.models.rulesets import EDITED_SOURCE, SHIPPED_SOURCE
from compliance.reasons import note
from windown import roles
from windown.audit import audit_record
from windown.models import Membership, WindDown
from windown.updates import refuse_unknown_fields, update_audited

EDITABLE_RULE_FIELDS = (
    "jurisdiction",
    "binds",
    "record_types",
    "effect",
    "condition",
    "subject_scope",
    "period_months",
    "start",
    "start_months",
    "keep_fields",
    "whole_record",
    "drop_fields",
    "cross_border_only",
    "instrument",
    "article",
    "summary",
    "source",
    "confidence",
    "note",
)
# Published versions never change; keyed by (pk, published_at) so a reused pk cannot hit.
_published_cache: dict[tuple, engine.Ruleset] = {}


def _rule_row(rule: engine.Rule, position: int) -> Rule:
    return Rule(
        position=position,
        key=rule.key,
        jurisdiction=rule.jurisdiction,
        binds=rule.binds.value,
        record_types=sorted(rule.record_types),
        effect=rule.effect.value,
        condition=[[fact, sorted(values)] for fact, values in rule.condition],
        subject_scope=sorted(rule.subject_scope),
        period_months=rule.period_months,
        start=rule.start.value if rule.start else "",
        start_months=rule.start_months,
        keep_fields=sorted(rule.keep_fields),
        whole_record=rule.whole_record,
        drop_fields=sorted(rule.drop_fields),
        cross_border_only=rule.cross_border_only,
        instrument=rule.instrument,
        article=rule.article,
        summary=rule.summary,
        source=rule.source,
        confidence=rule.confidence,
        note=rule.note,
    )


def _subject_law_row(law: engine.SubjectLaw) -> dict[str, Any]:
    return {
        "law": law.law,
        "jurisdiction": law.jurisdiction,
        "subjects": sorted(law.subjects),
        "legal_obligation_law": sorted(law.legal_obligation_law),
        "label": law.label,
        "why": law.why,
    }


def _as_mapping(ruleset: Ruleset, rules: list[Rule]) -> dict[str, Any]:
    """Return the ruleset in the file's shape, for the engine's validating parser."""
    raw_rules = []
    for rule in rules:
        raw = {
            "key": rule.key,
            "jurisdiction": rule.jurisdiction,
            "binds": rule.binds,
            "record_types": list(rule.record_types),
            "effect": rule.effect,
            "instrument": rule.instrument,
            "article": rule.article,
            "summary": rule.summary,
            "source": rule.source,
            "confidence": rule.confidence,
        }
        optional = {
            "condition": {fact: values for fact, values in rule.condition},
            "subject_scope": rule.subject_scope,
            "period_months": rule.period_months,
            "start": rule.start,
            "start_months": rule.start_months,
            "keep_fields": rule.keep_fields,
            "whole_record": rule.whole_record,
            "drop_fields": rule.drop_fields,
            "cross_border_only": rule.cross_border_only,
            "note": rule.note,
        }
        raw.update({k: v for k, v in optional.items() if v})
        raw_rules.append(raw)
    return {
        "version": ruleset.version,
        "effective": ruleset.effective,
        "treat_as": ruleset.treat_as,
        "subject_law": ruleset.subject_law,
        "rules": raw_rules,
        "not_mapped": [{"id": ref, "why": why} for ref, why in ruleset.not_mapped],
    }


def engine_ruleset(ruleset: Ruleset) -> engine.Ruleset:
    """Return the engine's validated Ruleset for these rows (cached once published)."""
    key = (ruleset.pk, ruleset.published_at)
    if ruleset.published and key in _published_cache:
        return _published_cache[key]
    parsed = engine.parse_ruleset(_as_mapping(ruleset, list(ruleset.rules.order_by("position"))))
    if ruleset.published:
        _published_cache[key] = parsed
    return parsed


@transaction.atomic
def ruleset_import(
    *, winddown: WindDown, path: Path | str = engine.SHIPPED_RULESET, by: Membership | None = None
) -> tuple[Ruleset, bool]:
    """Import a ruleset file as a published version unless that version exists already."""
    if by is not None:
        roles.require(by, "compliance.ruleset.change")
    parsed = engine.load_ruleset(path)
    existing = winddown.rulesets.filter(version=parsed.version).first()
    if existing:
        return existing, False
    source = Path(path).resolve()
    shipped = source == engine.SHIPPED_RULESET
    label = f"{SHIPPED_SOURCE}{source.name}" if shipped else str(source)
    ruleset = Ruleset.objects.create(
        winddown=winddown,
        version=parsed.version,
        effective=parsed.effective,
        source=label,
        treat_as=dict(parsed.treat_as),
        not_mapped=[list(item) for item in parsed.not_mapped],
        subject_law=[_subject_law_row(law) for law in parsed.subject_law],
    )
    rows = [_rule_row(rule, position) for position, rule in enumerate(parsed.rules)]
    for row in rows:
        row.ruleset = ruleset
    Rule.objects.bulk_create(rows)
    audit_record(
        winddown=winddown,
        actor=by.user if by else None,
        action="compliance.ruleset_imported",
        obj=ruleset,
        payload={"version": ruleset.version, "source": ruleset.source, "rules": len(rows)},
    )
    _publish(ruleset, by)
    return ruleset, True


def current_ruleset(winddown: WindDown) -> Ruleset | None:
    """Return the published version in force: the latest effective, then the latest published."""
    return (
        winddown.rulesets.filter(published=True)
        .order_by("-effective", "-published_at", "-pk")
        .first()
    )


def ruleset_for_evaluation(winddown: WindDown) -> Ruleset:
    """Return the ruleset in force, importing the shipped one for a wind-down that has none."""
    return current_ruleset(winddown) or ruleset_import(winddown=winddown)[0]


def _next_version(base: Ruleset) -> str:
    root = base.version.split("-r")[0]
    taken = set(base.winddown.rulesets.values_list("version", flat=True))
    number = 1
    while f"{root}-r{number}" in taken:
        number += 1
    return f"{root}-r{number}"


def _draft_of(by: Membership, base: Ruleset) -> Ruleset:
    """Return the wind-down's draft, starting one as a copy of `base` if there is none."""
    draft = base.winddown.rulesets.filter(published=False).first()
    if draft:
        return draft
    draft = Ruleset.objects.create(
        winddown=base.winddown,
        version=_next_version(base),
        effective=timezone.localdate(),
        source=f"{EDITED_SOURCE}{base.version}",
        based_on=base,
        treat_as=base.treat_as,
        not_mapped=base.not_mapped,
        subject_law=base.subject_law,
    )
    copies = list(base.rules.all())
    for rule in copies:
        rule.pk, rule.ruleset = None, draft
    Rule.objects.bulk_create(copies)
    audit_record(
        winddown=base.winddown,
        actor=by.user,
        action="compliance.ruleset_draft_started",
        obj=draft,
        payload={"version": draft.version, "based_on": base.version},
    )
    return draft


def _validate(ruleset: Ruleset) -> None:
    try:
        engine_ruleset(ruleset)
    except engine.RulesetError as error:
        raise ValidationError(str(error)) from error
    except (TypeError, ValueError) as error:  # e.g. a condition that is not a list of pairs
        raise ValidationError(_("The rule is malformed: %s") % error) from error


@transaction.atomic
def rule_update(*, by: Membership, rule: Rule, **changes: Any) -> Rule:
    """Change a rule; a published ruleset is never edited, so the change goes into a draft."""
    roles.require(by, "compliance.ruleset.change")
    if rule.ruleset.winddown_id != by.winddown_id:
        raise ValidationError(_("This rule belongs to another wind-down."))
    refuse_unknown_fields(changes, EDITABLE_RULE_FIELDS)  # before a draft is started
    if rule.ruleset.published:
        rule = _draft_of(by, rule.ruleset).rules.get(key=rule.key)
    update_audited(
        instance=rule,
        changes=changes,
        editable=EDITABLE_RULE_FIELDS,
        winddown=by.winddown,
        actor=by.user,
        action="compliance.rule_updated",
        payload={"version": rule.ruleset.version, "key": rule.key},
    )
    _validate(rule.ruleset)  # the whole ruleset must still compile; raising rolls all back
    return rule


def _publish(ruleset: Ruleset, by: Membership | None) -> None:
    from compliance.services.evaluation import decisions_mark_stale, evaluation_queue

    ruleset.published, ruleset.published_at = True, timezone.now()
    ruleset.published_by = by.user if by else None
    ruleset.save(update_fields=["published", "published_at", "published_by"])
    audit_record(
        winddown=ruleset.winddown,
        actor=by.user if by else None,
        action="compliance.ruleset_published",
        obj=ruleset,
        payload={"version": ruleset.version, "effective": ruleset.effective},
    )
    reason = note("ruleset_published", version=ruleset.version)
    if Decision.objects.filter(winddown=ruleset.winddown).exists():
        decisions_mark_stale(winddown=ruleset.winddown, reason=reason, by=by)
        evaluation_queue(winddown=ruleset.winddown, reason=reason, by=by)


@transaction.atomic
def ruleset_publish(*, by: Membership, ruleset: Ruleset) -> Ruleset:
    """Publish a draft: it is in force from now on and every decision is proposed again."""
    roles.require(by, "compliance.ruleset.change")
    ruleset = Ruleset.objects.select_for_update().get(pk=ruleset.pk, winddown=by.winddown)
    if ruleset.published:
        raise ValidationError(_("This version is already published."))
    _validate(ruleset)
    _publish(ruleset, by)
    return ruleset
