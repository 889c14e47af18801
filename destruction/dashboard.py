"""The destruction phase's panel on the director's dashboard: figures, progress and blockers."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from destruction.selectors.jobs import destruction_summary
from windown.models import Membership
from windown.progress import CLEANUP_LEAD, Blocker, Chart, Progress
from windown.roles import Role


def _blockers(summary: dict, url) -> list[Blocker]:
    lines = [
        (
            summary["failed_jobs"],
            ngettext(
                "%(n)d destruction job failed",
                "%(n)d destruction jobs failed",
                summary["failed_jobs"],
            ),
            Role.IT,
            url("destruction:index", "?status=failed"),
        ),
        (
            summary["overdue_processors"],
            ngettext(
                "%(n)d processor has not answered in time",
                "%(n)d processors have not answered in time",
                summary["overdue_processors"],
            ),
            Role.DIRECTOR,
            url("destruction:processor-request-list"),
        ),
        (
            summary["expired_certifications"],
            ngettext(
                "%(n)d vendor certification has expired",
                "%(n)d vendor certifications have expired",
                summary["expired_certifications"],
            ),
            Role.IT,
            url("destruction:index"),
        ),
    ]
    return [Blocker(text % {"n": n}, owner, link, n) for n, text, owner, link in lines if n]


def panel(membership: Membership) -> dict:
    summary = destruction_summary(membership.winddown)
    slug = membership.winddown.slug

    def url(name: str, query: str = "") -> str:
        return reverse(name, kwargs={"slug": slug}) + query

    return {
        "template": "destruction/_dashboard_panel.html",
        **summary,
        "progress": [
            Progress(
                _("Records destroyed"),
                summary["records_destroyed"],
                summary["records_to_delete"],
                url("destruction:index"),
            ),
        ],
        "blockers": _blockers(summary, url),
        "charts": [_burn_down(membership.winddown, summary)],
    }


def _burn_down(winddown, summary: dict) -> Chart:
    """Records still to delete, from the start of cleanup to today, against the deadline."""
    series, total = summary["remaining_by_day"], summary["records_to_delete"]
    start = winddown.deletion_deadline - CLEANUP_LEAD
    first = min([dt.date.fromisoformat(day) for day, _n in series] + [start])
    today = timezone.localdate()
    remaining = series[-1][1] if series else total
    points = [(first.isoformat(), total), *series]
    if points[-1][0] < today.isoformat():
        points.append((today.isoformat(), remaining))
    return Chart(
        _("Records remaining against the deletion deadline"),
        "line",
        points,
        target_day=winddown.deletion_deadline.isoformat(),
    )
