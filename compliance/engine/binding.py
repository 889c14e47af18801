"""Decide which rules bind a company and a subject for a record type, and say why."""

from functools import lru_cache

from . import jurisdictions
from .ruleset import Ruleset
from .types import Binds, CompanyFacts, Rule

_UNMET = {
    "registration_country": "binds companies registered in {wanted}; "
    "company registered in {company.registration_country}",
    "company_form": "binds company form {wanted}; company form is {company.company_form}",
    "tax_registration": "binds companies registered for {wanted}; company is not",
    "attribute": "applies only if declared: {wanted}; not declared",
}
_MET = {
    "registration_country": "company registered in {met}",
    "company_form": "company form {met}",
    "tax_registration": "company registered for {met}",
    "attribute": "declared: {met}",
}


@lru_cache(maxsize=4096)
def binding(
    ruleset: Ruleset, company: CompanyFacts, record_type: str, subject: str
) -> tuple[tuple[Rule, bool, str], ...]:
    """Return (rule, binds, why) for each rule worth showing for this combination.

    Subject rules of other jurisdictions are left out. Company rules are shown, binding or
    not, when their jurisdiction is the subject's or one the company may be bound by (its
    country, or where it holds a tax registration): that is where legal would look.
    """
    if not jurisdictions.is_subject(subject):
        raise ValueError(f"unknown subject jurisdiction {subject!r}")
    subject_chain = jurisdictions.chain(subject)
    company_codes = jurisdictions.company_jurisdictions(
        company.registration_country, company.tax_registrations
    )
    found = []
    for rule in ruleset.rules_for(record_type):
        if rule.binds is Binds.SUBJECT:
            if rule.jurisdiction == jurisdictions.ANY:
                found.append((rule, True, "windown policy for every subject"))
            elif rule.jurisdiction in subject_chain:
                why = f"binds subjects in {rule.jurisdiction}"
                if rule.jurisdiction != subject:
                    why += f"; subject in {subject}"
                found.append((rule, True, why))
        elif rule.jurisdiction in company_codes or rule.jurisdiction in subject_chain:
            found.append((rule, *_test_company(rule, company, subject_chain)))
    return tuple(found)


def _test_company(rule: Rule, company: CompanyFacts, subject_chain: tuple) -> tuple[bool, str]:
    facts = {
        "registration_country": {company.registration_country},
        "company_form": {company.company_form},
        "tax_registration": company.tax_registrations,
        "attribute": company.attributes,
    }
    met = []
    for fact, values in rule.condition:
        matching = values & facts[fact]
        if not matching:
            wanted = " or ".join(sorted(values))
            return False, _UNMET[fact].format(wanted=wanted, company=company)
        met.append(_MET[fact].format(met=" or ".join(sorted(matching))))
    if rule.subject_scope and not rule.subject_scope.intersection(subject_chain):
        scope = " or ".join(sorted(rule.subject_scope))
        return False, f"concerns subjects in {scope} only; subject in {subject_chain[0]}"
    if rule.subject_scope:
        met.append(f"subject in {subject_chain[0]}")
    return True, ", ".join(met)
