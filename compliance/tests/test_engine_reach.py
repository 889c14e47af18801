"""Records kept by law stay whole; each law reaches exactly where it applies: one sentence a case.

Issue 11's corrections: art. 233 / § 147(2), the GDPR in the EEA and the outermost regions,
the UK GDPR's domestic-law rule, PIPL art. 3(1), the OSS's cross-border reach, China's
calendar accounting year, duties ending before the deadline, and liquidation custody.
"""

from datetime import date

import pytest

from compliance.engine import CompanyFacts, Disposition
from compliance.tests.test_engine import (
    CN_CO,
    CN_CO_OSS,
    DE_GMBH,
    DE_GMBH_LIQUIDATING,
    DE_GMBH_OSS,
    FR_SAS,
    JP_GK,
    JP_KK,
    US_CORP,
    applied_keys,
    outcome,
    propose,
)

ARCHIVE, DELETE = Disposition.ARCHIVE, Disposition.DELETE
RECORD = ("invoice_number", "invoice_date", "buyer_name", "buyer_address", "net_amount")
NOT_RECORD = ("marketing_opt_in", "segments")
CN_CO_MARCH = CompanyFacts(
    "CN", "CN_enterprise", frozenset({"CN_TAX"}), fiscal_year_end_month=3, fiscal_year_end_day=31
)
JP_KK_STORING_IN_CN = CompanyFacts("JP", "KK", frozenset({"JP_CT"}))

# fmt: off
KEPT_WHOLE = [
    # (sentence, record type, subject, company, retain_until, citations the explanation names)
    ("a German GmbH's invoices are archived whole, citing VAT Directive art. 233 and AO § 147(2)",
     "invoices", "DE", DE_GMBH, date(2032, 12, 31), {"EU-VATD-233", "DE-AO-147-2"},
     ["Art. 233(1)", "§ 147(2)"]),
    ("a French SAS's invoices are archived whole, citing VAT Directive art. 233",
     "invoices", "FR", FR_SAS, date(2034, 12, 31), {"EU-VATD-233"}, ["Art. 233(1)"]),
    ("a Chinese company's invoices are archived whole, citing the Accounting Law",
     "invoices", "CN", CN_CO, date(2054, 12, 31), {"CN-KJF-11-14"}, ["会计法"]),
    ("a Chinese company's orders, its original vouchers, are archived whole for 30 years",
     "order_records", "CN", CN_CO, date(2054, 12, 31), {"CN-KJDA-vouchers", "CN-KJF-11-14"},
     ["会计法"]),
]
# fmt: on


@pytest.mark.parametrize(
    "record_type, subject, company, retain_until, keys, cited",
    [case[1:] for case in KEPT_WHOLE],
    ids=[case[0] for case in KEPT_WHOLE],
)
def test_a_record_kept_by_law_is_archived_whole(
    record_type, subject, company, retain_until, keys, cited
):
    proposal = propose(record_type, subject, company, fields=RECORD + NOT_RECORD)
    assert (proposal.disposition, proposal.retain_until) == (ARCHIVE, retain_until)
    assert proposal.keep_fields == RECORD  # the buyer's name and address stay
    assert proposal.drop_fields == NOT_RECORD
    assert keys <= applied_keys(proposal)
    assert "the record is kept whole, encrypted and restricted to storage and security" in (
        proposal.basis
    )
    assert all(citation in proposal.basis for citation in cited)


# fmt: off
GDPR_REACH = [
    # (sentence, subject, a GDPR subject, the OSS binds)
    ("a Norwegian customer is a GDPR subject, outside the OSS", "NO", True, False),
    ("an Icelandic customer is a GDPR subject, outside the OSS", "IS", True, False),
    ("a Liechtenstein customer is a GDPR subject, outside the OSS", "LI", True, False),
    ("a customer in Réunion is a GDPR subject, outside EU VAT", "RE", True, False),
    ("a customer in Guadeloupe is a GDPR subject, outside EU VAT", "GP", True, False),
    ("a customer in the Åland Islands is a GDPR subject, outside EU VAT", "AX", True, False),
    ("a Swiss customer is not an EEA subject", "CH", False, False),
    ("a French customer is both", "FR", True, True),
]
# fmt: on


