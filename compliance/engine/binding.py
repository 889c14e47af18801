"""Decide which rules bind a company and a subject for a record type, and say why."""

from functools import lru_cache

from . import jurisdictions
from .reasons import AnyOf, Reason, joined
from .ruleset import Ruleset
from .types import Binds, CompanyFacts, Rule


@lru_cache(maxsize=4096)
def binding(
    ruleset: Ruleset,
    company: CompanyFacts,
    record_type: str,
    subject: str,
    processed_in: str = "",
) -> tuple[tuple[Rule, bool, tuple[Reason, ...]], ...]:
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
                found.append((rule, True, (Reason.of("binds_every_subject"),)))
            elif rule.jurisdiction in subject_chain:
                why = (Reason.of("binds_subjects_in", jurisdiction=rule.jurisdiction),)
                if rule.jurisdiction != subject:
                    why += (Reason.of("subject_in_also", subject=subject),)
                found.append((rule, True, why))
        elif rule.jurisdiction in company_codes or rule.jurisdiction in subject_chain:
            found.append((rule, *_test_company(rule, company, subject, subject_chain)))
    return tuple(found)


def _processing_reach(
    rule: Rule, company: CompanyFacts, subject_chain, processed_in
) -> tuple[Reason, ...]:
    """Say why a processing rule binds (its subject, the company, the storage place), or ()."""
    code = rule.jurisdiction
    if code in subject_chain:
        return (Reason.of("binds_subjects_in", jurisdiction=code),)
    if code in jurisdictions.base_chain(company.registration_country):
        return (Reason.of("binds_established", jurisdiction=code),)
    if processed_in and code in jurisdictions.base_chain(processed_in):
        return (Reason.of("binds_stored", jurisdiction=code),)
    return ()


def _test_company(
    rule: Rule, company: CompanyFacts, subject: str, subject_chain: tuple
) -> tuple[bool, tuple[Reason, ...]]:
    actual = {
        "registration_country": company.registration_country,
        "company_form": company.company_form,
    }
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
            params = {"wanted": AnyOf(tuple(sorted(values)))}
            if fact in actual:
                params["actual"] = actual[fact]
            return False, (Reason.of(f"unmet_{fact}", **params),)
        met.append(Reason.of(f"met_{fact}", met=AnyOf(tuple(sorted(matching)))))
    # the scope is matched by Union membership (EU: the member states, whose territory the
    # EU VAT rules cover), not by subject_law: the GDPR reaching NO or GP does not widen it
    if rule.subject_scope and not rule.subject_scope.intersection(jurisdictions.chain(subject)):
        scope = AnyOf(tuple(sorted(rule.subject_scope)))
        return False, (Reason.of("outside_scope", scope=scope, subject=subject),)
    if rule.cross_border_only and company.registration_country in jurisdictions.base_chain(subject):
        return False, (Reason.of("cross_border_only", subject=subject),)
    if rule.subject_scope or rule.cross_border_only:
        met.append(Reason.of("met_subject", subject=subject))
    return True, joined(met)
