"""The compliance phase's panel on the director's dashboard."""

from compliance.selectors import compliance_summary
from windown.models import Membership


def compliance_panel(membership: Membership) -> dict:
    summary = compliance_summary(membership)
    status = summary["status"]
    return {
        "template": "compliance/_dashboard_panel.html",
        **summary,
        "awaiting": status["proposed"] + status["pending_second_approval"] + status["stale"],
    }