@pytest.mark.parametrize(
    "subject, gdpr, oss", [case[1:] for case in GDPR_REACH], ids=[case[0] for case in GDPR_REACH]
)
def test_the_gdpr_reaches_the_eea_and_the_outermost_regions_and_the_oss_does_not(
    subject, gdpr, oss
):
    proposal = propose("invoices", subject, CN_CO_OSS)
    erasure = outcome(proposal, "EU-GDPR-17-1")
    assert (erasure is not None and erasure.applied) is gdpr
    assert outcome(proposal, "EU-VATD-369k").applied is oss
    if gdpr:
        assert proposal.conflict  # the CN duty goes past anything EU/EEA law keeps
        assert "GDPR Art. 17(3)(b) and 6(1)(c)/6(3)" in proposal.conflict_reason
    else:
        assert not proposal.conflict


# fmt: off
CHINESE_DUTY_ONLY = [
    # (sentence, subject, law, reason contains)
    ("a UK customer's invoices under a Chinese duty only are a conflict under the UK GDPR",
     "GB", "UK GDPR", "Only non-UK law keeps this data past the deletion deadline: "
     "CN-KJDA-vouchers"),
    ("a Norwegian customer's invoices under a Chinese duty only are a GDPR conflict",
     "NO", "GDPR", "Only non-EU/EEA law keeps this data past the deletion deadline"),
    ("a Réunion customer's invoices under a Chinese duty only are a GDPR conflict",
     "RE", "GDPR", "Only non-EU/EEA law keeps this data past the deletion deadline"),
]
# fmt: on


@pytest.mark.parametrize(
    "subject, law, reason",
    [case[1:] for case in CHINESE_DUTY_ONLY],
    ids=[case[0] for case in CHINESE_DUTY_ONLY],
)
def test_a_chinese_duty_alone_is_flagged_never_settled(subject, law, reason):
    proposal = propose("invoices", subject, CN_CO)
    assert (proposal.disposition, proposal.retain_until) == (ARCHIVE, date(2054, 12, 31))
    assert proposal.conflict and reason in proposal.conflict_reason
    assert "Legal must decide" in proposal.conflict_reason
    assert proposal.basis.endswith(f"CONFLICT with {law}: legal must decide")


def test_the_uk_gdpr_accepts_only_domestic_law():
    proposal = propose("invoices", "GB", CN_CO)
    assert "UK GDPR Art. 6(1)(c)/6(3) and 17(3)(b) accept only domestic (UK) law" in (
        proposal.conflict_reason
    )
    assert {"GB-UKGDPR-5-1-e", "GB-UKGDPR-17"} <= applied_keys(proposal)


# fmt: off
PIPL_REACH = [
    # (sentence, subject, company, processed in, PIPL art. 3 binds, reason contains)
    ("PIPL binds a Chinese company's processing of a German customer's data", "DE", CN_CO, "",
     True, "company established in CN"),
    ("PIPL binds a Chinese company's processing of a Californian customer's data", "US-CA",
     CN_CO, "", True, "company established in CN"),
    ("PIPL binds a Japanese company's data stored in China, a German customer's too", "DE",
     JP_KK_STORING_IN_CN, "CN", True, "the data is stored there"),
    ("PIPL does not bind a Japanese company's data stored in Japan of a German customer", "DE",
     JP_KK_STORING_IN_CN, "JP", False, ""),
    ("PIPL binds a Chinese customer's data wherever it is processed", "CN", JP_KK, "JP", True,
     "binds subjects in CN"),
]
# fmt: on


@pytest.mark.parametrize(
    "subject, company, processed_in, binds, reason",
    [case[1:] for case in PIPL_REACH],
    ids=[case[0] for case in PIPL_REACH],
)
def test_pipl_binds_all_processing_in_china(subject, company, processed_in, binds, reason):
    proposal = propose("order_records", subject, company, processed_in=processed_in)
    pipl = {key for key in applied_keys(proposal) if key.startswith("CN-PIPL-")}
    assert pipl == ({"CN-PIPL-3", "CN-PIPL-6", "CN-PIPL-19", "CN-PIPL-47-1"} if binds else set())
    if binds:
        assert reason in outcome(proposal, "CN-PIPL-3").reason


