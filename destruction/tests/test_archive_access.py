"""Who may do what with archives, page by page and endpoint by endpoint.

The expectations are written out per role (director, legal, IT, support, custodian, auditor),
not derived from the role matrix, so a change to the matrix shows up here as a reviewed diff.
IT archives, exports and records verifications; the director and IT register custodian keys;
director, legal and auditor read; support and department custodians see nothing. Every denied
request leaves the database exactly as it was.
"""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyrage import x25519

from destruction.models import Archive, ArchiveKeyEnvelope, CustodianKey
from destruction.tests.factories_archives import (
    archive_decision,
    custodian,
    expected_plaintext,
    invoices_csv,
    make_archive,
)
from windown.models import AuditEvent
from windown.roles import Role
from windown.tests.access import one_of_each_role

pytestmark = pytest.mark.django_db
ROLES = ["director", "legal", "it", "support", "custodian", "auditor"]


def row(*codes):
    return dict(zip(ROLES, codes, strict=True))


READ = row(200, 200, 200, 403, 403, 200)
IT_ONLY_REDIRECT = row(403, 403, 302, 403, 403, 403)
KEYS_REDIRECT = row(302, 403, 302, 403, 403, 403)


@pytest.fixture
def world(winddown, member):
    people = one_of_each_role(winddown, member)
    decision = archive_decision(winddown, people["legal"])
    custodian(people["director"])
    archive = make_archive(people["it"], decision, count=5)
    return {"people": people, "decision": decision, "archive": archive}


def snapshot():
    return (
        list(Archive.objects.order_by("pk").values_list("pk", "status", "verified_at", "exports")),
        list(CustodianKey.objects.order_by("pk").values_list("pk", "retired_at")),
        ArchiveKeyEnvelope.objects.count(),
        AuditEvent.objects.count(),
    )


def upload(world):
    return {
        "decision": world["decision"].pk,
        "file": SimpleUploadedFile("inv.csv", invoices_csv(4), content_type="text/csv"),
    }


def good_sha(world):
    return {
        "custodian_name": "Wang",
        "plaintext_sha256": hashlib.sha256(expected_plaintext(5, world["decision"])).hexdigest(),
    }


def new_key(world):
    return {"custodian_name": "Li", "recipient": str(x25519.Identity.generate().to_public())}


def page(suffix=""):
    return lambda w: f"/w/{w['archive'].winddown.slug}/destruction/archives/{suffix}"


def archive_page(suffix=""):
    return lambda w: (
        f"/w/{w['archive'].winddown.slug}/destruction/archives/{w['archive'].pk}/{suffix}"
    )


def key_retire(w):
    key = CustodianKey.objects.get(winddown=w["archive"].winddown)
    return f"/w/{w['archive'].winddown.slug}/destruction/archives/keys/{key.pk}/retire/"


UI = [
    ("list", "get", page(), None, READ),
    ("detail", "get", archive_page(), None, READ),
    ("manifest", "get", archive_page("manifest.json"), None, READ),
    ("upload", "post", page("upload/"), upload, IT_ONLY_REDIRECT),
    ("verify", "post", archive_page("verify/"), good_sha, IT_ONLY_REDIRECT),
    ("register key", "post", page("keys/"), new_key, KEYS_REDIRECT),
    ("retire key", "post", key_retire, lambda w: {"reason": "left"}, KEYS_REDIRECT),
]


def api(suffix=""):
    return lambda w: f"/api/v1/winddowns/{w['archive'].winddown.slug}/destruction/{suffix}"


def api_archive(suffix=""):
    return lambda w: (
        f"/api/v1/winddowns/{w['archive'].winddown.slug}/destruction/archives/"
        f"{w['archive'].pk}/{suffix}"
    )


def api_key_retire(w):
    key = CustodianKey.objects.get(winddown=w["archive"].winddown)
    return api(f"custodian-keys/{key.pk}/retire/")(w)


