"""Company-side rules bind through the company's facts; non-EU duties for EU subjects conflict."""

from datetime import date

import pytest

from compliance.engine import Disposition
from compliance.tests.test_engine import (
    CN_CO,
    CN_CO_OSS,
    DE_AG_LIQUIDATING,
    DE_GMBH,
    DE_GMBH_LIQUIDATING,
    DE_GMBH_OSS,
    GB_LTD,
    GB_PLC,
    JP_GK,
    JP_KK,
    US_CORP,
    outcome,
    propose,
)

# fmt: off
COMPANY_RULES = [
    # (sentence, rule, record type, subject, company, applied, reason contains)
    ("HGB § 257 binds a company registered in DE", "DE-HGB-257-vouchers", "invoices", "DE",
     DE_GMBH, True, "company registered in DE"),
    ("HGB § 257 does not bind a CN company, even for DE customers", "DE-HGB-257-vouchers",
     "invoices", "DE", CN_CO, False, "binds companies registered in DE; company registered in CN"),
    ("AO § 147 binds where registered for German tax", "DE-AO-147-vouchers", "invoices", "FR",
     DE_GMBH, True, "company registered for DE_CT or DE_VAT"),
    ("AO § 147 does not bind without a German tax registration", "DE-AO-147-vouchers",
     "invoices", "DE", DE_AG_LIQUIDATING, False, "binds companies registered for DE_CT or DE_VAT"),
    ("EU OSS binds a registered seller for EU customers", "EU-VATD-369k", "invoices", "NL",
     CN_CO_OSS, True, "company registered for EU_OSS, subject in NL"),
    ("EU OSS does not bind a seller without OSS registration", "EU-VATD-369k", "invoices", "NL",
     CN_CO, False, "binds companies registered for EU_OSS; company is not"),
    ("EU OSS does not concern non-EU customers", "EU-VATD-369k", "invoices", "US-CA", CN_CO_OSS,
     False, "concerns subjects in EU only; subject in US-CA"),
    ("EU IOSS does not bind a seller registered only for OSS", "EU-VATD-369x", "invoices", "DE",
     CN_CO_OSS, False, "binds companies registered for EU_IOSS"),
    ("GmbHG § 74 binds a GmbH in liquidation", "DE-GmbHG-74-2", "ledgers", "DE",
     DE_GMBH_LIQUIDATING, True, "company form GmbH, declared: liquidation"),
    ("GmbHG § 74 does not bind a GmbH that only closes a business line", "DE-GmbHG-74-2",
     "ledgers", "DE", DE_GMBH, False, "applies only if declared: liquidation; not declared"),
    ("GmbHG § 74 does not bind an AG", "DE-GmbHG-74-2", "ledgers", "DE", DE_AG_LIQUIDATING,
     False, "binds company form GmbH or UG; company form is AG"),
    ("CA 2006 s.388(4)(a) binds a UK private company", "GB-CA2006-388-private", "ledgers", "GB",
     GB_LTD, True, "company form UK_ltd"),
    ("CA 2006 s.388(4)(a) does not bind a plc", "GB-CA2006-388-private", "ledgers", "GB", GB_PLC,
     False, "company form is UK_plc"),
    ("JP Companies Act art. 432 binds a kabushiki kaisha", "JP-CA-432-2", "ledgers", "JP", JP_KK,
     True, "company form KK"),
    ("JP Companies Act art. 432 does not bind a godo kaisha", "JP-CA-432-2", "ledgers", "JP",
     JP_GK, False, "company form is GK"),
    ("Chinese voucher rules bind a CN company whatever the customer's country",
     "CN-KJDA-vouchers", "invoices", "US-CA", CN_CO, True, "company registered in CN"),
    ("a CN company's e-commerce duty needs the platform-operator declaration", "CN-ECL-31",
     "order_records", "CN", CN_CO, False, "applies only if declared: CN_platform_operator"),
]
# fmt: on


