"""Write operations of the core: wind-downs and their team. Each one is audited."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from windown import roles
from windown.audit import audit_record
from windown.models import CompanyAttribute, Membership, TaxRegistration, User, WindDown
from windown.roles import Role
from windown.updates import refuse_unknown_fields, update_audited

WINDDOWN_FIELDS = [
    "company_legal_name",
    "company_local_name",
    "registration_country",
    "company_form",
    "tax_registrations",
    "company_attributes",
    "fiscal_year_end_month",
    "fiscal_year_end_day",
    "decision_date",
    "customer_notice_date",
    "operations_end_date",
    "deletion_deadline",
    "certificate_retention_years",
    "notice_lead_days",
    "support_email",
    "support_phone",
]


def _validate_codes(fields: dict[str, Any]) -> None:
    for name, choices in (
        ("tax_registrations", TaxRegistration),
        ("company_attributes", CompanyAttribute),
    ):
        unknown = sorted(set(fields.get(name) or []) - set(choices.values))
        if unknown:
            raise ValidationError({name: _("Unknown value: %s") % ", ".join(unknown)})


def _snapshot(winddown: WindDown) -> dict[str, Any]:
    return {name: getattr(winddown, name) for name in WINDDOWN_FIELDS}


@transaction.atomic
def winddown_create(*, creator: User, slug: str, **fields: Any) -> WindDown:
    """Create a wind-down; its creator becomes its director."""
    _validate_codes(fields)
    winddown = WindDown(slug=slug, **fields)
    winddown.full_clean()
    winddown.save()
    membership = Membership.objects.create(winddown=winddown, user=creator, role=Role.DIRECTOR)
    audit_record(
        winddown=winddown,
        actor=creator,
        action="winddown.created",
        obj=winddown,
        payload={"slug": slug, **_snapshot(winddown)},
    )
    audit_record(
        winddown=winddown,
        actor=creator,
        action="membership.added",
        obj=membership,
        payload={"email": creator.email, "role": Role.DIRECTOR},
    )
    return winddown


@transaction.atomic
def winddown_update(*, by: Membership, **fields: Any) -> WindDown:
    """Change a wind-down's facts and dates; the audit event lists what changed."""
    roles.require(by, "winddown.change")
    winddown = WindDown.objects.select_for_update().get(pk=by.winddown_id)
    refuse_unknown_fields(fields, WINDDOWN_FIELDS)
    _validate_codes(fields)
    update_audited(
        instance=winddown,
        changes=fields,
        editable=WINDDOWN_FIELDS,
        winddown=winddown,
        actor=by.user,
        action="winddown.updated",
    )
    return winddown


@transaction.atomic
def winddown_status_change(*, by: Membership, status: str) -> WindDown:
    """Move a wind-down to planning, in progress or closed."""
    roles.require(by, "winddown.change")
    winddown = WindDown.objects.select_for_update().get(pk=by.winddown_id)
    if status not in WindDown.Status.values:
        raise ValidationError({"status": _("Unknown value: %s") % status})
    if winddown.status == status:
        return winddown
    before, winddown.status = winddown.status, status
    winddown.save(update_fields=["status"])
    audit_record(
        winddown=winddown,
        actor=by.user,
        action="winddown.status_changed",
        obj=winddown,
        payload={"from": before, "to": status},
    )
    return winddown


def _send_invitation(*, membership: Membership, inviter: User, new_user: bool) -> None:
    user = membership.user
    if new_user:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    else:
        path = reverse("dashboard:home", kwargs={"slug": membership.winddown.slug})
    context = {
        "membership": membership,
        "inviter": inviter,
        "link": settings.SITE_URL + path,
        "new_user": new_user,
    }
    subject = _("You have been invited to the wind-down of %(company)s") % {
        "company": membership.winddown.company_legal_name
    }
    body = render_to_string("windown/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email], fail_silently=False)


def _check_department(role: str, department: str) -> str:
    department = department.strip()
    if role == Role.CUSTODIAN and not department:
        raise ValidationError({"department": _("A custodian must have a department.")})
    return department if role == Role.CUSTODIAN else ""


@transaction.atomic
def membership_invite(*, by: Membership, email: str, role: str, department: str = "") -> Membership:
    """Add a person to the wind-down with a role and email them a link to sign in."""
    roles.require(by, "team.manage")
    department = _check_department(role, department)
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    new_user = user is None
    if new_user:
        user = User(email=email)
        user.full_clean(exclude=["password"])
        user.set_unusable_password()
        user.save()
    if Membership.objects.filter(winddown_id=by.winddown_id, user=user).exists():
        raise ValidationError({"email": _("%(email)s is already a member.") % {"email": email}})
    membership = Membership(winddown_id=by.winddown_id, user=user, role=role, department=department)
    membership.full_clean()
    membership.save()
    audit_record(
        winddown=membership.winddown,
        actor=by.user,
        action="membership.invited",
        obj=membership,
        payload={"email": email, "role": role, "department": department},
    )
    _send_invitation(membership=membership, inviter=by.user, new_user=new_user)
    return membership


def _ensure_director_remains(membership: Membership, new_role: str | None) -> None:
    if membership.role != Role.DIRECTOR or new_role == Role.DIRECTOR:
        return
    others = Membership.objects.filter(winddown_id=membership.winddown_id, role=Role.DIRECTOR)
    if not others.exclude(pk=membership.pk).exists():
        raise ValidationError(_("A wind-down must keep at least one director."))


@transaction.atomic
def membership_change_role(
    *, by: Membership, membership: Membership, role: str, department: str = ""
) -> Membership:
    """Give a member another role (or another department)."""
    roles.require(by, "team.manage")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    department = _check_department(role, department)
    _ensure_director_remains(membership, role)
    before = {"role": membership.role, "department": membership.department}
    membership.role, membership.department = role, department
    membership.full_clean()
    membership.save()
    audit_record(
        winddown=membership.winddown,
        actor=by.user,
        action="membership.role_changed",
        obj=membership,
        payload={
            "email": membership.user.email,
            "before": before,
            "after": {"role": role, "department": department},
        },
    )
    return membership


@transaction.atomic
def membership_remove(*, by: Membership, membership: Membership) -> None:
    """Take a person off the wind-down."""
    roles.require(by, "team.manage")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _ensure_director_remains(membership, None)
    audit_record(
        winddown=membership.winddown,
        actor=by.user,
        action="membership.removed",
        obj=membership,
        payload={"email": membership.user.email, "role": membership.role},
    )
    membership.delete()
