"""The inventory's panel on the director's dashboard."""

from inventory.selectors import inventory_summary
from windown.models import Membership


def panel(membership: Membership) -> dict:
    return {"template": "inventory/_dashboard_panel.html", **inventory_summary(membership.winddown)}
