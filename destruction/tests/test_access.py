"""Who may do what on every destruction page and API endpoint: IT performs, director, legal and
auditor read, the auditor changes nothing, support and custodians see nothing. Expected outcomes
are the literal tables below (not derived from roles.MATRIX); the database is unchanged after
every denied request."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from destruction.models import (
    CustodyHandover,
    DestructionJob,
    Evidence,
    JobItem,
    Vendor,
    VendorCertification,
)
from destruction.services import evidence as evidence_service
from destruction.services import jobs as service
from destruction.tests import factories as f
from inventory.models import Holding
from windown.models import AuditEvent
from windown.tests.access import DENIED, Endpoint, access_table, call, one_of_each_role

pytestmark = pytest.mark.django_db


def _ids(m) -> dict:
    job = DestructionJob.objects.get(winddown=m.winddown, title="Delete")
    return {
        "job": job.pk,
        "vendor": Vendor.objects.get(winddown=m.winddown).pk,
        "evidence": job.evidence.get().pk,
        "holding2": Holding.objects.get(winddown=m.winddown, jurisdiction="FR").pk,
        "soon": (timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    }


def page(path):
    return lambda m: f"/w/{m.winddown.slug}/destruction/" + path.format(**_ids(m))


def api(path):
    return lambda m: f"/api/v1/winddowns/{m.winddown.slug}/destruction/" + path.format(**_ids(m))


def form(**data):
    return lambda m: {k: v.format(**_ids(m)) if isinstance(v, str) else v for k, v in data.items()}


def tool_log(m):
    return {"kind": "tool_log", "file": SimpleUploadedFile("log.txt", b"tool log\n")}


HANDOVER = form(
    from_party="IT", to_party="Vendor", handed_over_at="2026-11-30T10:00", place="Shenzhen"
)
CERTIFICATION = form(scheme="adisa", number="A-1", issuer="ADISA", expires_on="2027-01-01")
V, P, OV = "destruction.view", "destruction.perform", "destruction.vendor.override"
M = "destruction.vendor.manage"
UI_ENDPOINTS = [
    Endpoint("index", V, url=page("")),
    Endpoint("job detail", V, url=page("jobs/{job}/")),
    Endpoint("vendor detail", V, url=page("vendors/{vendor}/")),
    Endpoint("evidence download", V, url=page("jobs/{job}/evidence/{evidence}/")),
    Endpoint("job create form", P, url=page("jobs/new/")),
    Endpoint("job create", P, "post", url=page("jobs/new/"), data=form(title="New job")),
    Endpoint("job edit", P, "post", url=page("jobs/{job}/edit/"), data=form(title="Renamed")),
    Endpoint(
        "item add",
        P,
        "post",
        url=page("jobs/{job}/items/"),
        data=form(kind="holding", holding="{holding2}"),
    ),
    Endpoint("handover add", P, "post", url=page("jobs/{job}/handovers/"), data=HANDOVER),
    Endpoint(
        "schedule", P, "post", url=page("jobs/{job}/schedule/"), data=form(scheduled_for="{soon}")
    ),
    Endpoint("cancel", P, "post", url=page("jobs/{job}/cancel/"), data=form(reason="x")),
    Endpoint("perform form", P, url=page("jobs/{job}/perform/")),
    Endpoint("verify form", P, url=page("jobs/{job}/verify/")),
    Endpoint("evidence upload", P, "post", url=page("jobs/{job}/evidence/"), data=tool_log),
    Endpoint(
        "evidence remove",
        P,
        "post",
        url=page("jobs/{job}/evidence/{evidence}/remove/"),
        data=form(reason="wrong"),
    ),
    Endpoint("vendor create", M, "post", url=page("vendors/new/"), data=form(name="New vendor")),
    Endpoint(
        "certification add",
        M,
        "post",
        url=page("vendors/{vendor}/certifications/"),
        data=CERTIFICATION,
    ),
    Endpoint(
        "vendor override",
        OV,
        "post",
        url=page("jobs/{job}/vendor-override/"),
        data=form(vendor="{vendor}", reason="only one"),
    ),
]
UI_TABLE = access_table(
    """
                            director legal it support custodian auditor
    GET index                      x     x  x       .         .       x
    GET job detail                 x     x  x       .         .       x
    GET vendor detail              x     x  x       .         .       x
    GET evidence download          x     x  x       .         .       x
    GET job create form            .     .  x       .         .       .
    POST job create                .     .  x       .         .       .
    POST job edit                  .     .  x       .         .       .
    POST item add                  .     .  x       .         .       .
    POST handover add              .     .  x       .         .       .
    POST schedule                  .     .  x       .         .       .
    POST cancel                    .     .  x       .         .       .
    GET perform form               .     .  x       .         .       .
    GET verify form                .     .  x       .         .       .
    POST evidence upload           .     .  x       .         .       .
    POST evidence remove           .     .  x       .         .       .
    POST vendor create             .     .  x       .         .       .
    POST certification add         .     .  x       .         .       .
    POST vendor override           x     .  .       .         .       .
    """,
    UI_ENDPOINTS,
)
API_ENDPOINTS = [
    Endpoint("jobs", V, url=api("jobs/")),
    Endpoint("job", V, url=api("jobs/{job}/")),
    Endpoint("gates", V, url=api("jobs/{job}/gates/")),
    Endpoint("evidence list", V, url=api("jobs/{job}/evidence/")),
    Endpoint("vendors", V, url=api("vendors/")),
    Endpoint("job create", P, "post", url=api("jobs/"), data=form(title="API job")),
    Endpoint(
        "schedule", P, "post", url=api("jobs/{job}/schedule/"), data=form(scheduled_for="{soon}")
    ),
    Endpoint("cancel", P, "post", url=api("jobs/{job}/cancel/"), data=form(reason="x")),
    Endpoint("evidence upload", P, "post", url=api("jobs/{job}/evidence/"), data=tool_log),
]
API_TABLE = access_table(
    """
                            director legal it support custodian auditor
    GET jobs                       x     x  x       .         .       x
    GET job                        x     x  x       .         .       x
    GET gates                      x     x  x       .         .       x
    GET evidence list              x     x  x       .         .       x
    GET vendors                    x     x  x       .         .       x
    POST job create                .     .  x       .         .       .
    POST schedule                  .     .  x       .         .       .
    POST cancel                    .     .  x       .         .       .
    POST evidence upload           .     .  x       .         .       .
    """,
    API_ENDPOINTS,
)


@pytest.fixture
def people(winddown, member, legal):
    people = one_of_each_role(winddown, member)
    it = people["it"]
    holding, holding2 = f.holding(winddown), f.holding(winddown, jurisdiction="FR")
    f.decision(holding, legal)
    f.decision(holding2, legal)
    f.notified(winddown)
    f.vendor(winddown, it)
    job = service.job_create(by=it, title="Delete")
    service.job_item_add(by=it, job=job, kind="holding", holding=holding)
    evidence_service.evidence_add(
        by=it, job=job, upload=SimpleUploadedFile("log.txt", b"deleted 100 rows\n"), kind="tool_log"
    )
    return people


def _state():
    return (
        list(
            DestructionJob.objects.order_by("pk").values_list("pk", "status", "title", "vendor_id")
        ),
        JobItem.objects.count(),
        CustodyHandover.objects.count(),
        Evidence.objects.count(),
        Vendor.objects.count(),
        VendorCertification.objects.count(),
        AuditEvent.objects.exclude(action__endswith="_downloaded").count(),
    )


def _cases(endpoints):
    return [
        pytest.param(endpoint, role, id=f"{endpoint}-{role}")
        for endpoint in endpoints
        for role in ("director", "legal", "it", "support", "custodian", "auditor")
    ]


@pytest.mark.parametrize(("endpoint", "role"), _cases(UI_ENDPOINTS))
def test_the_ui_enforces_the_table(people, client_for, endpoint, role):
    membership = people[role]
    before = _state()
    response = call(client_for(membership), endpoint, membership)
    if role not in UI_TABLE[str(endpoint)]:
        assert response.status_code == DENIED, endpoint
        assert _state() == before
    else:
        assert response.status_code in (200, 302), endpoint
        if endpoint.method == "post":
            assert _state() != before, f"{endpoint}: nothing changed"


@pytest.mark.parametrize(("endpoint", "role"), _cases(API_ENDPOINTS))
def test_the_api_enforces_the_table(people, api_for, endpoint, role):
    membership = people[role]
    client = api_for(membership)
    before = _state()
    if endpoint.name == "evidence upload":  # a file: multipart, not JSON
        response = client.post(endpoint.url(membership), tool_log(membership), format="multipart")
    else:
        response = call(client, endpoint, membership, api=True)
    if role not in API_TABLE[str(endpoint)]:
        assert response.status_code == DENIED, endpoint
        assert _state() == before
    else:
        assert response.status_code in (200, 201), (str(endpoint), response.content[:300])
        if endpoint.method == "post":
            assert _state() != before


def test_a_member_of_another_winddown_gets_404(people, other_winddown, client_for, api_for):
    outsider = other_winddown.memberships.get(role="director")
    job = _ids(people["it"])["job"]
    slug = people["it"].winddown.slug
    assert client_for(outsider).get(f"/w/{slug}/destruction/jobs/{job}/").status_code == 404
    response = api_for(outsider).get(f"/api/v1/winddowns/{slug}/destruction/jobs/")
    assert response.status_code == 404
