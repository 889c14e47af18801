"""The destruction phase's panel on the director's dashboard."""

from destruction.selectors.jobs import destruction_summary
from windown.models import Membership


def panel(membership: Membership) -> dict:
    return {
        "template": "destruction/_dashboard_panel.html",
        **destruction_summary(membership.winddown),
    }
