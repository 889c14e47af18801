"""What the archive commands share: find the archive, and the member acting (the shared
`windown.commands.acting_member`, defaulting to the wind-down's first IT member)."""

from __future__ import annotations

from django.core.management.base import CommandError

from destruction.models import Archive
from windown.commands import acting_member
from windown.models import Membership
from windown.roles import Role


def archive_by_id(archive_id: int) -> Archive:
    archive = Archive.objects.select_related("winddown").filter(pk=archive_id).first()
    if archive is None:
        raise CommandError(f"No archive {archive_id}.")
    return archive


def member_of(archive: Archive, email: str | None) -> Membership:
    """The member named by --as, or the wind-down's first IT member."""
    return acting_member(archive.winddown.slug, email, default_role=Role.IT)
