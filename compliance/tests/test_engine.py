"""The retention engine proposes dispositions by DESIGN.md's rules: one sentence per case.

The companies and the propose() helper here are shared by the other test_engine_* modules.
"""

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from compliance.engine import (
    CompanyFacts,
    Disposition,
    HoldingSlice,
    OpenMatter,
    evaluate,
    load_ruleset,
)

RULESET = load_ruleset()
DEADLINE = date(2026, 12, 31)
AS_OF = date(2026, 11, 15)
NEWEST = date(2024, 5, 1)

CN_CO = CompanyFacts("CN", "CN_enterprise", frozenset({"CN_TAX"}))
CN_CO_OSS = CompanyFacts("CN", "CN_enterprise", frozenset({"CN_TAX", "EU_OSS"}))
DE_GMBH = CompanyFacts("DE", "GmbH", frozenset({"DE_VAT", "DE_CT"}))
DE_GMBH_OSS = CompanyFacts("DE", "GmbH", frozenset({"DE_VAT", "DE_CT", "EU_OSS"}))
DE_GMBH_LIQUIDATING = CompanyFacts(
    "DE", "GmbH", frozenset({"DE_VAT", "DE_CT"}), attributes=frozenset({"liquidation"})
)
DE_AG_LIQUIDATING = CompanyFacts("DE", "AG", attributes=frozenset({"liquidation"}))
FR_SAS = CompanyFacts("FR", "SAS", frozenset({"FR_VAT"}))
GB_LTD = CompanyFacts("GB", "UK_ltd", fiscal_year_end_month=3, fiscal_year_end_day=31)
GB_LTD_TAXED = CompanyFacts(
    "GB", "UK_ltd", frozenset({"GB_CT"}), fiscal_year_end_month=3, fiscal_year_end_day=31
)
GB_PLC = CompanyFacts("GB", "UK_plc")
JP_KK = CompanyFacts("JP", "KK", frozenset({"JP_CT", "JP_QII"}), fiscal_year_end_month=3)
JP_KK_JUNE = CompanyFacts(
    "JP", "KK", frozenset({"JP_CT"}), fiscal_year_end_month=6, fiscal_year_end_day=30
)
JP_GK = CompanyFacts("JP", "GK")
US_CORP = CompanyFacts("US", "US_corporation")
US_CORP_TAXED = CompanyFacts("US", "US_corporation", frozenset({"US_IT"}))

INVOICE_FIELDS = (
    "invoice_number",
    "invoice_date",
    "net_amount",
    "vat_amount",
    "buyer_name",
    "email",
)


def propose(
    record_type,
    subject,
    company,
    *,
    newest=NEWEST,
    oldest=date(2019, 1, 1),
    fields=INVOICE_FIELDS,
    matters=(),
    deadline=DEADLINE,
    processed_in="",
):
    """Evaluate one slice against the shipped ruleset."""
    holding = HoldingSlice(record_type, subject, oldest, newest, fields, processed_in)
    return evaluate(
        holding,
        company=company,
        ruleset=RULESET,
        deletion_deadline=deadline,
        as_of=AS_OF,
        matters=matters,
    )


def outcome(proposal, key):
    """Return the considered outcome of one rule, or None if it was not considered."""
    return next((o for o in proposal.considered if o.key == key), None)


def applied_keys(proposal):
    return {o.key for o in proposal.considered if o.applied}


MATTER = OpenMatter("RET-42", "return", date(2026, 10, 2))
ARCHIVE, DELETE, DELETE_NOW = Disposition.ARCHIVE, Disposition.DELETE, Disposition.DELETE_NOW
RETAINED = Disposition.RETAIN_UNTIL_RESOLVED

