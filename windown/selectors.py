"""Read queries of the core."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

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


def audit_events_filtered(
    winddown: WindDown,
    *,
    action: str = "",
    actor: str = "",
    obj: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """The wind-down's events, newest first, narrowed by the audit trail's filters.

    `action` matches a prefix ("destruction." or "destruction.evidence_downloaded"), `actor`
    a part of the actor's label, `obj` an object type with an optional "#id" ("destruction.
    destructionjob#3"); `since` and `until` are inclusive UTC days.
    """
    events = audit_events_of(winddown)
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if obj:
        object_type, _, object_id = obj.partition("#")
        events = events.filter(object_type=object_type.strip().lower())
        if object_id.strip():
            events = events.filter(object_id=object_id.strip())
    if since:
        events = events.filter(created_at__gte=datetime.combine(since, time.min, tzinfo=UTC))
    if until:
        events = events.filter(
            created_at__lt=datetime.combine(until, time.min, tzinfo=UTC) + timedelta(days=1)
        )
    return events
