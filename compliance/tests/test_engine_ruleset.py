"""The shipped ruleset loads, covers the legal reference, and bad rules fail by name."""

import copy
from datetime import date

import pytest

from compliance.engine import Effect, RulesetError, Start, parse_ruleset
from compliance.tests.test_engine import RULESET

# Every provision with topic retention_minimum in the legal reference retention-law.yaml
# (compiled 2026-11), with its period in years (None: no period of its own).
# fmt: off
REFERENCE_RETENTION_MINIMUM = {
    "EU-VATD-369x": 10, "EU-VATD-369k": 10, "DE-HGB-257-books": 10, "DE-HGB-257-vouchers": 8,
    "DE-HGB-257-letters": 6, "DE-AO-147-books": 10, "DE-AO-147-vouchers": 8,
    "DE-AO-147-other": 6, "DE-AO-147-3-hemmung": None, "DE-UStG-14b": 8, "DE-GmbHG-74-2": 10,
    "FR-CCOM-L123-22": 10, "FR-LPF-L102B": 6, "GB-CA2006-388-private": 3,
    "GB-CA2006-388-public": 6, "GB-FA1998-S18-21": 6, "GB-HMRC-VAT": 6, "US-IRC-6501a": 3,
    "US-IRS-6yr": 6, "US-IRS-7yr": 7, "US-IRS-employment": 4, "US-CA-CCR-7101": 2,
    "JP-CTA-R59": 7, "JP-CTA-R26-3": 10, "JP-CTL-57-4": 7, "JP-CA-432-2": 10, "JP-CA-508": 10,
    "CN-ECL-31": 3, "CN-KJDA-vouchers": 30, "CN-KJDA-ledgers": 30, "CN-KJDA-reports": 10,
    "CN-KJDA-other": 10, "CN-TAXIR-29": 10, "CN-INV-28": 5,
    # added 2026-12: integrity of records kept, the OSS's reach, the GK's books
    "EU-VATD-233": None, "EU-VATD-369a": None, "DE-AO-147-2": None, "CN-KJF-11-14": None,
    "JP-CA-615": 10,
}
# fmt: on
REFERENCE_PROVISIONS = 99


def test_the_shipped_ruleset_loads_with_its_version_and_date():
    assert (RULESET.version, RULESET.effective) == ("2026.12", date(2026, 12, 1))


@pytest.mark.parametrize("reference_id, years", sorted(REFERENCE_RETENTION_MINIMUM.items()))
def test_every_reference_retention_minimum_is_a_rule_with_its_period_or_is_explained(
    reference_id, years
):
    not_mapped = dict(RULESET.not_mapped)
    if reference_id in not_mapped:
        assert len(not_mapped[reference_id]) > 20  # says why
        return
    rule = RULESET.rule(reference_id)
    if years is None:  # no period of its own: extends retention while a matter is open, or
        # keeps what another duty keeps whole
        assert rule.effect in (Effect.LEGAL_CLAIMS, Effect.RECORD_INTEGRITY)
    else:
        assert rule.effect is Effect.RETENTION_MINIMUM
        assert rule.period_months == years * 12


def test_rules_and_not_mapped_account_for_every_reference_provision_once():
    references = [r.key for r in RULESET.rules if not r.key.startswith("WINDOWN-POLICY-")]
    references += [reference_id for reference_id, _ in RULESET.not_mapped]
    assert len(references) == len(set(references)) == REFERENCE_PROVISIONS


def test_every_retention_rule_says_which_fields_it_keeps():
    for rule in RULESET.rules:
        keeps = bool(rule.keep_fields) or rule.whole_record
        assert (rule.effect is Effect.RETENTION_MINIMUM) == keeps, rule.key


def test_never_keep_rules_are_windown_policy_for_secrets_and_full_card_numbers():
    never_keep = {r.key: r for r in RULESET.rules if r.effect is Effect.NEVER_KEEP}
    assert {tuple(r.record_types) for r in never_keep.values()} == {
        ("auth_secrets",),
        ("card_full",),
    }
    assert all(r.jurisdiction == "ANY" for r in never_keep.values())


def test_where_the_reference_gives_no_start_the_later_fiscal_year_end_is_used():
    for key in ("FR-CCOM-L123-22", "GB-HMRC-VAT"):
        assert RULESET.rule(key).start is Start.END_OF_FISCAL_YEAR
        assert "conservative" in RULESET.rule(key).note


def test_chinese_periods_count_from_the_calendar_year_the_law_sets():
    for key in ("CN-KJDA-vouchers", "CN-KJDA-ledgers", "CN-KJDA-reports", "CN-KJDA-other",
                "CN-TAXIR-29", "CN-INV-28", "CN-TAX-52"):  # fmt: skip
        assert RULESET.rule(key).start is Start.END_OF_CALENDAR_YEAR, key


