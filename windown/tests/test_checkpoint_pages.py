"""Checkpoints on the audit pages and the API: who sees them, downloads (audited), proofs."""

import io
import zipfile

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from windown import merkle
from windown.checkpoints import checkpoint_sign
from windown.models import AuditEvent
from windown.roles import Role
from windown.tests.test_audit_chain import record
from windown.tests.test_checkpoints import rewrite_from

pytestmark = pytest.mark.usefixtures("signing_ca")

# Who may read and download checkpoints: a person decided this table, not the role matrix.
EXPECTED = {
    Role.DIRECTOR: 200,
    Role.LEGAL: 200,
    Role.AUDITOR: 200,
    Role.IT: 403,
    Role.SUPPORT: 403,
    Role.CUSTODIAN: 403,
}


@pytest.fixture
def signed(winddown):
    record(winddown, 3)
    first = checkpoint_sign(winddown=winddown)
    record(winddown, 2)
    return first, checkpoint_sign(winddown=winddown)


def person(winddown, member, role):
    return winddown.memberships.get(role=Role.DIRECTOR) if role == Role.DIRECTOR else member(role)


def downloads(winddown):
    return AuditEvent.objects.filter(winddown=winddown, action="audit.checkpoint_downloaded")


def page_urls(winddown, size):
    slug = {"slug": winddown.slug}
    return [
        reverse("windown:checkpoint-list", kwargs=slug),
        reverse("windown:checkpoint-download", kwargs={**slug, "tree_size": size}),
        reverse("windown:checkpoint-archive", kwargs=slug),
    ]


@pytest.mark.parametrize(("role", "status"), EXPECTED.items())
def test_each_role_sees_and_downloads_checkpoints_as_the_table_says(
    client, winddown, member, signed, role, status
):
    client.force_login(person(winddown, member, role).user)
    for url in page_urls(winddown, signed[0].tree_size):
        assert client.get(url).status_code == status, url
    api = APIClient()
    api.force_authenticate(person(winddown, member, role).user)
    base = f"/api/v1/winddowns/{winddown.slug}/audit-checkpoints/"
    for url in (base, f"{base}{signed[0].tree_size}/text/", f"{base}archive/"):
        assert api.get(url).status_code == status, url
    assert downloads(winddown).count() == (4 if status == 200 else 0)


def test_a_member_of_another_winddown_gets_not_found(client, other_winddown, winddown, signed):
    client.force_login(other_winddown.memberships.get(role=Role.DIRECTOR).user)
    for url in page_urls(winddown, signed[0].tree_size):
        assert client.get(url).status_code == 404, url


def test_the_page_lists_checkpoints_newest_first_with_their_downloads(client, director, signed):
    first, second = signed
    client.force_login(director.user)
    page = client.get(reverse("windown:checkpoint-list", kwargs={"slug": "acme"}))
    body = page.content.decode()
    assert page.status_code == 200
    dash = "\u2013"
    assert body.index(f"#1{dash}#{second.tree_size}") < body.index(f"#1{dash}#{first.tree_size}")
    assert f"/audit/checkpoints/{first.tree_size}.txt" in body
    assert "windown.localhost/acme" in body
    trail = client.get(reverse("windown:audit-trail", kwargs={"slug": "acme"}))
    assert reverse("windown:checkpoint-list", kwargs={"slug": "acme"}) in trail.content.decode()


def test_a_downloaded_checkpoint_is_its_signed_text_and_the_download_is_audited(
    client, director, winddown, signed
):
    first, _ = signed
    client.force_login(director.user)
    response = client.get(page_urls(winddown, first.tree_size)[1])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f'filename="acme-checkpoint-{first.tree_size}.txt"' in response["Content-Disposition"]
    assert response.content.decode() == first.signed_text
    event = downloads(winddown).get()
    assert event.actor_label == director.user.email
    assert event.payload == {"tree_sizes": [first.tree_size], "count": 1}


def test_all_checkpoints_download_as_one_zip(client, director, winddown, signed):
    client.force_login(director.user)
    response = client.get(page_urls(winddown, 1)[2])
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {name: archive.read(name).decode() for name in archive.namelist()} == {
        f"acme-checkpoint-{c.tree_size}.txt": c.signed_text for c in signed
    }
    assert downloads(winddown).get().payload["count"] == 2


# --- API ---------------------------------------------------------------------------------------
@pytest.fixture
def api(director):
    client = APIClient()
    client.force_authenticate(director.user)
    return client


def test_the_api_lists_checkpoints_with_their_signed_text(api, signed):
    response = api.get("/api/v1/winddowns/acme/audit-checkpoints/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["tree_size"] for r in rows] == [signed[1].tree_size, signed[0].tree_size]
    assert rows[1]["signed_text"] == signed[0].signed_text
    assert rows[1]["root_hash"] == signed[0].root_hash


def test_the_api_gives_an_inclusion_proof_that_verifies_against_the_checkpoint(api, signed):
    first, second = signed
    response = api.get("/api/v1/winddowns/acme/audit-events/2/inclusion-proof/")
    assert response.status_code == 200
    proof = response.json()
    assert (proof["tree_size"], proof["checkpoint"]) == (first.tree_size, first.signed_text)
    assert merkle.verify_inclusion(
        index=1,
        size=first.tree_size,
        leaf=bytes.fromhex(proof["leaf_hash"]),
        path=[bytes.fromhex(h) for h in proof["path"]],
        root_hash=bytes.fromhex(first.root_hash),
    )
    chosen = api.get(
        f"/api/v1/winddowns/acme/audit-events/2/inclusion-proof/?checkpoint={second.tree_size}"
    )
    assert chosen.json()["tree_size"] == second.tree_size


def test_the_api_says_when_no_checkpoint_covers_the_event_or_the_log_changed(api, winddown, signed):
    last = AuditEvent.objects.filter(winddown=winddown).order_by("-seq").first()
    url = f"/api/v1/winddowns/acme/audit-events/{last.seq}/inclusion-proof/"
    assert api.get(url).status_code == 404

    rewrite_from(winddown, 2, {"i": "forged"})
    conflict = api.get("/api/v1/winddowns/acme/audit-events/3/inclusion-proof/")
    assert conflict.status_code == 409
    assert "no longer match checkpoint" in conflict.json()["detail"]


def test_the_checkpoint_endpoints_are_in_the_openapi_schema(api):
    schema = api.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "/api/v1/winddowns/{winddown_slug}/audit-checkpoints/" in paths
    assert "/api/v1/winddowns/{winddown_slug}/audit-checkpoints/{tree_size}/text/" in paths
    assert "/api/v1/winddowns/{winddown_slug}/audit-checkpoints/archive/" in paths
    assert "/api/v1/winddowns/{winddown_slug}/audit-events/{seq}/inclusion-proof/" in paths


def test_the_page_speaks_chinese(client, director, signed):
    client.force_login(director.user)
    url = reverse("windown:checkpoint-list", kwargs={"slug": "acme"})
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已签名检查点" in body and "下载全部检查点" in body
