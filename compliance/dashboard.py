"""The compliance phase's panel on the director's dashboard."""

from compliance.selectors import compliance_summary
from windown.models import Membership


def panel(membership: Membership) -> dict:
    return {"template": "compliance/_dashboard_panel.html", **compliance_summary(membership)}
