"""The retention engine: pure domain code, no Django. See evaluate() and the shipped ruleset."""

from .evaluate import evaluate
from .jurisdictions import (
    COMPANY_ATTRIBUTES,
    COMPANY_FORMS,
    EU_MEMBER_STATES,
    TAX_REGISTRATIONS,
    chain,
    is_eu_law,
)
from .ruleset import SHIPPED_RULESET, Ruleset, RulesetError, load_ruleset, parse_ruleset
from .types import (
    RECORD_TYPES,
    Binds,
    CompanyFacts,
    Disposition,
    Effect,
    HoldingSlice,
    LegalHold,
    OpenMatter,
    Proposal,
    Rule,
    RuleOutcome,
    Start,
)

__all__ = [
    "COMPANY_ATTRIBUTES",
    "COMPANY_FORMS",
    "EU_MEMBER_STATES",
    "RECORD_TYPES",
    "SHIPPED_RULESET",
    "TAX_REGISTRATIONS",
    "Binds",
    "CompanyFacts",
    "Disposition",
    "Effect",
    "HoldingSlice",
    "LegalHold",
    "OpenMatter",
    "Proposal",
    "Rule",
    "RuleOutcome",
    "Ruleset",
    "RulesetError",
    "Start",
    "chain",
    "evaluate",
    "is_eu_law",
    "load_ruleset",
    "parse_ruleset",
]