API = [
    ("archives", "get", api("archives/"), None, READ),
    ("archive", "get", api_archive(), None, READ),
    ("due", "get", api("archives/due/"), None, READ),
    ("upload", "post", api("archives/"), upload, row(403, 403, 201, 403, 403, 403)),
    ("verify", "post", api_archive("verify/"), good_sha, row(403, 403, 200, 403, 403, 403)),
    ("keys", "get", api("custodian-keys/"), None, READ),
    ("register key", "post", api("custodian-keys/"), new_key, row(201, 403, 201, 403, 403, 403)),
    (
        "retire key",
        "post",
        api_key_retire,
        lambda w: {"reason": "left"},
        row(200, 403, 200, 403, 403, 403),
    ),
]


def check(response, expected, before):
    assert response.status_code == expected, response.content[:400]
    if expected in (403, 404):
        assert snapshot() == before
    elif expected in (201, 302) or response.request["REQUEST_METHOD"] == "POST":
        assert snapshot() != before


@pytest.mark.parametrize("name,method,url,data,expected", UI, ids=[e[0] for e in UI])
@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_each_role_as_written(client, world, role, name, method, url, data, expected):
    client.force_login(world["people"][role].user)
    before = snapshot()
    call = getattr(client, method)
    response = call(url(world), data(world)) if data else call(url(world))
    check(response, expected[role], before)


@pytest.mark.parametrize("name,method,url,data,expected", API, ids=[e[0] for e in API])
@pytest.mark.parametrize("role", ROLES)
def test_api_answers_each_role_as_written(api_for, world, role, name, method, url, data, expected):
    client = api_for(world["people"][role])
    before = snapshot()
    if data:
        response = getattr(client, method)(url(world), data(world), format="multipart")
    else:
        response = getattr(client, method)(url(world))
    check(response, expected[role], before)


@pytest.mark.parametrize("name,method,url,data,expected", UI + API, ids=[e[0] for e in UI + API])
def test_a_member_of_another_winddown_gets_404(
    client, world, other_winddown, name, method, url, data, expected
):
    outsider = other_winddown.memberships.get(role=Role.DIRECTOR)
    client.force_login(outsider.user)
    before = snapshot()
    call = getattr(client, method)
    response = call(url(world), data(world)) if data else call(url(world))
    assert response.status_code == 404
    assert snapshot() == before


def test_the_archive_page_shows_the_standard_commands_and_the_manifest(client, world):
    client.force_login(world["people"]["auditor"].user)
    archive = world["archive"]
    body = client.get(archive_page()(world)).content.decode()
    assert "age -d -i custodian.key envelope.age &gt; archive.key" in body
    assert "age -d -i archive.key archive.age" in body
    assert f"python manage.py export_archive {archive.pk}" in body
    assert archive.plaintext_sha256 in body
    assert ", ".join(archive.columns_dropped) in body
    assert "Record the custodian" not in body  # the auditor cannot verify


def test_a_refused_upload_on_the_page_names_the_row_and_stores_nothing(client, world):
    client.force_login(world["people"]["it"].user)
    before = snapshot()
    bad = invoices_csv(3) + b"INV-9,2024-01-01\r\n"
    response = client.post(
        page("upload/")(world),
        {"decision": world["decision"].pk, "file": SimpleUploadedFile("x.csv", bad)},
    )
    assert response.status_code == 400
    assert "Row 5 ends before column net_amount" in response.content.decode()
    assert snapshot() == before


def test_a_wrong_sha256_through_the_api_is_refused_and_changes_nothing(api_for, world):
    before = snapshot()
    response = api_for(world["people"]["it"]).post(
        api_archive("verify/")(world),
        {"custodian_name": "Wang", "plaintext_sha256": "0" * 64},
        format="json",
    )
    assert response.status_code == 400
    assert "does not match the manifest" in str(response.json())
    assert snapshot() == before
