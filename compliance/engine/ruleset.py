"""Load a ruleset YAML file into validated, indexed rules (the schema is in the YAML header)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from . import jurisdictions
from .types import ALL_PERSONAL_DATA, RECORD_TYPES, Binds, Effect, Rule, Start, SubjectLaw

SHIPPED_RULESET = Path(__file__).resolve().parent.parent / "rulesets" / "2026.12.yaml"

_TOP_KEYS = {"version", "effective", "field_sets", "treat_as", "subject_law", "rules"}
_TOP_KEYS |= {"not_mapped"}
_SUBJECT_LAW_KEYS = {"law", "jurisdiction", "subjects", "legal_obligation_law", "label", "why"}
_REQUIRED = {"key", "jurisdiction", "binds", "record_types", "effect", "instrument", "article"}
_REQUIRED |= {"summary", "source", "confidence"}
_OPTIONAL = {"condition", "subject_scope", "period_years", "period_months", "start"}
_OPTIONAL |= {"start_months", "keep_fields", "whole_record", "drop_fields", "cross_border_only"}
_OPTIONAL |= {"note"}
_CONDITION_VOCABULARY = {
    "company_form": jurisdictions.COMPANY_FORMS,
    "tax_registration": jurisdictions.TAX_REGISTRATIONS,
    "attribute": jurisdictions.COMPANY_ATTRIBUTES,
}
_CONFIDENCE = {"high", "medium", "low"}


class RulesetError(ValueError):
    """A ruleset that does not validate; the message lists every problem by rule key."""


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, so it can key caches
class Ruleset:
    version: str
    effective: date
    rules: tuple[Rule, ...]
    treat_as: Mapping[str, str] = field(default_factory=dict)  # record type -> evaluated as
    not_mapped: tuple[tuple[str, str], ...] = ()  # (reference id, why there is no rule)
    subject_law: tuple[SubjectLaw, ...] = ()
    _index: dict = field(init=False, repr=False)

    def __post_init__(self):
        index = {}
        for record_type in RECORD_TYPES - {ALL_PERSONAL_DATA}:
            wanted = {record_type, ALL_PERSONAL_DATA, self.treat_as.get(record_type)}
            index[record_type] = tuple(r for r in self.rules if r.record_types & wanted)
        object.__setattr__(self, "_index", index)

    def rules_for(self, record_type: str) -> tuple[Rule, ...]:
        """Return the rules that cover a record type, in file order."""
        try:
            return self._index[record_type]
        except KeyError:
            raise ValueError(f"unknown record type {record_type!r}") from None

    def subject_chain(self, subject: str) -> tuple[str, ...]:
        """Return the jurisdictions whose subject rules bind a subject: NO -> (NO, EU)."""
        codes = jurisdictions.base_chain(subject)
        inherited = [law.jurisdiction for law in self.subject_law if law.subjects & set(codes)]
        return tuple(dict.fromkeys([*codes, *inherited]))

    def subject_law_for(self, subject: str) -> SubjectLaw | None:
        """Return the data-protection law that limits a subject's legal obligations, if any."""
        codes = set(jurisdictions.base_chain(subject))
        return next((law for law in self.subject_law if law.subjects & codes), None)

    def rule(self, key: str) -> Rule:
        """Return the rule with this key; KeyError if there is none."""
        for rule in self.rules:
            if rule.key == key:
                return rule
        raise KeyError(key)


def load_ruleset(path: Path | str = SHIPPED_RULESET) -> Ruleset:
    """Read and validate a ruleset file."""
    with open(path, encoding="utf-8") as stream:
        return parse_ruleset(yaml.safe_load(stream))


