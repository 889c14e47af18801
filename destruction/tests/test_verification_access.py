"""Who may download a certificate's verification bundle (page and API), and that the public
verification page needs no account. Expected outcomes are the literal table below; every
allowed download is audited, a denied one writes nothing."""

import pytest

from windown.models import AuditEvent
from windown.tests.access import DENIED, Endpoint, access_table, call, one_of_each_role

ENDPOINTS = [
    Endpoint(
        "bundle page",
        "destruction.certificate.download",
        url=lambda m: f"/w/{m.winddown.slug}/destruction/certificates/{serial(m)}/bundle/",
    ),
    Endpoint(
        "bundle api",
        "destruction.certificate.download",
        url=lambda m: f"/api/v1/winddowns/{m.winddown.slug}/certificates/{serial(m)}/bundle/",
    ),
]

TABLE = """
                director legal it support custodian auditor
GET bundle page    x      x    x     .       .        x
GET bundle api     x      x    x     .       .        x
"""
EXPECTED = access_table(TABLE, ENDPOINTS)


def serial(m):
    return m.winddown.certificates.get().serial


def downloads(winddown):
    return AuditEvent.objects.filter(
        winddown=winddown, action="destruction.certificate_bundle_downloaded"
    ).count()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_only_the_roles_in_the_table_get_the_bundle(
    endpoint, issued, winddown, member, client, api_for
):
    for role, membership in one_of_each_role(winddown, member).items():
        before = downloads(winddown)
        if endpoint.name.endswith("api"):
            response = call(api_for(membership), endpoint, membership, api=True)
        else:
            client.force_login(membership.user)
            response = call(client, endpoint, membership)
        allowed = role in EXPECTED[str(endpoint)]
        assert response.status_code == (200 if allowed else DENIED), (role, response.content)
        assert downloads(winddown) == before + (1 if allowed else 0)


def test_a_member_of_another_winddown_gets_404(issued, other_winddown, client):
    outsider = other_winddown.memberships.get()
    client.force_login(outsider.user)
    url = f"/w/{issued.winddown.slug}/destruction/certificates/{issued.serial}/bundle/"
    assert client.get(url).status_code == 404


def test_the_verification_page_needs_no_account(client, issued):
    assert client.get("/verify/").status_code == 200
    assert client.get(f"/verify/{issued.serial}/").status_code == 200