@pytest.mark.parametrize(
    "key, record_type, subject, company, applied, reason",
    [case[1:] for case in COMPANY_RULES],
    ids=[case[0] for case in COMPANY_RULES],
)
def test_company_rules_bind_through_the_company_facts(
    key, record_type, subject, company, applied, reason
):
    considered = outcome(propose(record_type, subject, company), key)
    assert considered.applied is applied
    assert reason in considered.reason


def test_company_rules_of_unrelated_countries_are_not_listed():
    assert outcome(propose("invoices", "DE", US_CORP), "JP-CTA-R59") is None


# fmt: off
CONFLICTS = [
    # (sentence, company, subject, retain_until, conflict, conflict reason contains)
    ("a CN company's invoices of a DE customer, no OSS: the CN duty alone conflicts with GDPR",
     CN_CO, "DE", date(2054, 12, 31), True,
     "Only non-EU/EEA law keeps this data past the deletion deadline: CN-KJDA-vouchers"),
    ("with OSS, only the years beyond the EU's 10 conflict", CN_CO_OSS, "DE", date(2054, 12, 31),
     True, "vs EU-VATD-369k (VAT Directive 2006/112/EC (OSS), Art. 369k(2); 10 years, to "
     "2034-12-31): years 11 to 30 rest on non-EU/EEA law only"),
    ("a customer placed only in the EU counts as an EU subject", CN_CO, "EU",
     date(2054, 12, 31), True, "The subject is in EU"),
    ("a JP company's invoices of a FR customer conflict too", JP_KK, "FR", date(2032, 5, 31), True,
     "Only non-EU/EEA law keeps this data past the deletion deadline: JP-CTA-R59"),
    ("a CN company's invoices of a CN customer: 30 years, no conflict", CN_CO, "CN",
     date(2054, 12, 31), False, ""),
    ("a CN company's invoices of a US-CA customer: CCPA accepts any legal obligation", CN_CO,
     "US-CA", date(2054, 12, 31), False, ""),
    ("a German company's duties are EU law: no conflict", DE_GMBH_OSS, "DE", date(2032, 12, 31),
     False, ""),
]
# fmt: on


@pytest.mark.parametrize(
    "company, subject, retain_until, conflict, reason",
    [case[1:] for case in CONFLICTS],
    ids=[case[0] for case in CONFLICTS],
)
def test_it_flags_but_never_settles_an_eu_conflict(
    company, subject, retain_until, conflict, reason
):
    proposal = propose("invoices", subject, company)
    assert proposal.disposition is Disposition.ARCHIVE
    assert proposal.retain_until == retain_until
    assert proposal.conflict is conflict
    assert reason in proposal.conflict_reason
    if conflict:
        assert "GDPR Art. 17(3)(b) and 6(1)(c)/6(3)" in proposal.conflict_reason
        assert "Legal must decide" in proposal.conflict_reason
        assert proposal.basis.endswith("CONFLICT with GDPR: legal must decide")
    else:
        assert proposal.conflict_reason == ""


def test_a_conflict_stays_flagged_under_an_open_matter_or_hold():
    from compliance.tests.test_engine import MATTER

    assert propose("invoices", "DE", CN_CO, matters=(MATTER,)).conflict


def test_data_deleted_anyway_raises_no_conflict():
    proposal = propose("marketing_profile", "DE", CN_CO)
    assert proposal.disposition is Disposition.DELETE and not proposal.conflict


# fmt: off
JURISDICTIONS = [
    ("a member state inherits the EU's subject rules", "DE", ("DE", "EU")),
    ("California inherits US", "US-CA", ("US-CA", "US")),
    ("a non-EU country inherits nothing", "CN", ("CN",)),
    ("GB is no longer an EU member state", "GB", ("GB",)),
]
# fmt: on


@pytest.mark.parametrize(
    "code, expected", [c[1:] for c in JURISDICTIONS], ids=[c[0] for c in JURISDICTIONS]
)
def test_jurisdictions_inherit(code, expected):
    from compliance.tests.test_engine import RULESET

    assert RULESET.subject_chain(code) == expected
