"""Everything the dashboard shows, gathered once: panels, progress, blockers and the timeline.

The page and the progress report read the same overview.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from dashboard.charts import draw
from dashboard.panels import panels_for
from dashboard.timeline import build_timeline
from windown.models import Membership
from windown.progress import Blocker, Progress


def overall_percent(bars: list[Progress]) -> int:
    """Each phase's first bar counts once; a phase with nothing to do counts as done."""
    return round(sum(bar.percent for bar in bars) / len(bars)) if bars else 0


def overview_for(membership: Membership, *, today: dt.date) -> dict:
    winddown = membership.winddown
    panels = panels_for(membership)
    facts = {key: value for panel in panels for key, value in panel.items()}
    blockers: list[Blocker] = [b for panel in panels for b in panel.get("blockers", [])]
    firsts = [panel["progress"][0] for panel in panels if panel.get("progress")]
    return {
        "dashboard_panels": panels,
        "days_to_deadline": (winddown.deletion_deadline - today).days,
        "progress_bars": [bar for panel in panels for bar in panel.get("progress", [])],
        "overall_percent": overall_percent(firsts),
        "blockers": blockers,
        # the page polls its live figures only while a campaign is sending
        "live": bool(facts.get("campaigns_sending")),
        "charts": [
            draw(chart, other=_("Other")) for panel in panels for chart in panel.get("charts", [])
        ],
        "timeline": build_timeline(
            winddown,
            today=today,
            # roles that cannot see a phase get no warning about it
            campaign_planned=bool(
                facts.get("campaigns_started", 1) or facts.get("campaigns_scheduled")
            ),
            destruction_started=bool(facts.get("jobs_started", 1)),
        ),
    }
