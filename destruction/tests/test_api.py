"""The destruction API end to end: a vendor, a job with items, custody, evidence, perform,
verify, certify — the same services as the pages, with the database checked after each step."""

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from destruction.models import DestructionJob, Evidence, Vendor
from destruction.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("signing_ca")  # certifying issues the signed certificate
def test_it_runs_a_physical_destruction_through_the_api(winddown, member, api_for, legal):
    it, director = member("it"), winddown.memberships.get(role="director")
    laptop = f.system(
        winddown, kind="laptop", name="Sales laptop", make="Lenovo", serial_number="PF3K"
    )
    f.decision(f.holding(winddown, on=laptop), legal)
    f.notified(winddown)
    api = api_for(it)
    base = f"/api/v1/winddowns/{winddown.slug}/destruction"

    vendor = api.post(f"{base}/vendors/", {"name": "ShredSafe", "country": "DE"}, format="json")
    assert vendor.status_code == 201, vendor.content
    pdf = b"%PDF-1.4\n certificate"
    cert = api.post(
        f"{base}/vendors/{vendor.data['id']}/certifications/",
        {
            "scheme": "iso_27001",
            "number": "DE-1",
            "issuer": "TUV",
            "expires_on": "2027-12-31",
            "copy": SimpleUploadedFile("iso.pdf", pdf),
        },
        format="multipart",
    )
    assert cert.status_code == 201, cert.content
    assert cert.data["certifications"][0]["copy_sha256"] == hashlib.sha256(pdf).hexdigest()

    job = api.post(f"{base}/jobs/", {"title": "Shred", "vendor": vendor.data["id"]}, format="json")
    assert job.status_code == 201 and job.data["reference"].startswith("DJ-")
    url = f"{base}/jobs/{job.data['id']}"
    item = api.post(
        f"{url}/items/", {"kind": "media", "system": laptop.pk, "media_type": "ssd"}, format="json"
    )
    assert item.status_code == 201, item.content
    assert item.data["items"][0]["manufacturer"] == "Lenovo"
    gates = api.get(f"{url}/gates/")
    assert gates.status_code == 200 and all(g["passed"] for g in gates.data)
    when = timezone.now() - dt.timedelta(hours=3)
    assert (
        api.post(f"{url}/schedule/", {"scheduled_for": when.isoformat()}, format="json").status_code
        == 200
    )
    for hop in (("IT", "Courier"), ("Courier", "Plant")):
        response = api.post(
            f"{url}/handovers/",
            {
                "from_party": hop[0],
                "to_party": hop[1],
                "handed_over_at": when.isoformat(),
                "place": "Shenzhen",
                "seal_ids": "S-1",
            },
            format="json",
        )
        assert response.status_code == 201
    evidence = api.post(
        f"{url}/evidence/",
        {"kind": "photo", "file": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n1")},
        format="multipart",
    )
    assert evidence.status_code == 201 and evidence.data["content_type"] == "image/png"
    perform = api.post(
        f"{url}/perform/",
        {
            "sanitization_level": "destroy",
            "technique": "shred",
            "particle_size": "2 mm",
            "started_at": (when + dt.timedelta(hours=1)).isoformat(),
            "finished_at": (when + dt.timedelta(hours=2)).isoformat(),
            "performer_name": "Chen Hao",
            "outcomes": [{"item": item.data["items"][0]["id"], "outcome": "destroyed"}],
        },
        format="json",
    )
    assert perform.status_code == 200, perform.content
    assert perform.data["status"] == "performed" and perform.data["gates_at_performance"]
    refused = api.post(
        f"{url}/verify/",
        {"validator_name": "chen hao", "verification_method": "full", "verification_result": "ok"},
        format="json",
    )
    assert refused.status_code == 400
    verify = api.post(
        f"{url}/verify/",
        {
            "validator_name": "Li Wei",
            "verification_method": "sampling",
            "verification_sample_percent": "25",
            "verification_result": "ok",
        },
        format="json",
    )
    assert verify.status_code == 200 and verify.data["status"] == "verified"
    assert api.post(f"{url}/cancel/", {"reason": "x"}, format="json").status_code == 400
    certify = api_for(director).post(f"{url}/certify/", format="json")
    assert certify.status_code == 200 and certify.data["status"] == "certified"

    job_row = DestructionJob.objects.get(pk=job.data["id"])
    assert job_row.status == "certified" and job_row.handovers.count() == 2
    assert job_row.certificates.get().status == "issued"
    assert Evidence.objects.filter(job=job_row).count() == 1
    laptop.refresh_from_db()
    assert laptop.status == "destroyed"
    assert Vendor.objects.get().certifications.count() == 1


def test_the_director_overrides_an_expired_vendor_through_the_api(winddown, member, api_for):
    it, director = member("it"), winddown.memberships.get(role="director")
    expired = f.vendor(winddown, it, expires_on=dt.date(2025, 1, 1))
    base = f"/api/v1/winddowns/{winddown.slug}/destruction"
    refused = api_for(it).post(f"{base}/jobs/", {"title": "X", "vendor": expired.pk}, format="json")
    assert refused.status_code == 400 and not DestructionJob.objects.exists()
    job = api_for(it).post(f"{base}/jobs/", {"title": "X"}, format="json")
    url = f"{base}/jobs/{job.data['id']}/vendor-override/"
    assert (
        api_for(it).post(url, {"vendor": expired.pk, "reason": "r"}, format="json").status_code
        == 403
    )
    response = api_for(director).post(
        url, {"vendor": expired.pk, "reason": "Only shredder"}, format="json"
    )
    assert response.status_code == 200
    row = DestructionJob.objects.get()
    assert row.vendor == expired and row.vendor_override_reason == "Only shredder"
    assert row.vendor_override_by == director.user
