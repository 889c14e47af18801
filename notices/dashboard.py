"""The notices phase's panel on the director's dashboard."""

from notices.selectors import notices_summary
from windown.models import Membership


def panel(membership: Membership) -> dict:
    return {"template": "notices/_dashboard_panel.html", **notices_summary(membership.winddown)}
