"""Compliance data: versioned rulesets, decisions per holding, legal holds and open matters."""

from compliance.models.decisions import Decision, Disposition
from compliance.models.exports import ScheduleExport
from compliance.models.holds import LegalHold, OpenMatter
from compliance.models.rulesets import Rule, Ruleset

__all__ = [
    "Decision",
    "Disposition",
    "LegalHold",
    "OpenMatter",
    "Rule",
    "Ruleset",
    "ScheduleExport",
]
