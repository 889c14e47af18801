"""The retention engine: pure domain code, no Django. See evaluate() and the shipped ruleset."""

from .evaluate import evaluate
from .jurisdictions import (
    COMPANY_ATTRIBUTES,
    COMPANY_FORMS,
    EU_MEMBER_STATES,
    TAX_REGISTRATIONS,
    chain,
)
from .ruleset import SHIPPED_RULESET, Ruleset, RulesetError, load_ruleset, parse_ruleset
from .types import (
    RECORD_TYPES,
    Binds,
    CompanyFacts,
    Disposition,
    Effect,
    HoldingSlice,
    OpenMatter,
    Proposal,
    Rule,
    RuleOutcome,
    Start,
    SubjectLaw,
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
    "OpenMatter",
    "Proposal",
    "Rule",
    "RuleOutcome",
    "Ruleset",
    "RulesetError",
    "Start",
    "SubjectLaw",
    "chain",
    "evaluate",
    "load_ruleset",
    "parse_ruleset",
]