VALID = {
    "version": "test",
    "effective": date(2026, 11, 1),
    "field_sets": {"accounting": ["invoice_number"]},
    "rules": [
        {
            "key": "XX-TEST-1",
            "jurisdiction": "DE",
            "binds": "company",
            "condition": {"registration_country": "DE"},
            "record_types": ["invoices"],
            "effect": "retention_minimum",
            "period_years": 8,
            "start": "end_of_calendar_year",
            "keep_fields": "accounting",
            "instrument": "Test Act",
            "article": "§ 1",
            "summary": "A test duty.",
            "source": "test",
            "confidence": "high",
        }
    ],
}

# fmt: off
BROKEN = [
    # (sentence, changes to the rule, message contains)
    ("an unknown start", {"start": "end_of_year"}, "unknown start 'end_of_year'"),
    ("an unknown effect", {"effect": "keep"}, "unknown effect 'keep'"),
    ("an unknown record type", {"record_types": ["invoice"]}, "unknown record type(s) ['invoice']"),
    ("an unknown binds", {"binds": "customer"}, "unknown binds 'customer'"),
    ("a misspelt field", {"perod_years": 8}, "unknown field 'perod_years'"),
    ("a company rule without a condition", {"condition": None}, "a company rule needs a condition"),
    ("an unknown tax registration", {"condition": {"tax_registration": "OSS"}},
     "unknown tax_registration value(s) ['OSS']"),
    ("an unknown condition", {"condition": {"country": "DE"}}, "unknown condition 'country'"),
    ("a retention rule without keep_fields or whole_record", {"keep_fields": None},
     "keep_fields or whole_record is required"),
    ("a retention rule with both keep_fields and whole_record", {"whole_record": True},
     "give keep_fields (de-identify) or whole_record, not both"),
    ("drop_fields without whole_record", {"drop_fields": ["email"]},
     "drop_fields is for whole_record rules"),
    ("cross_border_only on a subject rule", {"binds": "subject", "condition": None,
     "cross_border_only": True}, "cross_border_only is true or false, and for company rules"),
    ("an unknown field set", {"keep_fields": "acounting"}, "unknown field set 'acounting'"),
    ("a retention rule without a period", {"period_years": None},
     "retention_minimum needs a period and a start"),
    ("a fiscal-year-plus-months start without months",
     {"start": "fiscal_year_end_plus_months"}, "start_months is required"),
    ("a subject rule with a condition", {"binds": "subject"}, "condition and subject_scope"),
    ("a processing rule with a condition", {"binds": "processing"}, "condition and subject_scope"),
]
# fmt: on


@pytest.mark.parametrize(
    "changes, message", [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_a_broken_rule_fails_with_its_key_and_the_problem(changes, message):
    data = copy.deepcopy(VALID)
    rule = data["rules"][0]
    rule.update(changes)
    for name in [name for name, value in changes.items() if value is None]:
        del rule[name]
    with pytest.raises(RulesetError) as failure:
        parse_ruleset(data)
    assert f"rule XX-TEST-1: {message}" in str(failure.value)


def test_it_reports_every_broken_rule_and_duplicate_keys_at_once():
    data = copy.deepcopy(VALID)
    data["version"] = 2026.11
    data["rules"].append(dict(data["rules"][0], start="someday"))
    data["rules"].append(dict(data["rules"][0], key="XX-TEST-2", effect="forget"))
    with pytest.raises(RulesetError) as failure:
        parse_ruleset(data)
    message = str(failure.value)
    assert "version must be a quoted string" in message
    assert "rule XX-TEST-1: unknown start 'someday'" in message
    assert "rule XX-TEST-1: duplicate key" in message
    assert "rule XX-TEST-2: unknown effect 'forget'" in message


def test_the_minimal_ruleset_is_valid():
    ruleset = parse_ruleset(VALID)
    assert [r.key for r in ruleset.rules_for("invoices")] == ["XX-TEST-1"]
    assert ruleset.rules_for("marketing_profile") == ()


def test_an_unquoted_norway_in_subject_law_fails_by_name():
    data = copy.deepcopy(VALID)
    data["subject_law"] = [
        {"law": "GDPR", "jurisdiction": "EU", "subjects": ["DE", False],
         "legal_obligation_law": ["EU"], "label": "EU", "why": "test"}
    ]  # fmt: skip
    with pytest.raises(
        RulesetError, match=r"subject_law GDPR: unknown jurisdiction\(s\) \['False'\]"
    ):
        parse_ruleset(data)