def parse_ruleset(data: Mapping) -> Ruleset:
    """Validate parsed YAML and build the Ruleset; raise RulesetError naming each bad rule."""
    errors = [f"unknown top-level key {k!r}" for k in sorted(set(data) - _TOP_KEYS)]
    if not isinstance(data.get("version"), str):
        errors.append("version must be a quoted string, e.g. '2026.11'")
    if not isinstance(data.get("effective"), date):
        errors.append("effective must be a date (YYYY-MM-DD)")
    field_sets = data.get("field_sets") or {}
    treat_as = data.get("treat_as") or {}
    for alias, target in treat_as.items():
        if not {alias, target} <= RECORD_TYPES - {ALL_PERSONAL_DATA} or target in treat_as:
            errors.append(f"treat_as {alias}: {target}: both must be plain record types")
    rules, seen = [], set()
    for raw in data.get("rules") or []:
        if not isinstance(raw, Mapping):
            errors.append(f"rule {raw!r}: not a mapping")
            continue
        key = raw.get("key", "<rule without key>")
        try:
            rules.append(_parse_rule(raw, field_sets))
        except RulesetError as error:
            errors.append(f"rule {key}: {error}")
        if key in seen:
            errors.append(f"rule {key}: duplicate key")
        seen.add(key)
    subject_law = []
    for raw in data.get("subject_law") or []:
        try:
            subject_law.append(_parse_subject_law(raw))
        except RulesetError as error:
            errors.append(
                f"subject_law {raw.get('law') if isinstance(raw, Mapping) else raw}: {error}"
            )
    not_mapped = tuple(
        (item.get("id"), item.get("why")) for item in data.get("not_mapped") or [] if item
    )
    errors += [f"not_mapped {ref}: needs an id and why" for ref, why in not_mapped if not why]
    errors += [f"{ref} is both a rule and not_mapped" for ref, _ in not_mapped if ref in seen]
    if errors:
        raise RulesetError("invalid ruleset:\n  " + "\n  ".join(errors))
    return Ruleset(
        data["version"], data["effective"], tuple(rules), treat_as, not_mapped, tuple(subject_law)
    )


def _parse_subject_law(raw) -> SubjectLaw:
    if not isinstance(raw, Mapping):
        raise RulesetError("not a mapping")
    problems = [f"missing {k}" for k in sorted(_SUBJECT_LAW_KEYS - set(raw))]
    problems += [f"unknown field {k!r}" for k in sorted(set(raw) - _SUBJECT_LAW_KEYS)]
    if problems:
        raise RulesetError("; ".join(problems))
    codes = {raw["jurisdiction"], *raw["subjects"], *raw["legal_obligation_law"]}
    # YAML reads an unquoted NO (Norway) as false: say so rather than fail obscurely
    unknown = sorted(
        repr(code) for code in codes if not isinstance(code, str) or not jurisdictions.is_code(code)
    )
    if unknown:
        raise RulesetError(f'unknown jurisdiction(s) {unknown} (quote NO: "NO")')
    return SubjectLaw(
        law=raw["law"],
        jurisdiction=raw["jurisdiction"],
        subjects=frozenset(raw["subjects"]),
        legal_obligation_law=frozenset(raw["legal_obligation_law"]),
        label=raw["label"],
        why=raw["why"],
    )


def _choice(enum, value, what):
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise RulesetError(f"unknown {what} {value!r} (expected one of: {allowed})") from None


def _as_set(value) -> frozenset[str]:
    return frozenset([value] if isinstance(value, str) else value)


