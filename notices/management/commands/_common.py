"""Shared by the notices commands: act as the wind-down's director (commands run as admins)."""

from django.core.management.base import CommandError

from windown.models import Membership
from windown.roles import Role


def acting_member(slug: str, email: str | None) -> Membership:
    members = Membership.objects.select_related("winddown", "user").filter(winddown__slug=slug)
    member = (
        members.filter(user__email=email).first()
        if email
        else members.filter(role=Role.DIRECTOR).order_by("pk").first()
    )
    if member is None:
        raise CommandError(f"No such member of wind-down {slug!r}.")
    return member
