"""Helpers to check that views and API endpoints enforce exactly what the role matrix says.

Each app lists its endpoints as `Endpoint`s; the tests request each one as every role and
expect success where `roles.MATRIX` grants the permission and 403 where it does not, and 404
for a member of another wind-down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from windown import roles
from windown.models import Membership
from windown.roles import Role

DENIED = 403


@dataclass(frozen=True)
class Endpoint:
    name: str
    perm: str
    method: str = "get"
    # builds the URL for a wind-down (and the acting membership, for object URLs)
    url: Callable[[Membership], str] = field(compare=False, default=lambda m: "")
    data: Callable[[Membership], dict] = field(compare=False, default=lambda m: {})
    # the department of the object acted on, for department-scoped permissions
    department: str | None = None

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


def allowed(role: str, endpoint: Endpoint, department: str = "Sales") -> bool:
    member = Membership(role=role, department=department if role == Role.CUSTODIAN else "")
    if endpoint.department is None:
        return roles.holds(member, endpoint.perm)
    return roles.can(member, endpoint.perm, department=endpoint.department)


def call(client, endpoint: Endpoint, membership: Membership, *, api: bool = False):
    url = endpoint.url(membership)
    data = endpoint.data(membership)
    method = getattr(client, endpoint.method)
    if endpoint.method == "get":
        return method(url)
    return method(url, data, format="json") if api else method(url, data)
