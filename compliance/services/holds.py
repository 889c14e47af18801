"""Legal holds: an overlay over the decisions they cover, placed and released by legal.

Placing a hold records the holdings it covers; from then on those decisions read as `hold`
(DecisionQuerySet.with_effective) and destruction is suspended, while each keeps its own
review (approved, pending second approval, overridden) untouched. Releasing it lifts the
overlay: the decisions are in force again as reviewed, unless their proposal changed
meanwhile (evaluation sent those back to review, as it always does).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import LegalHold
from compliance.selectors import holdings_covered_by
from inventory.models import DataCategory, DataSystem, is_jurisdiction
from windown import roles
from windown.audit import audit_record
from windown.models import Membership
from windown.roles import Role


def _clean_codes(values: list[str], check, field: str) -> list[str]:
    codes = sorted({v.strip() for v in values if v and v.strip()})
    bad = [code for code in codes if not check(code)]
    if bad:
        raise ValidationError({field: _("Unknown: %s") % ", ".join(bad)})
    return codes


@transaction.atomic
def hold_place(
    *,
    by: Membership,
    reference: str,
    reason: str,
    case_reference: str = "",
    systems: list[DataSystem] = (),
    categories: list[DataCategory] = (),
    jurisdictions: list[str] = (),
    customer_references: list[str] = (),
    review_on: date | None = None,
) -> LegalHold:
    """Place a hold over the holdings in its scope; their decisions keep their review."""
    roles.require(by, "compliance.hold.manage")
    winddown = by.winddown
    if any(s.winddown_id != winddown.pk for s in [*systems, *categories]):
        raise ValidationError(_("Systems and categories must belong to this wind-down."))
    hold = LegalHold(
        winddown=winddown,
        reference=reference.strip(),
        reason=reason.strip(),
        case_reference=case_reference.strip(),
        jurisdictions=_clean_codes(
            list(jurisdictions), lambda c: c == "EU" or is_jurisdiction(c), "jurisdictions"
        ),
        customer_references=sorted({c.strip() for c in customer_references if c.strip()}),
        review_on=review_on,
        placed_by=by.user,
        placed_at=timezone.now(),
    )
    hold.full_clean()
    hold.save()
    hold.systems.set(systems)
    hold.categories.set(categories)
    covered = [h.pk for h in holdings_covered_by(hold)]
    hold.holdings.set(covered)
    audit_record(
        winddown=winddown,
        actor=by.user,
        action="compliance.hold_placed",
        obj=hold,
        payload={
            "reference": hold.reference,
            "case_reference": hold.case_reference,
            "reason": hold.reason,
            "systems": sorted(s.pk for s in systems),
            "categories": sorted(c.key for c in categories),
            "jurisdictions": hold.jurisdictions,
            "customer_references": hold.customer_references,
            "review_on": review_on,
            "holdings_covered": len(covered),
        },
    )
    return hold


@transaction.atomic
def hold_release(*, by: Membership, hold: LegalHold, reason: str) -> LegalHold:
    """Release a hold with a reason; the decisions it covered are in force again as reviewed."""
    roles.require(by, "compliance.hold.manage")
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk, winddown_id=by.winddown_id)
    if not hold.is_active:
        raise ValidationError(_("This hold is already released."))
    if not reason.strip():
        raise ValidationError({"reason": _("Releasing a hold needs a reason.")})
    hold.status, hold.released_by, hold.released_at = (
        LegalHold.Status.RELEASED,
        by.user,
        timezone.now(),
    )
    hold.release_reason = reason.strip()
    hold.full_clean()
    hold.save()
    audit_record(
        winddown=hold.winddown,
        actor=by.user,
        action="compliance.hold_released",
        obj=hold,
        payload={
            "reference": hold.reference,
            "reason": hold.release_reason,
            "holdings_covered": hold.holdings.count(),
        },
    )
    return hold


def holds_remind_reviews(*, today: date | None = None) -> int:
    """Email legal about active holds due for review, once per review date; return how many."""
    today = today or timezone.localdate()
    due = LegalHold.objects.filter(status=LegalHold.Status.ACTIVE, review_on__lte=today).exclude(
        review_reminded_on__gte=F("review_on")
    )
    sent = 0
    for hold in due.select_related("winddown"):
        with transaction.atomic():
            # claim: only the process whose UPDATE changed the row sends the reminder
            claimed = LegalHold.objects.filter(
                pk=hold.pk, review_reminded_on=hold.review_reminded_on
            ).update(review_reminded_on=today)
            if claimed != 1:
                continue
            legal = Membership.objects.filter(winddown=hold.winddown, role=Role.LEGAL)
            recipients = sorted(legal.values_list("user__email", flat=True))
            audit_record(
                winddown=hold.winddown,
                actor=None,
                action="compliance.hold_review_reminded",
                obj=hold,
                payload={
                    "reference": hold.reference,
                    "review_on": hold.review_on,
                    "to": recipients,
                },
            )
            if recipients:
                path = reverse(
                    "compliance:hold-detail", kwargs={"slug": hold.winddown.slug, "pk": hold.pk}
                )
                body = _("The legal hold %(ref)s (%(reason)s) is due for review since %(date)s.")
                facts = {"ref": hold.reference, "reason": hold.reason, "date": hold.review_on}
                send_mail(
                    _("Legal hold %(ref)s is due for review") % {"ref": hold.reference},
                    f"{body % facts}\n\n{settings.SITE_URL}{path}",
                    None,
                    recipients,
                )
            sent += 1
    return sent