def _parse_rule(raw: Mapping, field_sets: Mapping) -> Rule:
    problems = [f"missing {k}" for k in sorted(_REQUIRED - set(raw))]
    problems += [f"unknown field {k!r}" for k in sorted(set(raw) - _REQUIRED - _OPTIONAL)]
    if problems:
        raise RulesetError("; ".join(problems))
    binds = _choice(Binds, raw["binds"], "binds")
    effect = _choice(Effect, raw["effect"], "effect")
    if not jurisdictions.is_code(raw["jurisdiction"]):
        raise RulesetError(f"unknown jurisdiction {raw['jurisdiction']!r}")
    record_types = _as_set(raw["record_types"])
    if not record_types or record_types - RECORD_TYPES:
        unknown = sorted(record_types - RECORD_TYPES) or "none given"
        raise RulesetError(f"unknown record type(s) {unknown}")
    if raw["confidence"] not in _CONFIDENCE:
        raise RulesetError(f"confidence must be one of {sorted(_CONFIDENCE)}")
    condition = tuple(_parse_condition(raw.get("condition") or {}))
    subject_scope = _as_set(raw.get("subject_scope") or ())
    if binds is Binds.COMPANY and not condition:
        raise RulesetError("a company rule needs a condition")
    if binds is not Binds.COMPANY and (condition or subject_scope):
        raise RulesetError("condition and subject_scope are for company rules")
    if not all(jurisdictions.is_code(code) for code in subject_scope):
        raise RulesetError(f"unknown jurisdiction in subject_scope {sorted(subject_scope)}")
    months, start, start_months = _parse_period(raw, effect)
    keep_fields = _field_set(raw.get("keep_fields") or (), field_sets)
    drop_fields = _field_set(raw.get("drop_fields") or (), field_sets)
    whole_record = raw.get("whole_record", False)
    if not isinstance(whole_record, bool):
        raise RulesetError("whole_record must be true or false")
    if (effect is Effect.RETENTION_MINIMUM) != (bool(keep_fields) or whole_record):
        raise RulesetError(
            "keep_fields or whole_record is required for, and only for, retention_minimum"
        )
    if keep_fields and whole_record:
        raise RulesetError("give keep_fields (de-identify) or whole_record, not both")
    if drop_fields and not whole_record:
        raise RulesetError("drop_fields is for whole_record rules")
    cross_border_only = raw.get("cross_border_only", False)
    if cross_border_only not in (True, False) or (cross_border_only and binds is not Binds.COMPANY):
        raise RulesetError("cross_border_only is true or false, and for company rules")
    return Rule(
        key=raw["key"],
        jurisdiction=raw["jurisdiction"],
        binds=binds,
        record_types=record_types,
        effect=effect,
        instrument=str(raw["instrument"]),
        article=str(raw["article"]),
        summary=raw["summary"],
        source=raw["source"],
        confidence=raw["confidence"],
        condition=condition,
        subject_scope=subject_scope,
        period_months=months,
        start=start,
        start_months=start_months,
        keep_fields=frozenset(keep_fields),
        whole_record=whole_record,
        drop_fields=frozenset(drop_fields),
        cross_border_only=cross_border_only,
        note=raw.get("note", ""),
    )


def _field_set(value, field_sets: Mapping) -> tuple[str, ...]:
    """Return a field list given as a list or as the name of one of the field_sets."""
    if isinstance(value, str):
        if value not in field_sets:
            raise RulesetError(f"unknown field set {value!r}")
        return tuple(field_sets[value])
    return tuple(value)


def _parse_condition(condition: Mapping):
    for fact, value in condition.items():
        values = _as_set(value)
        if fact == "registration_country":
            unknown = {v for v in values if not jurisdictions.is_code(v)}
        elif fact in _CONDITION_VOCABULARY:
            unknown = values - _CONDITION_VOCABULARY[fact].keys()
        else:
            raise RulesetError(f"unknown condition {fact!r}")
        if unknown or not values:
            raise RulesetError(f"unknown {fact} value(s) {sorted(unknown)}")
        yield fact, values


def _parse_period(raw: Mapping, effect: Effect) -> tuple[int | None, Start | None, int]:
    years, months = raw.get("period_years"), raw.get("period_months")
    if years is not None and months is not None:
        raise RulesetError("give period_years or period_months, not both")
    period = years * 12 if years is not None else months
    if period is not None and (not isinstance(period, int) or period <= 0):
        raise RulesetError("the period must be a positive whole number")
    start = _choice(Start, raw["start"], "start") if "start" in raw else None
    if effect is Effect.RETENTION_MINIMUM and (period is None or start is None):
        raise RulesetError("retention_minimum needs a period and a start")
    if effect in (Effect.ERASURE_DUTY, Effect.NEVER_KEEP, Effect.RECORD_INTEGRITY) and (
        period or start
    ):
        raise RulesetError(f"{effect} takes no period or start")
    if (period is None) != (start is None):
        raise RulesetError("a period needs a start, and a start a period")
    start_months = raw.get("start_months", 0)
    if (start is Start.FISCAL_YEAR_END_PLUS_MONTHS) != bool(start_months):
        raise RulesetError(
            "start_months is required for, and only for, fiscal_year_end_plus_months"
        )
    return period, start, start_months
