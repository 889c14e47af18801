"""Every compliance API endpoint gives each role exactly what the access table says."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import Decision, LegalHold
from compliance.tests import access_data
from compliance.tests.access_data import decision, hold, matter, rule
from compliance.tests.test_access_ui import MATTERS_CSV, group
from windown.models import AuditEvent
from windown.roles import Role
from windown.tests.access import DENIED, Endpoint, access_table, call, one_of_each_role


def api(path):
    return lambda m: f"/api/v1/winddowns/{m.winddown.slug}/{path}"


def obj_api(path, obj, suffix=""):
    return lambda m: f"/api/v1/winddowns/{m.winddown.slug}/{path}/{obj(m).pk}/{suffix}"


API_ENDPOINTS = [
    Endpoint("rulesets", "compliance.view", url=api("rulesets/")),
    Endpoint("rules", "compliance.view", url=api("rules/")),
    Endpoint("rule", "compliance.view", url=obj_api("rules", rule)),
    Endpoint(
        "rule",
        "compliance.ruleset.change",
        "patch",
        url=obj_api("rules", rule),
        data=lambda m: {"period_months": 240},
    ),
    Endpoint("decisions", "compliance.view", url=api("decisions/?status=proposed&conflict=no")),
    Endpoint("decision", "compliance.view", url=obj_api("decisions", decision), department="Sales"),
    Endpoint(
        "approve",
        "compliance.decide",
        "post",
        url=obj_api("decisions", decision, "approve/"),
        data=lambda m: {"fingerprint": decision(m).fingerprint},
    ),
    Endpoint(
        "override",
        "compliance.decide",
        "post",
        url=obj_api("decisions", decision, "override/"),
        data=lambda m: {"disposition": "delete", "delete_by": "2027-03-31", "reason": "x"},
    ),
    Endpoint(
        "reject",
        "compliance.decide",
        "post",
        url=obj_api("decisions", decision, "reject/"),
        data=lambda m: {"reason": "x"},
    ),
    Endpoint(
        "approve group",
        "compliance.decide",
        "post",
        url=api("decisions/approve-group/"),
        data=group,
    ),
    Endpoint("legal holds", "compliance.view", url=api("legal-holds/")),
    Endpoint("legal hold", "compliance.view", url=obj_api("legal-holds", hold)),
    Endpoint(
        "legal holds",
        "compliance.hold.manage",
        "post",
        url=api("legal-holds/"),
        data=lambda m: {"reference": "LH-2", "reason": "audit", "jurisdictions": ["DE"]},
    ),
    Endpoint(
        "release",
        "compliance.hold.manage",
        "post",
        url=obj_api("legal-holds", hold, "release/"),
        data=lambda m: {"reason": "settled"},
    ),
    Endpoint("open matters", "compliance.view", url=api("open-matters/?state=open")),
    Endpoint("open matter", "compliance.view", url=obj_api("open-matters", matter)),
    Endpoint(
        "open matters",
        "compliance.matter.manage",
        "post",
        url=api("open-matters/"),
        data=lambda m: {
            "reference": "D-1",
            "matter_type": "dispute",
            "customer_reference": "C-2",
            "opened_on": "2026-11-02",
            "jurisdiction": "CN",
        },
    ),
    Endpoint(
        "resolve",
        "compliance.matter.manage",
        "post",
        url=obj_api("open-matters", matter, "resolve/"),
        data=lambda m: {"resolved_on": "2026-11-20"},
    ),
]

# Who may use each endpoint: x allowed, . refused (403). Reviewed by a person; not derived
# from the role matrix. The custodian belongs to Sales.
EXPECTED = access_table(
    """
                        director  legal  it  support  custodian  auditor
    GET rulesets           x        x    x      x         x         x
    GET rules              x        x    x      x         x         x
    GET rule               x        x    x      x         x         x
    PATCH rule             .        x    .      .         .         .
    GET decisions          x        x    x      x         x         x
    GET decision           x        x    x      x         x         x
    POST approve           .        x    .      .         .         .
    POST override          .        x    .      .         .         .
    POST reject            .        x    .      .         .         .
    POST approve group     .        x    .      .         .         .
    GET legal holds        x        x    x      x         x         x
    GET legal hold         x        x    x      x         x         x
    POST legal holds       .        x    .      .         .         .
    POST release           .        x    .      .         .         .
    GET open matters       x        x    x      x         x         x
    GET open matter        x        x    x      x         x         x
    POST open matters      .        x    .      x         .         .
    POST resolve           .        x    .      x         .         .
    """,
    API_ENDPOINTS,
)


@pytest.fixture
def team(winddown, member):
    people = one_of_each_role(winddown, member)
    access_data.build(winddown, people[Role.LEGAL])
    return people


@pytest.mark.parametrize("endpoint", API_ENDPOINTS, ids=str)
@pytest.mark.parametrize("role", Role.values)
def test_each_role_gets_what_the_table_says(api_for, team, role, endpoint):
    membership = team[role]
    response = call(api_for(membership), endpoint, membership, api=True)
    if role in EXPECTED[str(endpoint)]:
        assert response.status_code in (200, 201), response.content[:500]
    else:
        assert response.status_code == DENIED


@pytest.mark.parametrize("endpoint", API_ENDPOINTS, ids=str)
def test_a_member_of_another_winddown_gets_404(api_for, team, other_winddown, endpoint):
    outsider = other_winddown.memberships.get(role=Role.DIRECTOR)
    response = call(api_for(outsider), endpoint, team[Role.DIRECTOR], api=True)
    assert response.status_code == 404


@pytest.mark.parametrize("role", Role.values)
def test_importing_matters_is_for_legal_and_support(api_for, team, role):
    response = api_for(team[role]).post(
        "/api/v1/winddowns/acme/open-matters/import/",
        {"file": SimpleUploadedFile("m.csv", MATTERS_CSV.encode())},
        format="multipart",
    )
    if role in {Role.LEGAL, Role.SUPPORT}:
        assert response.status_code == 201 and response.json()["created"] == 1
    else:
        assert response.status_code == DENIED


def test_four_eyes_through_the_api(api_for, team, member):
    first, second = team[Role.LEGAL], member(Role.LEGAL)
    target = decision(first)
    path = f"/api/v1/winddowns/acme/decisions/{target.pk}/"
    body = {"disposition": "delete", "delete_by": "2027-03-31", "reason": "HK entity invoiced"}
    assert api_for(first).post(path + "override/", body, format="json").status_code == 200
    refused = api_for(first).post(path + "second-approve/", {}, format="json")
    assert refused.status_code == 400
    accepted = api_for(second).post(path + "second-approve/", {}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "overridden"
    assert Decision.objects.get(pk=target.pk).second_approver == second.user


def test_placing_a_hold_through_the_api_holds_the_covered_decisions(api_for, team):
    response = api_for(team[Role.LEGAL]).post(
        "/api/v1/winddowns/acme/legal-holds/",
        {"reference": "LH-CN", "reason": "CN court order", "jurisdictions": ["CN"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert LegalHold.objects.filter(reference="LH-CN").exists()
    assert Decision.objects.under_active_hold().count() == Decision.objects.count() > 0
    listed = api_for(team[Role.LEGAL]).get("/api/v1/winddowns/acme/decisions/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {(r["effective_disposition"], tuple(r["held_by"])) for r in rows} == {
        ("hold", ("LH-CN",))
    }
    assert AuditEvent.objects.filter(action="compliance.hold_placed").count() == 2