# fmt: off
DISPOSITIONS = [
    # (sentence, record type, subject, company, newest, disposition, retain_until, delete_by)
    ("a German GmbH archives a DE customer's invoices 8 years from the end of their year",
     "invoices", "DE", DE_GMBH, date(2024, 5, 1), ARCHIVE, date(2032, 12, 31), date(2033, 1, 1)),
    ("a German GmbH in liquidation keeps its vouchers 10 years after liquidation (GmbHG § 74)",
     "accounting_vouchers", "DE", DE_GMBH_LIQUIDATING, date(2024, 5, 1), ARCHIVE,
     date(2036, 12, 31), date(2037, 1, 1)),
    ("invoices whose every retention period ended are deleted by the deadline",
     "invoices", "DE", DE_GMBH, date(2015, 3, 1), DELETE, None, DEADLINE),
    ("a retention ending exactly on the deadline keeps the data through that day, then deletes",
     "invoices", "DE", DE_GMBH, date(2018, 7, 1), DELETE, DEADLINE, date(2027, 1, 1)),
    ("marketing profiles are deleted: no law obliges keeping them",
     "marketing_profile", "DE", DE_GMBH, date(2026, 9, 1), DELETE, None, DEADLINE),
    ("browsing history is deleted", "browsing_history", "CN", CN_CO, date(2026, 9, 1), DELETE,
     None, DEADLINE),
    ("search history is deleted like browsing history", "search_history", "US-CA", CN_CO,
     date(2026, 9, 1), DELETE, None, DEADLINE),
    ("authentication secrets are deleted now", "auth_secrets", "DE", DE_GMBH, date(2026, 9, 1),
     DELETE_NOW, None, AS_OF),
    ("full card numbers are deleted now even where payment records are archived",
     "card_full", "CN", CN_CO, date(2026, 9, 1), DELETE_NOW, None, AS_OF),
    ("card last-4 digits are archived while a payment-records duty applies",
     "card_last4", "DE", DE_GMBH, date(2024, 5, 1), ARCHIVE, date(2032, 12, 31), date(2033, 1, 1)),
    ("card last-4 digits are deleted when no payment-records duty applies",
     "card_last4", "GB", GB_LTD, date(2024, 5, 1), DELETE, None, DEADLINE),
    ("California request logs are kept 24 months from the request",
     "consumer_request_logs", "US-CA", US_CORP, date(2026, 1, 10), ARCHIVE, date(2028, 1, 10),
     date(2028, 1, 11)),
]
# fmt: on


@pytest.mark.parametrize(
    "record_type, subject, company, newest, disposition, retain_until, delete_by",
    [case[1:] for case in DISPOSITIONS],
    ids=[case[0] for case in DISPOSITIONS],
)
def test_it_proposes(record_type, subject, company, newest, disposition, retain_until, delete_by):
    proposal = propose(record_type, subject, company, newest=newest)
    assert (proposal.disposition, proposal.retain_until, proposal.delete_by) == (
        disposition,
        retain_until,
        delete_by,
    )


# fmt: off
PRECEDENCE = [
    # (sentence, record type, matters, disposition, delete_by)
    ("an open matter does not stop never-keep data", "auth_secrets", (MATTER,), DELETE_NOW,
     AS_OF),
    ("an open matter beats an archive duty, deleting when the duty ends", "invoices", (MATTER,),
     RETAINED, date(2033, 1, 1)),
    ("once the matter is resolved the invoices go back to archive", "invoices", (), ARCHIVE,
     date(2033, 1, 1)),
    ("an open matter keeps a marketing profile, then the deadline applies", "marketing_profile",
     (MATTER,), RETAINED, DEADLINE),
    ("once the matter is resolved the marketing profile is deleted", "marketing_profile", (),
     DELETE, DEADLINE),
]
# fmt: on


@pytest.mark.parametrize(
    "record_type, matters, disposition, delete_by",
    [case[1:] for case in PRECEDENCE],
    ids=[case[0] for case in PRECEDENCE],
)
def test_it_ranks_never_keep_then_matter(record_type, matters, disposition, delete_by):
    proposal = propose(record_type, "DE", DE_GMBH, matters=matters)
    assert (proposal.disposition, proposal.delete_by) == (disposition, delete_by)
    assert proposal.retain_until is None or disposition is ARCHIVE


