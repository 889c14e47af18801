"""What a phase tells the dashboard besides its panel: its progress bars and its blockers.

Phases build these in their `dashboard.py` (see dashboard/panels.py); they live in the core so
every phase can use them without knowing the dashboard that shows them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from windown.roles import Role

# The playbook advises starting the cleanup six months before deletion.
CLEANUP_LEAD = dt.timedelta(days=183)


@dataclass(frozen=True)
class Progress:
    """A bar: `done` of `total`, linking to the list behind it."""

    label: str
    done: int
    total: int
    url: str

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


@dataclass(frozen=True)
class Blocker:
    """Something that stops the company from finishing: who owns it and where it is fixed."""

    text: str
    owner: Role
    url: str
    count: int = 1

    @property
    def owner_label(self) -> str:
        return str(Role(self.owner).label)


@dataclass(frozen=True)
class Chart:
    """Figures for one dashboard chart; the dashboard draws it as SVG.

    `kind` is `bars` (one horizontal bar per label) or `line` (values over days, with an optional
    `target` line from the first point to zero at `target_day`, as in a burn-down).
    """

    title: str
    kind: str
    series: list[tuple[str, int]]
    target_day: str = ""
