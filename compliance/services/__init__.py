"""Write operations of the compliance phase, split by sub-domain; each one is audited."""

from compliance.services.evaluation import (
    company_facts,
    decisions_evaluate,
    decisions_mark_stale,
    evaluation_queue,
)
from compliance.services.holds import hold_place, hold_release, holds_remind_reviews
from compliance.services.matters import (
    matter_create,
    matter_report_by_customer,
    matter_resolve,
    matters_import_csv,
)
from compliance.services.review import (
    decision_approve,
    decision_override,
    decision_reject,
    decision_second_approve,
    decisions_approve_group,
)
from compliance.services.rulesets import (
    engine_ruleset,
    rule_update,
    ruleset_for_evaluation,
    ruleset_import,
    ruleset_publish,
)
from compliance.services.schedule import schedule_export_render, schedule_export_request

__all__ = [
    "company_facts",
    "decision_approve",
    "decision_override",
    "decision_reject",
    "decision_second_approve",
    "decisions_approve_group",
    "decisions_evaluate",
    "decisions_mark_stale",
    "engine_ruleset",
    "evaluation_queue",
    "hold_place",
    "hold_release",
    "holds_remind_reviews",
    "matter_create",
    "matter_report_by_customer",
    "matter_resolve",
    "matters_import_csv",
    "rule_update",
    "ruleset_for_evaluation",
    "ruleset_import",
    "ruleset_publish",
    "schedule_export_render",
    "schedule_export_request",
]