def test_it_says_only_a_legal_hold_stops_never_keep_data():
    proposal = propose("card_full", "DE", DE_GMBH)
    assert "only a legal hold stops it" in outcome(proposal, "WINDOWN-POLICY-card-full").reason


def test_it_explains_an_open_matter_and_what_follows_its_resolution():
    proposal = propose("invoices", "DE", DE_GMBH, matters=(MATTER,))
    assert proposal.basis == (
        "Open matter RET-42 (return) needs the data; once resolved: archive until 2032-12-31"
    )
    assert proposal.keep_fields == INVOICE_FIELDS


def test_it_archives_a_record_kept_by_law_whole_and_drops_only_what_is_not_the_record():
    proposal = propose("invoices", "DE", DE_GMBH, fields=(*INVOICE_FIELDS, "marketing_opt_in"))
    assert proposal.keep_fields == INVOICE_FIELDS
    assert proposal.drop_fields == ("marketing_opt_in",)
    assert "not part of the record, so dropped: marketing_opt_in" in proposal.basis


def test_it_de_identifies_a_log_to_the_fields_its_duty_needs():
    fields = ("request_id", "request_date", "response", "email")
    proposal = propose("consumer_request_logs", "US-CA", US_CORP, newest=date(2026, 1, 10),
                       fields=fields)  # fmt: skip
    assert proposal.keep_fields == ("request_id", "request_date", "response")
    assert proposal.drop_fields == ("email",)


def test_it_keeps_all_fields_when_none_matches_the_duty_rather_than_lose_the_record():
    proposal = propose("consumer_request_logs", "US-CA", US_CORP, newest=date(2026, 1, 10),
                       fields=("anfrage", "kunde"))  # fmt: skip
    assert proposal.keep_fields == ("anfrage", "kunde")
    assert "no field matches the rules' keep_fields" in proposal.basis


def test_it_drops_every_field_of_deleted_data():
    proposal = propose("marketing_profile", "DE", DE_GMBH, fields=("email", "segments"))
    assert (proposal.keep_fields, proposal.drop_fields) == ((), ("email", "segments"))


def test_it_shows_every_applicable_citation_and_the_longest_period_wins():
    proposal = propose("invoices", "FR", DE_GMBH_OSS)
    assert proposal.retain_until == date(2034, 12, 31)
    assert {"EU-VATD-369k", "DE-HGB-257-vouchers", "DE-AO-147-vouchers", "DE-UStG-14b"} <= (
        applied_keys(proposal)
    )
    assert proposal.basis.startswith("Archive until 2034-12-31 under EU-VATD-369k (10 years)")
    hgb = outcome(proposal, "DE-HGB-257-vouchers")
    assert hgb.citation == "Handelsgesetzbuch (as amended by BEG IV), § 257(1) Nr. 4, (4)"
    assert hgb.until == date(2032, 12, 31)
    assert not proposal.conflict


def test_legal_claims_alone_do_not_archive_but_are_listed():
    proposal = propose("order_records", "DE", US_CORP, newest=date(2026, 6, 1))
    assert proposal.disposition is DELETE
    bgb = outcome(proposal, "DE-BGB-195")
    assert not bgb.applied
    assert "may justify keeping if a claim is pending — see open matters" in bgb.reason
    assert "claims time-barred after about 2029-12-31" in bgb.reason


def test_legal_claims_apply_while_a_matter_is_open():
    proposal = propose("order_records", "DE", US_CORP, matters=(MATTER,))
    assert outcome(proposal, "EU-GDPR-17-3-e").applied
    assert "while open matter RET-42 is unresolved" in outcome(proposal, "EU-GDPR-17-3-e").reason


def test_it_counts_from_the_evaluation_date_when_the_newest_record_date_is_unknown():
    proposal = propose("invoices", "DE", DE_GMBH, newest=None)
    assert proposal.retain_until == date(2034, 12, 31)
    reason = outcome(proposal, "DE-HGB-257-vouchers").reason
    assert "of the evaluation date (newest record date unknown) (2026-12-31)" in reason


