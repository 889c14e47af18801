"""The notices phase's panel on the director's dashboard: figures, progress and blockers."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notices.selectors import notices_summary
from windown.models import Membership
from windown.progress import Blocker, Chart, Progress
from windown.roles import Role


def panel(membership: Membership) -> dict:
    summary = notices_summary(membership.winddown)
    slug = membership.winddown.slug
    campaigns = reverse("notices:index", kwargs={"slug": slug})
    requests = reverse("notices:request-list", kwargs={"slug": slug})
    blockers = []
    if not summary["campaigns_started"]:
        blockers.append(
            Blocker(_("No notice campaign has been started"), Role.SUPPORT, campaigns, 1)
        )
    if n := summary["campaigns_without_contact"]:
        blockers.append(
            Blocker(
                ngettext(
                    "%(n)d notice campaign cannot be sent: it names no support email for "
                    "customers to write to",
                    "%(n)d notice campaigns cannot be sent: they name no support email for "
                    "customers to write to",
                    n,
                )
                % {"n": n},
                Role.SUPPORT,
                campaigns,
                n,
            )
        )
    if n := summary["failed"]:
        blockers.append(
            Blocker(
                ngettext(
                    "%(n)d notice could not be delivered",
                    "%(n)d notices could not be delivered",
                    n,
                )
                % {"n": n},
                Role.SUPPORT,
                campaigns,
                n,
            )
        )
    if n := summary["overdue_requests"]:
        blockers.append(
            Blocker(
                ngettext(
                    "%(n)d customer request is overdue",
                    "%(n)d customer requests are overdue",
                    n,
                )
                % {"n": n},
                Role.SUPPORT,
                requests + "?overdue=on",
                n,
            )
        )
    return {
        "template": "notices/_dashboard_panel.html",
        **summary,
        "progress": [
            Progress(_("Notices delivered"), summary["sent"], summary["deliveries"], campaigns),
            Progress(
                _("Customer requests resolved"),
                summary["requests"] - summary["open_requests"],
                summary["requests"],
                requests,
            ),
        ],
        "blockers": blockers,
        "charts": [Chart(_("Notices sent over time"), "line", summary["sent_by_day"])],
    }
