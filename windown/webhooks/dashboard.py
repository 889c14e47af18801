"""The webhooks' panel on the director's dashboard: endpoints, and failed deliveries as a
blocker (a partner that missed an event may still hold a "ghost account")."""

from django.urls import reverse
from django.utils.translation import ngettext

from windown.models import Membership
from windown.progress import Blocker
from windown.roles import Role
from windown.webhooks.selectors import webhooks_summary


def panel(membership: Membership) -> dict:
    summary = webhooks_summary(membership.winddown)
    blockers = []
    if n := summary["failed"]:
        blockers.append(
            Blocker(
                ngettext(
                    "%(n)d webhook delivery to a partner failed",
                    "%(n)d webhook deliveries to partners failed",
                    n,
                )
                % {"n": n},
                Role.DIRECTOR,
                reverse("windown:webhook-list", kwargs={"slug": membership.winddown.slug}),
                n,
            )
        )
    return {
        "template": "windown/webhooks/_dashboard_panel.html",
        **summary,
        "blockers": blockers,
    }
