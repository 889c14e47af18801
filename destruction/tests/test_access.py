"""Who may do what on every destruction page and API endpoint: IT performs, director, legal and
auditor read, the auditor changes nothing, support and custodians see nothing. Expected outcomes
are written out here (not derived from roles.MATRIX); the database is unchanged after every
denied request."""

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
from windown.models import AuditEvent

pytestmark = pytest.mark.django_db
ROLES = ["director", "legal", "it", "support", "custodian", "auditor"]
OK, DENIED = "ok", 403

# role → outcome, per endpoint. "ok" means 200, 201 or a redirect after success.
READ = {
    "director": OK,
    "legal": OK,
    "it": OK,
    "support": DENIED,
    "custodian": DENIED,
    "auditor": OK,
}
IT_ONLY = {
    "director": DENIED,
    "legal": DENIED,
    "it": OK,
    "support": DENIED,
    "custodian": DENIED,
    "auditor": DENIED,
}
DIRECTOR_ONLY = {
    "director": OK,
    "legal": DENIED,
    "it": DENIED,
    "support": DENIED,
    "custodian": DENIED,
    "auditor": DENIED,
}
ISSUE = {
    "director": OK,
    "legal": DENIED,
    "it": OK,
    "support": DENIED,
    "custodian": DENIED,
    "auditor": DENIED,
}

UI = [
    ("index", "get", "", None, READ),
    ("job detail", "get", "jobs/{job}/", None, READ),
    ("vendor detail", "get", "vendors/{vendor}/", None, READ),
    ("evidence download", "get", "jobs/{job}/evidence/{evidence}/", None, READ),
    ("job create form", "get", "jobs/new/", None, IT_ONLY),
    ("job create", "post", "jobs/new/", {"title": "New job"}, IT_ONLY),
    ("job edit", "post", "jobs/{job}/edit/", {"title": "Renamed"}, IT_ONLY),
    (
        "item add",
        "post",
        "jobs/{job}/items/",
        {"kind": "holding", "holding": "{holding2}"},
        IT_ONLY,
    ),
    (
        "handover add",
        "post",
        "jobs/{job}/handovers/",
        {
            "from_party": "IT",
            "to_party": "Vendor",
            "handed_over_at": "2026-11-30T10:00",
            "place": "Shenzhen",
        },
        IT_ONLY,
    ),
    ("schedule", "post", "jobs/{job}/schedule/", {"scheduled_for": "{soon}"}, IT_ONLY),
    ("cancel", "post", "jobs/{job}/cancel/", {"reason": "x"}, IT_ONLY),
    ("perform form", "get", "jobs/{job}/perform/", None, IT_ONLY),
    ("verify form", "get", "jobs/{job}/verify/", None, IT_ONLY),
    (
        "evidence upload",
        "post",
        "jobs/{job}/evidence/",
        {"kind": "tool_log", "file": "FILE"},
        IT_ONLY,
    ),
    (
        "evidence remove",
        "post",
        "jobs/{job}/evidence/{evidence}/remove/",
        {"reason": "wrong"},
        IT_ONLY,
    ),
    ("vendor create", "post", "vendors/new/", {"name": "New vendor"}, IT_ONLY),
    (
        "certification add",
        "post",
        "vendors/{vendor}/certifications/",
        {"scheme": "adisa", "number": "A-1", "issuer": "ADISA", "expires_on": "2027-01-01"},
        IT_ONLY,
    ),
    (
        "vendor override",
        "post",
        "jobs/{job}/vendor-override/",
        {"vendor": "{vendor}", "reason": "only one"},
        DIRECTOR_ONLY,
    ),
]
API = [
    ("jobs", "get", "jobs/", None, READ),
    ("job", "get", "jobs/{job}/", None, READ),
    ("gates", "get", "jobs/{job}/gates/", None, READ),
    ("evidence list", "get", "jobs/{job}/evidence/", None, READ),
    ("vendors", "get", "vendors/", None, READ),
    ("job create", "post", "jobs/", {"title": "API job"}, IT_ONLY),
    ("schedule", "post", "jobs/{job}/schedule/", {"scheduled_for": "{soon}"}, IT_ONLY),
    ("cancel", "post", "jobs/{job}/cancel/", {"reason": "x"}, IT_ONLY),
    (
        "evidence upload",
        "post",
        "jobs/{job}/evidence/",
        {"kind": "tool_log", "file": "FILE"},
        IT_ONLY,
    ),
]


@pytest.fixture
def world(winddown, member, legal):
    it = member("it")
    holding, holding2 = f.holding(winddown), f.holding(winddown, jurisdiction="FR")
    f.decision(holding, legal)
    f.decision(holding2, legal)
    f.notified(winddown)
    vendor = f.vendor(winddown, it)
    job = service.job_create(by=it, title="Delete")
    service.job_item_add(by=it, job=job, kind="holding", holding=holding)
    evidence = evidence_service.evidence_add(
        by=it, job=job, upload=SimpleUploadedFile("log.txt", b"deleted 100 rows\n"), kind="tool_log"
    )
    return {
        "job": job.pk,
        "vendor": vendor.pk,
        "evidence": evidence.pk,
        "holding2": holding2.pk,
        "soon": (timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    }


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


def _fill(value, world):
    return value.format(**world) if isinstance(value, str) else value


def _case(table):
    return [pytest.param(row, role, id=f"{row[0]}-{role}") for row in table for role in ROLES]


@pytest.mark.parametrize(("row", "role"), _case(UI))
def test_the_ui_enforces_the_table(world, member, client_for, winddown, row, role):
    name, method, path, data, expected = row
    membership = member(role)
    url = f"/w/{winddown.slug}/destruction/{_fill(path, world)}"
    payload = {k: _fill(v, world) for k, v in (data or {}).items()}
    if payload.get("file") == "FILE":
        payload["file"] = SimpleUploadedFile("log.txt", b"tool log\n")
    before = _state()
    client = client_for(membership)
    response = client.get(url) if method == "get" else client.post(url, payload)
    if expected[role] == DENIED:
        assert response.status_code == 403, name
        assert _state() == before
    else:
        assert response.status_code in (200, 302), name
        if method == "post":
            assert _state() != before, f"{name}: nothing changed"


@pytest.mark.parametrize(("row", "role"), _case(API))
def test_the_api_enforces_the_table(world, member, api_for, winddown, row, role):
    name, method, path, data, expected = row
    api = api_for(member(role))
    url = f"/api/v1/winddowns/{winddown.slug}/destruction/{_fill(path, world)}"
    payload = {k: _fill(v, world) for k, v in (data or {}).items()}
    before = _state()
    if payload.get("file") == "FILE":
        payload["file"] = SimpleUploadedFile("log.txt", b"tool log\n")
        response = api.post(url, payload, format="multipart")
    else:
        response = api.get(url) if method == "get" else api.post(url, payload, format="json")
    if expected[role] == DENIED:
        assert response.status_code == 403, name
        assert _state() == before
    else:
        assert response.status_code in (200, 201), (name, response.content[:300])
        if method == "post":
            assert _state() != before


def test_a_member_of_another_winddown_gets_404(
    world, other_winddown, client_for, api_for, winddown
):
    outsider = other_winddown.memberships.get(role="director")
    assert (
        client_for(outsider).get(f"/w/{winddown.slug}/destruction/jobs/{world['job']}/").status_code
        == 404
    )
    response = api_for(outsider).get(f"/api/v1/winddowns/{winddown.slug}/destruction/jobs/")
    assert response.status_code == 404
