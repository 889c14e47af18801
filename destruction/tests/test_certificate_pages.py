"""The certificate pages and the export command, as people use them."""

import pytest
from django.core.management import CommandError, call_command

from destruction.models import Certificate
from destruction.services.certificates import certificate_issue
from destruction.tests.factories_certificates import verified_job
from windown.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_ca")]


@pytest.fixture
def job(winddown, it, legal):
    return verified_job(winddown, it=it, legal=legal)


def test_the_director_issues_from_the_job_page_and_sees_the_certificate(job, director, client_for):
    client = client_for(director)
    assert "issue-certificate" in client.get(job.get_absolute_url()).content.decode()

    response = client.post(f"/w/acme/destruction/jobs/{job.pk}/certificate/")

    certificate = Certificate.objects.get(job=job)
    assert response.status_code == 302 and response.url == certificate.get_absolute_url()
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert certificate.serial in page and certificate.sha256 in page
    listing = client.get("/w/acme/destruction/certificates/?status=issued").content.decode()
    assert certificate.serial in listing
    assert (
        certificate.serial
        not in client.get("/w/acme/destruction/certificates/?status=revoked").content.decode()
    )


def test_a_revoked_certificate_shows_revoked_on_its_page_and_in_the_api(
    job, director, client_for, api_for
):
    certificate = certificate_issue(job=job, actor=director)
    client = client_for(director)

    client.post(
        f"/w/acme/destruction/certificates/{certificate.serial}/revoke/",
        {"reason": "Witness was named wrongly"},
    )

    page = client.get(certificate.get_absolute_url()).content.decode()
    assert 'id="revoked"' in page and "Witness was named wrongly" in page
    api = api_for(director).get(f"/api/v1/winddowns/acme/certificates/{certificate.serial}/")
    assert api.data["status"] == "revoked" and api.data["record"]["serial"] == certificate.serial


def test_a_page_in_chinese(job, director, client_for):
    certificate = certificate_issue(job=job, actor=director)
    client = client_for(director)
    page = client.get(certificate.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "下载已签名的 PDF" in page.content.decode()


def test_export_certificate_writes_the_pdf_as_issued_and_audits_it(job, director, tmp_path):
    certificate = certificate_issue(job=job, actor=director)
    out = tmp_path / "c.pdf"

    call_command("export_certificate", certificate.serial, "-o", str(out))

    assert out.read_bytes() == certificate.pdf.read()
    event = AuditEvent.objects.get(action="destruction.certificate_downloaded")
    assert event.payload["via"] == "command" and event.actor == director.user
    with pytest.raises(CommandError, match="No certificate"):
        call_command("export_certificate", "WD-1999-000001", "-o", str(out))
