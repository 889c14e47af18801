"""Who may do what with processor requests: a table a person reviews, not the role matrix.

IT and the director instruct processors and keep the checklist; legal and the auditor read;
support and custodians see nothing of destruction. Every denied request leaves the database
as it was.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from destruction.models import ProcessorRequest, RevocationItem
from destruction.services.processor_answers import processor_request_answer
from destruction.services.processors import processor_request_create
from destruction.tests.factories_processors import processor_system, sent_request
from windown.models import AuditEvent
from windown.roles import Role
from windown.tests.access import one_of_each_role

ROLES = ["director", "legal", "it", "support", "custodian", "auditor"]


def expect(director, legal, it, support, custodian, auditor) -> dict[str, int]:
    return dict(zip(ROLES, (director, legal, it, support, custodian, auditor), strict=True))


READ = expect(200, 200, 200, 403, 403, 200)


@pytest.fixture
def world(winddown, member, director, clock):
    people = one_of_each_role(winddown, member)
    it = people["it"]
    draft = processor_request_create(by=it, system=processor_system(winddown, name="Draft SaaS"))
    processor_system(winddown, name="New SaaS")
    answered = sent_request(it, system=processor_system(winddown, name="Answered SaaS"))
    processor_request_answer(
        request=answered,
        answers={item.pk: {"answer": "deleted"} for item in answered.items.all()},
        attester_name="Ulla",
        attester_role="DPO",
        attester_email="ulla@mailer.example",
        attested=True,
        certificate=SimpleUploadedFile("c.pdf", b"%PDF-1.4 certificate"),
    )
    return {
        "people": people,
        "draft": draft,
        "answered": answered,
        "item": draft.system.revocation_items.get(kind="api_keys"),
        "new": winddown.data_systems.get(name="New SaaS"),
    }


def ui(w, name):
    base = "/w/acme/destruction"
    draft, answered, item = w["draft"], w["answered"], w["item"]
    return {
        "list": ("get", f"{base}/processor-requests/", {}),
        "create": (
            "post",
            f"{base}/processor-requests/",
            {"system": w["new"].pk, "language": "en"},
        ),
        "detail": ("get", f"{base}/processor-requests/{draft.pk}/", {}),
        "send": ("post", f"{base}/processor-requests/{draft.pk}/send/", {}),
        "cancel": ("post", f"{base}/processor-requests/{draft.pk}/cancel/", {"reason": "Moved"}),
        "update": (
            "post",
            f"{base}/processor-requests/{draft.pk}/update/",
            {
                "processor_name": "M",
                "processor_email": "m@m.example",
                "language": "en",
                "legal_basis": "DPA",
                "contact_name": "Dana",
            },
        ),
        "record": ("post", f"{base}/revocation/{item.pk}/", {"status": "revoked", "note": ""}),
        "certificate": ("get", f"{base}/processor-requests/{answered.pk}/certificate", {}),
    }[name]


UI = {
    "list": READ,
    "create": expect(302, 403, 302, 403, 403, 403),
    "detail": READ,
    "send": expect(302, 403, 302, 403, 403, 403),
    "cancel": expect(302, 403, 302, 403, 403, 403),
    "update": expect(302, 403, 302, 403, 403, 403),
    "record": expect(302, 403, 302, 403, 403, 403),
    "certificate": READ,
}


def api(w, name):
    base = "/api/v1/winddowns/acme/destruction"
    draft, item = w["draft"], w["item"]
    return {
        "list": ("get", f"{base}/processor-requests/", {}),
        "create": ("post", f"{base}/processor-requests/", {"system": w["new"].pk}),
        "detail": ("get", f"{base}/processor-requests/{draft.pk}/", {}),
        "change": ("patch", f"{base}/processor-requests/{draft.pk}/", {"contact_name": "Dana"}),
        "send": ("post", f"{base}/processor-requests/{draft.pk}/send/", {}),
        "cancel": ("post", f"{base}/processor-requests/{draft.pk}/cancel/", {"reason": "Moved"}),
        "checklist": ("get", f"{base}/revocation-items/", {}),
        "record": ("post", f"{base}/revocation-items/{item.pk}/record/", {"status": "revoked"}),
    }[name]


API = {
    "list": READ,
    "create": expect(201, 403, 201, 403, 403, 403),
    "detail": READ,
    "change": expect(200, 403, 200, 403, 403, 403),
    "send": expect(200, 403, 200, 403, 403, 403),
    "cancel": expect(200, 403, 200, 403, 403, 403),
    "checklist": READ,
    "record": expect(200, 403, 200, 403, 403, 403),
}


def state(winddown) -> tuple:
    return (
        sorted(ProcessorRequest.objects.values_list("pk", "status", "contact_name")),
        sorted(RevocationItem.objects.values_list("pk", "status")),
        AuditEvent.objects.filter(winddown=winddown).count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(UI))
def test_the_pages_give_each_role_what_the_table_says(world, winddown, client, name, role):
    method, url, data = ui(world, name)
    client.force_login(world["people"][role].user)
    before = state(winddown)

    response = getattr(client, method)(url, data)

    assert response.status_code == UI[name][role]
    if response.status_code == 403:
        assert state(winddown) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(API))
def test_the_api_gives_each_role_what_the_table_says(world, winddown, api_for, name, role):
    method, url, data = api(world, name)
    before = state(winddown)

    response = getattr(api_for(world["people"][role]), method)(url, data, format="json")

    assert response.status_code == API[name][role], response.content
    if response.status_code == 403:
        assert state(winddown) == before


@pytest.mark.parametrize("name", ["list", "detail", "send"])
def test_a_member_of_another_wind_down_finds_nothing(
    world, winddown, other_winddown, client, api_for, name
):
    outsider = other_winddown.memberships.get(role=Role.DIRECTOR)
    client.force_login(outsider.user)
    before = state(winddown)

    method, url, data = ui(world, name)
    assert getattr(client, method)(url, data).status_code == 404
    method, url, data = api(world, name)
    assert getattr(api_for(outsider), method)(url, data, format="json").status_code == 404
    assert state(winddown) == before


def test_the_api_schema_describes_the_processor_endpoints(client):
    schema = client.get("/api/schema/").content.decode()

    for path in (
        "/api/v1/winddowns/{winddown_slug}/destruction/processor-requests/",
        "/api/v1/winddowns/{winddown_slug}/destruction/processor-requests/{id}/send/",
        "/api/v1/winddowns/{winddown_slug}/destruction/processor-requests/{id}/cancel/",
        "/api/v1/winddowns/{winddown_slug}/destruction/revocation-items/{id}/record/",
    ):
        assert path in schema, path
