from django import template

from windown import roles

register = template.Library()


@register.filter
def can(membership, perm: str) -> bool:
    """Say in a template whether the member holds `perm` ({% if membership|can:"team.manage" %})."""
    return roles.holds(membership, perm)