def test_a_german_companys_domestic_invoices_follow_its_national_period_not_the_oss():
    domestic = propose("invoices", "DE", DE_GMBH_OSS)
    assert (domestic.disposition, domestic.retain_until) == (ARCHIVE, date(2032, 12, 31))
    assert {"DE-AO-147-vouchers", "DE-UStG-14b"} <= applied_keys(domestic)
    oss = outcome(domestic, "EU-VATD-369k")
    assert not oss.applied and "concerns cross-border sales only" in oss.reason
    cross_border = propose("invoices", "AT", DE_GMBH_OSS)
    assert cross_border.retain_until == date(2034, 12, 31)  # the OSS's 10 years
    assert outcome(cross_border, "EU-VATD-369k").applied


def test_a_chinese_company_with_a_march_fiscal_year_counts_chinese_periods_from_31_december():
    proposal = propose("invoices", "CN", CN_CO_MARCH, newest=date(2024, 5, 1))
    assert outcome(proposal, "CN-KJDA-vouchers").until == date(2054, 12, 31)  # not 2055-03-31
    assert outcome(proposal, "CN-TAXIR-29").until == date(2034, 12, 31)
    assert "from end of calendar year of newest record (2024-12-31)" in (
        outcome(proposal, "CN-KJDA-vouchers").reason
    )


# fmt: off
DUTY_ENDING_BY_THE_DEADLINE = [
    # (sentence, deadline, disposition, retain_until, delete_by, basis starts with)
    ("a request log whose duty ends before the deadline is kept until it ends, then deleted",
     date(2027, 6, 30), DELETE, date(2027, 2, 10), date(2027, 6, 30),
     "Keep until 2027-02-10 under US-CA-CCR-7101 (2 years), then delete by 2027-06-30"),
    ("a duty ending on the deadline keeps the data through that day: deletion the day after",
     date(2027, 2, 10), DELETE, date(2027, 2, 10), date(2027, 2, 11),
     "Keep until 2027-02-10 under US-CA-CCR-7101 (2 years), then delete by 2027-02-11"),
    ("a duty ending the day after the deadline archives",
     date(2027, 2, 9), ARCHIVE, date(2027, 2, 10), date(2027, 2, 11),
     "Archive until 2027-02-10 under US-CA-CCR-7101"),
]
# fmt: on


@pytest.mark.parametrize(
    "deadline, disposition, retain_until, delete_by, basis",
    [case[1:] for case in DUTY_ENDING_BY_THE_DEADLINE],
    ids=[case[0] for case in DUTY_ENDING_BY_THE_DEADLINE],
)
def test_a_duty_ending_before_the_deadline_still_binds_until_it_ends(
    deadline, disposition, retain_until, delete_by, basis
):
    proposal = propose(
        "consumer_request_logs", "US-CA", US_CORP, newest=date(2025, 2, 10), deadline=deadline
    )
    assert (proposal.disposition, proposal.retain_until, proposal.delete_by) == (
        disposition,
        retain_until,
        delete_by,
    )
    assert proposal.basis.startswith(basis)


# fmt: off
CUSTODY = [
    # (sentence, rule, record type, subject, company, until)
    ("a GmbH's liquidation custody covers its invoices", "DE-GmbHG-74-2", "invoices", "DE",
     DE_GMBH_LIQUIDATING, date(2036, 12, 31)),
    ("a GmbH's liquidation custody covers its payment records", "DE-GmbHG-74-2",
     "payment_records", "DE", DE_GMBH_LIQUIDATING, date(2036, 12, 31)),
    ("a godo kaisha keeps its invoices 10 years as a KK does (会社法 615(2))", "JP-CA-615",
     "invoices", "JP", JP_GK, date(2034, 12, 31)),
    ("a godo kaisha keeps its payment records 10 years", "JP-CA-615", "payment_records", "JP",
     JP_GK, date(2034, 12, 31)),
    ("Japanese receipts are payment records a blue-return corporation keeps 7 years (R59)",
     "JP-CTA-R59", "payment_records", "JP", JP_KK, date(2032, 5, 31)),
]
# fmt: on


@pytest.mark.parametrize(
    "key, record_type, subject, company, until",
    [case[1:] for case in CUSTODY],
    ids=[case[0] for case in CUSTODY],
)
def test_custody_of_books_covers_invoices_and_payment_records(
    key, record_type, subject, company, until
):
    proposal = propose(record_type, subject, company)
    assert outcome(proposal, key).applied and outcome(proposal, key).until == until
    assert proposal.disposition is ARCHIVE
