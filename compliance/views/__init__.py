"""Pages of the compliance phase: thin views over compliance.services and compliance.selectors."""

from compliance.views.decisions import (
    DecisionActionView,
    DecisionDetailView,
    DecisionListView,
    EvaluateView,
    GroupApproveView,
    OverviewView,
    ReviewQueueView,
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
from compliance.views.schedule import ScheduleExportView, SchedulePdfView

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
    "SchedulePdfView",
]
