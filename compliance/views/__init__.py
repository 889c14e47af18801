"""Pages of the compliance phase: thin views over compliance.services and compliance.selectors."""

from compliance.views.decisions import (
    DecisionActionView,
    DecisionDetailView,
    DecisionListView,
    EvaluateView,
    GroupApproveView,
    OverviewView,
    ReviewQueueView,
    ScheduleExportView,
)
from compliance.views.holds import HoldDetailView, HoldListView, HoldReleaseView
from compliance.views.matters import (
    MatterDetailView,
    MatterImportView,
    MatterListView,
    MatterResolveView,
)
from compliance.views.rulesets import (
    RuleEditView,
    RulesetDetailView,
    RulesetListView,
    RulesetPublishView,
)

__all__ = [
    "DecisionActionView",
    "DecisionDetailView",
    "DecisionListView",
    "EvaluateView",
    "GroupApproveView",
    "HoldDetailView",
    "HoldListView",
    "HoldReleaseView",
    "MatterDetailView",
    "MatterImportView",
    "MatterListView",
    "MatterResolveView",
    "OverviewView",
    "ReviewQueueView",
    "RuleEditView",
    "RulesetDetailView",
    "RulesetListView",
    "RulesetPublishView",
    "ScheduleExportView",
]
