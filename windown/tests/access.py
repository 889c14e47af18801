"""The shared scaffolding of every app's access tests (UI and API).

Each test module lists its endpoints as `Endpoint`s and, next to them, a literal table of who
may use each one, written and reviewed by a person; `access_table` reads it and refuses a
table that misses an endpoint or names one that is not listed. The tests request each
endpoint as every role and expect success where the table says `x`, 403 where it says `.`,
and 404 for a member of another wind-down. The table is deliberately not derived from
`windown.roles.MATRIX`: a wrong matrix must fail these tests, not feed them.

The custodian of every table belongs to the Sales department.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from windown.models import Membership
from windown.roles import Role

DENIED = 403
ROLES = [Role.DIRECTOR, Role.LEGAL, Role.IT, Role.SUPPORT, Role.CUSTODIAN, Role.AUDITOR]
HEADER = ["director", "legal", "it", "support", "custodian", "auditor"]


@dataclass(frozen=True)
class Endpoint:
    name: str
    # the permission the view is meant to check: a label for the reader, not the expectation
    perm: str
    method: str = "get"
    # builds the URL for a wind-down (and the acting membership, for object URLs)
    url: Callable[[Membership], str] = field(compare=False, default=lambda m: "")
    data: Callable[[Membership], dict] = field(compare=False, default=lambda m: {})
    # the department of the object acted on, for department-scoped permissions
    department: str | None = None

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


def access_table(table: str, endpoints: Iterable[Endpoint]) -> dict[str, frozenset[str]]:
    """Read a table of `<METHOD> <name>  x . x x . x` rows (columns in HEADER's order).

    Raise if a row is malformed, a role column is missing, or the rows and `endpoints` differ.
    """
    lines = [line.split() for line in table.strip().splitlines() if line.strip()]
    if lines[0] != HEADER:
        raise ValueError(f"the table's header must be {' '.join(HEADER)}")
    expected: dict[str, frozenset[str]] = {}
    for words in lines[1:]:
        name, marks = " ".join(words[: -len(HEADER)]), words[-len(HEADER) :]
        if set(marks) - {"x", "."} or name in expected:
            raise ValueError(f"malformed or repeated row: {' '.join(words)}")
        allowed = (role for role, mark in zip(ROLES, marks, strict=True) if mark == "x")
        expected[name] = frozenset(allowed)
    listed = {str(endpoint) for endpoint in endpoints}
    if listed != set(expected):
        raise ValueError(
            f"rows without an endpoint: {sorted(set(expected) - listed)}; "
            f"endpoints without a row: {sorted(listed - set(expected))}"
        )
    return expected


def one_of_each_role(winddown, member) -> dict[str, Membership]:
    """Return a member per role: the wind-down's director and one new member of each other."""
    people = {role: member(role) for role in ROLES if role != Role.DIRECTOR}
    people[Role.DIRECTOR] = winddown.memberships.get(role=Role.DIRECTOR)
    return people


def call(client, endpoint: Endpoint, membership: Membership, *, api: bool = False):
    url = endpoint.url(membership)
    data = endpoint.data(membership)
    method = getattr(client, endpoint.method)
    if endpoint.method == "get":
        return method(url)
    return method(url, data, format="json") if api else method(url, data)
