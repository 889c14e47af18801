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
    ruleset: Ruleset,
    company: CompanyFacts,
    record_type: str,
    subject: str,
    processed_in: str = "",
) -> tuple[tuple[Rule, bool, str], ...]:
    """Return (rule, binds, why) for each rule worth showing for this combination.

    Subject rules of other jurisdictions are left out; the ruleset's subject_law says which
    jurisdictions' subject rules reach a subject (the GDPR's reach NO, say). Processing rules
    bind their subjects and any processing in their territory: by a company established
    there, or of data stored there. Company rules are shown, binding or not, when their
    jurisdiction is the subject's or one the company may be bound by (its country, or where
    it holds a tax registration): that is where legal would look.
    """
    if not jurisdictions.is_subject(subject):
        raise ValueError(f"unknown subject jurisdiction {subject!r}")
    subject_chain = ruleset.subject_chain(subject)
    company_codes = jurisdictions.company_jurisdictions(
        company.registration_country, company.tax_registrations
    )
    found = []
    for rule in ruleset.rules_for(record_type):
        if rule.binds is Binds.PROCESSING:
            why = _processing_reach(rule, company, subject_chain, processed_in)
            if why:
                found.append((rule, True, why))
        elif rule.binds is Binds.SUBJECT:
            if rule.jurisdiction == jurisdictions.ANY:
                found.append((rule, True, "windown policy for every subject"))
            elif rule.jurisdiction in subject_chain:
                why = f"binds subjects in {rule.jurisdiction}"
                if rule.jurisdiction != subject:
                    why += f"; subject in {subject}"
                found.append((rule, True, why))
        elif rule.jurisdiction in company_codes or rule.jurisdiction in subject_chain:
            found.append((rule, *_test_company(rule, company, subject, subject_chain)))
    return tuple(found)


def _processing_reach(rule: Rule, company: CompanyFacts, subject_chain, processed_in) -> str:
    """Say why a processing rule binds (its subject, the company, the storage place), or ''."""
    code = rule.jurisdiction
    if code in subject_chain:
        return f"binds subjects in {code}"
    if code in jurisdictions.base_chain(company.registration_country):
        return f"binds all processing by a company established in {code}, every customer's"
    if processed_in and code in jurisdictions.base_chain(processed_in):
        return f"binds all processing in {code}: the data is stored there"
    return ""


def _test_company(
    rule: Rule, company: CompanyFacts, subject: str, subject_chain: tuple
) -> tuple[bool, str]:
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
    # the scope is matched by Union membership (EU: the member states, whose territory the
    # EU VAT rules cover), not by subject_law: the GDPR reaching NO or GP does not widen it
    if rule.subject_scope and not rule.subject_scope.intersection(jurisdictions.chain(subject)):
        scope = " or ".join(sorted(rule.subject_scope))
        return False, f"concerns subjects in {scope} only; subject in {subject}"
    if rule.cross_border_only and company.registration_country in jurisdictions.base_chain(subject):
        return False, (
            f"concerns cross-border sales only; subject in {subject}, the company's own "
            "country: its national period applies"
        )
    if rule.subject_scope or rule.cross_border_only:
        met.append(f"subject in {subject}")
    return True, ", ".join(met)
