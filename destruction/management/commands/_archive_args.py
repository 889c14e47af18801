"""What the archive commands share: find the archive and the member acting."""

from __future__ import annotations

from django.core.management.base import CommandError

from destruction.models import Archive
from windown.models import Membership
from windown.roles import Role


def archive_by_id(archive_id: int) -> Archive:
    archive = Archive.objects.select_related("winddown").filter(pk=archive_id).first()
    if archive is None:
        raise CommandError(f"No archive {archive_id}.")
    return archive


def member_of(archive: Archive, email: str | None, default_role: str = Role.IT) -> Membership:
    """The member named by --as, or the wind-down's first member with `default_role`."""
    members = archive.winddown.memberships.select_related("user", "winddown")
    member = (
        members.filter(user__email=email.lower()).first()
        if email
        else members.filter(role=default_role).order_by("created_at").first()
    )
    if member is None:
        who = email or f"a member with the role {default_role}"
        raise CommandError(f"{who} is not a member of {archive.winddown.slug}.")
    return member
