"""What every management command that acts for a person shares: choosing the member it acts as.

Commands run as installation administrators, outside any session: `--as EMAIL` names the member
(any letter case), and without it the command acts as the wind-down's first director (or the
first member of the role a command names, e.g. IT for the archive commands).
Permissions are then checked by the service called, exactly as for that member in the browser.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from windown.models import Membership, WindDown
from windown.roles import Role


def add_acting_member_argument(parser, default_role: str = Role.DIRECTOR) -> None:
    """Add `--as EMAIL` to a command's arguments."""
    parser.add_argument(
        "--as",
        dest="email",
        metavar="EMAIL",
        help=f"act as this member of the wind-down (default: its first {default_role} member)",
    )


def acting_member(slug: str, email: str | None, default_role: str = Role.DIRECTOR) -> Membership:
    """Return the member a command acts as, or raise a CommandError that says why there is none."""
    winddown = WindDown.objects.filter(slug=slug).first()
    if winddown is None:
        raise CommandError(f"No wind-down {slug!r}.")
    members = winddown.memberships.select_related("user", "winddown")
    if email:
        member = members.filter(user__email__iexact=email.strip()).first()
        if member is None:
            raise CommandError(f"{email} is not a member of {slug}.")
        return member
    member = members.filter(role=default_role).order_by("created_at", "pk").first()
    if member is None:
        raise CommandError(f"{slug} has no {default_role} member: name a member with --as EMAIL.")
    return member


def refusal(error: ValidationError | PermissionDenied) -> CommandError:
    """Turn a service's refusal into the CommandError a command raises (exit status 1)."""
    return CommandError(" ".join(getattr(error, "messages", None) or [str(error)]))