def test_it_leaves_out_subject_rules_of_other_jurisdictions():
    proposal = propose("invoices", "JP", DE_GMBH)
    assert outcome(proposal, "EU-GDPR-17-1") is None
    assert outcome(proposal, "JP-APPI-22").applied


def test_it_refuses_an_unknown_record_type():
    with pytest.raises(ValueError, match="unknown record type 'invoice'"):
        propose("invoice", "DE", DE_GMBH)


def test_it_refuses_a_malformed_subject_jurisdiction_rather_than_match_no_rule():
    with pytest.raises(ValueError, match="unknown subject jurisdiction 'de'"):
        propose("invoices", "de", DE_GMBH)


def test_it_refuses_unknown_company_facts():
    with pytest.raises(ValueError, match="tax registration 'OSS'"):
        CompanyFacts("DE", "GmbH", frozenset({"OSS"}))


def test_it_is_pure_same_input_same_proposal():
    holding = HoldingSlice("invoices", "DE", None, date(2024, 5, 1), INVOICE_FIELDS)
    kwargs = dict(company=DE_GMBH, ruleset=RULESET, deletion_deadline=DEADLINE, as_of=AS_OF)
    assert evaluate(holding, **kwargs) == evaluate(holding, **kwargs)


# fmt: off
FINGERPRINT_CHANGES = [
    # (sentence, changes to the base call, fingerprint changes)
    ("the same inputs give the same fingerprint", {}, False),
    ("another matter reference with the same effect keeps the fingerprint",
     {"matters": (OpenMatter("RET-43", "return", date(2026, 10, 3)),)}, False),
    ("a newer record moves the dates and changes it", {"newest": date(2025, 2, 1)}, True),
    ("resolving the matter changes it", {"matters": ()}, True),
    ("a rule that stops applying, even with the same dates, changes it",
     {"company": CompanyFacts("DE", "GmbH")}, True),
    ("a conflict that appears changes it", {"company": CN_CO}, True),
]
# fmt: on


@pytest.mark.parametrize(
    "changes, changed",
    [case[1:] for case in FINGERPRINT_CHANGES],
    ids=[case[0] for case in FINGERPRINT_CHANGES],
)
def test_the_fingerprint_changes_only_when_the_outcome_does(changes, changed):
    base = dict(company=DE_GMBH, matters=(MATTER,))
    before = propose("invoices", "DE", **base)
    after = propose("invoices", "DE", **{**base, **changes})
    assert (before.fingerprint() != after.fingerprint()) is changed
    assert len(before.fingerprint()) == 64


def test_an_open_matter_does_not_make_claims_keep_never_keep_data():
    proposal = propose("card_full", "DE", DE_GMBH, matters=(MATTER,))
    assert proposal.disposition is DELETE_NOW
    assert not any(o.applied for o in proposal.considered if o.effect == "legal_claims")


def test_the_engine_imports_no_django():
    code = "import sys, compliance.engine; print([m for m in sys.modules if 'django' in m])"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_never_keep_data_keeps_its_fingerprint_from_one_day_to_the_next():
    holding = HoldingSlice("card_full", "DE", None, date(2026, 9, 1), ("card_number",))
    kwargs = dict(company=DE_GMBH, ruleset=RULESET, deletion_deadline=DEADLINE)
    today = evaluate(holding, as_of=AS_OF, **kwargs)
    tomorrow = evaluate(holding, as_of=date(2026, 11, 16), **kwargs)
    assert today.delete_by != tomorrow.delete_by
    assert today.fingerprint() == tomorrow.fingerprint()


def test_an_unknown_subject_jurisdiction_gets_only_company_side_rules_and_says_so():
    proposal = propose("invoices", "OTHER", DE_GMBH)
    assert proposal.disposition is ARCHIVE  # German company-side duties still bind
    assert not any(o.key.startswith("EU-GDPR") for o in proposal.considered)
    assert proposal.basis.endswith("no subject-side law was considered")
