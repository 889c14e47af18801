"""Dashboard panels, one per phase, in phase order.

Every phase exposes its panel the same way: a module `<phase>/dashboard.py` with
`panel(membership) -> dict` returning the `template` to include and the figures it shows. A panel
is shown only to roles that may view its phase.
"""

from __future__ import annotations

from collections.abc import Callable

import compliance.dashboard
import destruction.dashboard
import inventory.dashboard
import notices.dashboard
import windown.webhooks.dashboard
from windown import roles
from windown.models import Membership

Panel = dict
PANELS: list[tuple[str, Callable[[Membership], Panel]]] = [
    ("inventory.view", inventory.dashboard.panel),
    ("compliance.view", compliance.dashboard.panel),
    ("notices.view", notices.dashboard.panel),
    ("destruction.view", destruction.dashboard.panel),
    ("webhooks.view", windown.webhooks.dashboard.panel),
]


def panels_for(membership: Membership) -> list[Panel]:
    """Build the panels this member may see, in phase order."""
    return [build(membership) for perm, build in PANELS if roles.holds(membership, perm)]
