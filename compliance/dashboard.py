"""The compliance phase's panel on the director's dashboard: figures, progress and blockers."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance.models import Decision, Disposition
from compliance.selectors import compliance_summary
from windown.models import Membership
from windown.progress import Blocker, Chart, Progress
from windown.roles import Role

Status = Decision.Status


def _blockers(summary: dict, url) -> list[Blocker]:
    status = summary["status"]
    lines = [
        (
            status[Status.PROPOSED] + status[Status.STALE],
            ngettext(
                "%(n)d decision is waiting for legal review",
                "%(n)d decisions are waiting for legal review",
                status[Status.PROPOSED] + status[Status.STALE],
            ),
            url("compliance:review"),
        ),
        (
            status[Status.PENDING_SECOND_APPROVAL],
            ngettext(
                "%(n)d override is waiting for a second legal member",
                "%(n)d overrides are waiting for a second legal member",
                status[Status.PENDING_SECOND_APPROVAL],
            ),
            url("compliance:decision-list", "?status=pending_second_approval"),
        ),
        (
            summary["conflicts"],
            ngettext(
                "%(n)d decision has conflicting rules",
                "%(n)d decisions have conflicting rules",
                summary["conflicts"],
            ),
            url("compliance:decision-list", "?conflict=yes"),
        ),
        (
            summary["active_holds"],
            ngettext(
                "%(n)d legal hold is in force",
                "%(n)d legal holds are in force",
                summary["active_holds"],
            ),
            url("compliance:hold-list"),
        ),
        (
            summary["open_matters"],
            ngettext(
                "%(n)d open matter is unresolved",
                "%(n)d open matters are unresolved",
                summary["open_matters"],
            ),
            url("compliance:matter-list"),
        ),
    ]
    return [Blocker(text % {"n": n}, Role.LEGAL, link, n) for n, text, link in lines if n]


def panel(membership: Membership) -> dict:
    summary = compliance_summary(membership)
    slug = membership.winddown.slug

    def url(name: str, query: str = "") -> str:
        return reverse(name, kwargs={"slug": slug}) + query

    return {
        "template": "compliance/_dashboard_panel.html",
        **summary,
        "progress": [
            Progress(
                _("Decisions in force"),
                summary["effective"],
                summary["total"],
                url("compliance:decision-list"),
            )
        ],
        "blockers": _blockers(summary, url),
        "charts": [
            Chart(
                _("Decisions by disposition"),
                "bars",
                [
                    (str(Disposition(key).label), n)
                    for key, n in summary["dispositions"].items()
                    if key in Disposition.values
                ],
            )
        ],
    }
