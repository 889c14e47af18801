"""Dashboard panels, one per phase, each built from that phase's selectors.

A panel is a dict with a `template` to include and the figures it shows. Phase apps add
theirs here as they are built; a panel is shown only to roles that may view its phase.
"""

from __future__ import annotations

from collections.abc import Callable

from compliance.dashboard import compliance_panel
from inventory.dashboard import inventory_panel
from windown import roles
from windown.models import Membership

Panel = dict
PANELS: list[tuple[str, Callable[[Membership], Panel]]] = [
    ("inventory.view", inventory_panel),
    ("compliance.view", compliance_panel),
]


def panels_for(membership: Membership) -> list[Panel]:
    """Build the panels this member may see, in phase order."""
    return [build(membership) for perm, build in PANELS if roles.holds(membership, perm)]


def _notices_panel(membership: Membership) -> Panel:
    from notices.selectors import notices_summary

    return {"template": "notices/_dashboard_panel.html", **notices_summary(membership.winddown)}


PANELS.append(("notices.view", _notices_panel))


def _webhooks_panel(membership: Membership) -> Panel:
    from windown.webhooks.selectors import webhooks_summary

    return {
        "template": "windown/webhooks/_dashboard_panel.html",
        **webhooks_summary(membership.winddown),
    }


PANELS.append(("webhooks.view", _webhooks_panel))
