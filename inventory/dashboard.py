"""The inventory's panel on the director's dashboard: figures, progress and blockers."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inventory.selectors import category_jurisdiction_matrix, department_overview, holding_totals
from windown.models import Membership
from windown.progress import Blocker, Chart, Progress
from windown.roles import Role


def panel(membership: Membership) -> dict:
    winddown = membership.winddown
    totals = holding_totals(winddown)
    departments = department_overview(winddown, totals)
    states = [d.state for d in departments]
    # the totals of inventory_summary(), from the per-department figures already read
    summary = {
        "systems": sum(d.systems for d in departments),
        "high_risk": sum(d.high_risk_systems for d in departments),
        "holdings": sum(d.holdings for d in departments),
        "records": sum(d.records or 0 for d in departments),
        "departments": len(departments),
        "attested": states.count("attested"),
    }
    attestations = reverse("inventory:attestation-list", kwargs={"slug": winddown.slug})
    blockers = []
    if missing := states.count("missing"):
        blockers.append(
            Blocker(
                ngettext(
                    "%(n)d department has not attested its declaration",
                    "%(n)d departments have not attested their declarations",
                    missing,
                )
                % {"n": missing},
                Role.CUSTODIAN,
                attestations,
                missing,
            )
        )
    if changed := states.count("changed"):
        blockers.append(
            Blocker(
                ngettext(
                    "%(n)d department changed its declaration since attesting",
                    "%(n)d departments changed their declarations since attesting",
                    changed,
                )
                % {"n": changed},
                Role.CUSTODIAN,
                attestations,
                changed,
            )
        )
    return {
        "template": "inventory/_dashboard_panel.html",
        **summary,
        "progress": [
            Progress(_("Departments attested"), states.count("attested"), len(states), attestations)
        ],
        "blockers": blockers,
        "charts": _charts(winddown, totals),
    }


def _charts(winddown, totals) -> list[Chart]:
    matrix = category_jurisdiction_matrix(winddown, totals)
    return [
        Chart(_("Records by jurisdiction"), "bars", list(matrix.column_totals.items())),
        Chart(
            _("Records by data category"),
            "bars",
            [
                (category.label, matrix.row_totals.get(category.pk, 0))
                for category in matrix.categories
            ],
        ),
    ]
