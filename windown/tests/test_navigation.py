"""The navigation shows each role only the phases it may open, and every link it shows opens."""

import re

import pytest
from django.urls import reverse

from windown.roles import Role

PHASES = {"inventory": "1 · ", "compliance": "2 · ", "notices": "3 · ", "destruction": "4 · "}
# written out, not read from the role matrix: a wrong grant must show up here
SHOWN = {
    Role.DIRECTOR: {"inventory", "compliance", "notices", "destruction"},
    Role.LEGAL: {"inventory", "compliance", "notices", "destruction"},
    Role.IT: {"inventory", "compliance", "destruction"},
    Role.SUPPORT: {"inventory", "compliance", "notices"},
    Role.CUSTODIAN: {"inventory", "compliance"},
    Role.AUDITOR: {"inventory", "compliance", "notices", "destruction"},
}


@pytest.mark.parametrize("role", list(SHOWN))
def test_the_navigation_shows_only_what_the_role_may_open(client_for, member, role):
    membership = member(role)
    client = client_for(membership)
    page = client.get(reverse("dashboard:home", kwargs={"slug": membership.winddown.slug}))
    nav = page.content.decode().split('<nav class="phases"')[1].split("</nav>")[0]
    shown = {phase for phase, number in PHASES.items() if number in nav}
    assert shown == SHOWN[role]
    for href in re.findall(r'href="([^"]+)"', nav):
        assert client.get(href).status_code == 200, href
