"""Read queries of the core."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from windown.models import AuditEvent, Checkpoint, Membership, User, WindDown


def winddowns_for_user(user: User) -> QuerySet[WindDown]:
    """Return the wind-downs the user is a member of (superusers get no special view)."""
    return WindDown.objects.filter(memberships__user=user).distinct()


def membership_for(user: User, slug: str) -> Membership:
    """Return the user's membership in the wind-down `slug`, or 404 if they are not a member."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("winddown", "user")
        .filter(user=user, winddown__slug=slug)
        .first()
    )
    if membership is None:
        raise Http404("No such wind-down.")
    return membership


def team_of(winddown: WindDown) -> QuerySet[Membership]:
    return winddown.memberships.select_related("user").order_by("role", "user__email")


def audit_events_of(winddown: WindDown) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(winddown=winddown).order_by("-seq")


def checkpoints_of(winddown: WindDown) -> QuerySet[Checkpoint]:
    return Checkpoint.objects.filter(winddown=winddown).order_by("-tree_size")
