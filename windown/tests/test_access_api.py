"""Every core API endpoint gives each role exactly what the access table says."""

import pytest

from windown.models import Membership
from windown.roles import Role
from windown.tests.access import DENIED, Endpoint, access_table, call, one_of_each_role


def api(path):
    return lambda m: f"/api/v1/winddowns/{m.winddown.slug}/{path}"


def legal_member_url(m):
    target = Membership.objects.filter(winddown=m.winddown, role=Role.LEGAL).first()
    return f"/api/v1/winddowns/{m.winddown.slug}/memberships/{target.pk}/"


API_ENDPOINTS = [
    Endpoint("winddown", "winddown.view", url=api("")),
    Endpoint(
        "winddown", "winddown.change", "patch", url=api(""), data=lambda m: {"support_phone": "+1"}
    ),
    Endpoint(
        "winddown status",
        "winddown.change",
        "post",
        url=api("status/"),
        data=lambda m: {"status": "active"},
    ),
    Endpoint("memberships", "team.view", url=api("memberships/")),
    Endpoint(
        "memberships",
        "team.manage",
        "post",
        url=api("memberships/"),
        data=lambda m: {"email": "x@example.com", "role": "auditor"},
    ),
    Endpoint(
        "membership", "team.manage", "patch", url=legal_member_url, data=lambda m: {"role": "it"}
    ),
    Endpoint("membership", "team.manage", "delete", url=legal_member_url),
    Endpoint("audit-events", "audit.view", url=api("audit-events/")),
    Endpoint("audit verify", "audit.view", url=api("audit-events/verify/")),
]

# Who may use each endpoint: x allowed, . refused (403). Reviewed by a person; not derived
# from the role matrix. The custodian belongs to Sales.
EXPECTED = access_table(
    """
                           director  legal  it  support  custodian  auditor
    GET winddown              x        x    x      x         x         x
    PATCH winddown            x        .    .      .         .         .
    POST winddown status      x        .    .      .         .         .
    GET memberships           x        x    x      x         x         x
    POST memberships          x        .    .      .         .         .
    PATCH membership          x        .    .      .         .         .
    DELETE membership         x        .    .      .         .         .
    GET audit-events          x        x    .      .         .         x
    GET audit verify          x        x    .      .         .         x
    """,
    API_ENDPOINTS,
)


@pytest.fixture
def team(winddown, member):
    people = one_of_each_role(winddown, member)
    member(Role.LEGAL)
    return people


@pytest.mark.parametrize("endpoint", API_ENDPOINTS, ids=str)
@pytest.mark.parametrize("role", Role.values)
def test_each_role_gets_what_the_table_says(api_for, team, role, endpoint):
    membership = team[role]
    response = call(api_for(membership), endpoint, membership, api=True)
    if role in EXPECTED[str(endpoint)]:
        assert response.status_code in (200, 201, 204), response.content[:500]
    else:
        assert response.status_code == DENIED


@pytest.mark.parametrize("endpoint", API_ENDPOINTS, ids=str)
def test_a_member_of_another_winddown_gets_404(api_for, team, director, other_winddown, endpoint):
    outsider = other_winddown.memberships.get(role=Role.DIRECTOR)
    response = call(api_for(outsider), endpoint, director, api=True)
    assert response.status_code == 404


def test_the_list_holds_only_the_callers_winddowns(api_for, director, other_winddown):
    body = api_for(director).get("/api/v1/winddowns/").json()
    assert [w["slug"] for w in body["results"]] == ["acme"]
    assert body["results"][0]["my_role"] == "director"


def test_creating_a_winddown_makes_the_caller_its_director(api_for, director):
    payload = {
        "slug": "beta",
        "company_legal_name": "Beta GmbH",
        "registration_country": "DE",
        "company_form": "GmbH",
        "tax_registrations": ["DE_VAT"],
        "deletion_deadline": "2027-06-30",
    }
    response = api_for(director).post("/api/v1/winddowns/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert Membership.objects.get(winddown__slug="beta", user=director.user).role == Role.DIRECTOR


def test_an_unknown_tax_registration_is_refused_with_the_field_named(api_for, director):
    response = api_for(director).patch(
        "/api/v1/winddowns/acme/", {"tax_registrations": ["XX_VAT"]}, format="json"
    )
    assert response.status_code == 400
    assert "tax_registrations" in response.json()


def test_unauthenticated_calls_are_refused(client, winddown):
    assert client.get("/api/v1/winddowns/acme/memberships/").status_code in (401, 403)


def test_the_openapi_schema_and_docs_are_served_without_a_cdn(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/winddowns/{winddown_slug}/memberships/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn." not in docs.content and b"unpkg" not in docs.content


def test_a_person_gets_an_api_token_with_their_email_and_password(client, director):
    from windown.tests.factories import PASSWORD

    response = client.post(
        "/api/v1/auth/token/", {"username": director.user.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api = client.get("/api/v1/winddowns/", HTTP_AUTHORIZATION=f"Token {token}")
    assert api.json()["results"][0]["slug"] == "acme"


def test_a_wrong_password_gets_no_token(client, director):
    response = client.post(
        "/api/v1/auth/token/", {"username": director.user.email, "password": "x"}
    )
    assert response.status_code == 400
