"""The wind-down's timeline and the warnings when the plan is already late.

Pure: it reads the wind-down's dates and two facts from the phases (a campaign planned or
started; destruction started) and today's date, so every warning is tested without a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from windown.progress import CLEANUP_LEAD

NOTICE_NEAR_DAYS = 14  # warn when the notice date is this close and nothing is planned
DEADLINE_NEAR_DAYS = 30  # warn when deletion is this close and no destruction has run


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str
    day: dt.date | None
    days_left: int | None

    @property
    def days_ago(self) -> int | None:
        return -self.days_left if self.days_left is not None else None


@dataclass(frozen=True)
class Timeline:
    today: dt.date
    milestones: list[Milestone]
    warnings: list[str] = field(default_factory=list)

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        days = [m.day for m in self.milestones if m.day] + [self.today]
        return min(days), max(days)

    def position(self, day: dt.date) -> float:
        """Where `day` falls on the bar, 0 to 100 %."""
        start, end = self.span
        total = (end - start).days or 1
        return round(100 * (day - start).days / total, 1)

    @property
    def today_position(self) -> float:
        return self.position(self.today)

    @property
    def marks(self) -> list[tuple[Milestone, float]]:
        return [(m, self.position(m.day)) for m in self.milestones if m.day]


def _milestone(key: str, label: str, day: dt.date | None, today: dt.date) -> Milestone:
    return Milestone(key, label, day, (day - today).days if day else None)


def build_timeline(
    winddown, *, today: dt.date, campaign_planned: bool, destruction_started: bool
) -> Timeline:
    deadline = winddown.deletion_deadline
    notice = winddown.customer_notice_date
    milestones = [
        _milestone(
            "cleanup_start", _("Start of cleanup (advised)"), deadline - CLEANUP_LEAD, today
        ),
        _milestone("notice", _("Customer notice date"), notice, today),
        _milestone("operations_end", _("Operations end"), winddown.operations_end_date, today),
        _milestone("deadline", _("Deletion deadline"), deadline, today),
    ]
    warnings = []
    lead = winddown.notice_lead_days
    if notice is None:
        warnings.append(_("No customer notice date is set."))
    elif (deadline - notice).days < lead:
        warnings.append(
            ngettext(
                "The notice date leaves customers only %(n)d day before deletion; "
                "at least %(lead)d are planned.",
                "The notice date leaves customers only %(n)d days before deletion; "
                "at least %(lead)d are planned.",
                (deadline - notice).days,
            )
            % {"n": (deadline - notice).days, "lead": lead}
        )
    if notice and not campaign_planned:
        if notice < today:
            warnings.append(_("The customer notice date has passed and no campaign was sent."))
        elif (notice - today).days <= NOTICE_NEAR_DAYS:
            warnings.append(
                ngettext(
                    "The customer notice date is in %(n)d day and no campaign is scheduled.",
                    "The customer notice date is in %(n)d days and no campaign is scheduled.",
                    (notice - today).days,
                )
                % {"n": (notice - today).days}
            )
    if not destruction_started and (deadline - today).days <= DEADLINE_NEAR_DAYS:
        warnings.append(
            _("The deletion deadline has passed and no destruction job has been performed.")
            if deadline < today
            else ngettext(
                "The deletion deadline is in %(n)d day and no destruction job has been performed.",
                "The deletion deadline is in %(n)d days and no destruction job has been performed.",
                (deadline - today).days,
            )
            % {"n": (deadline - today).days}
        )
    return Timeline(today, milestones, warnings)
