"""Support hands a customer the compiled copy of their data: encrypted at rest, offered on the
personal page until it expires, every download audited, only to that customer."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from notices.models import RequestExport
from notices.services.exports import request_export_attach
from notices.services.requests import request_submit
from notices.tests.factories import RecipientFactory
from notices.tokens import make_token
from windown.models import AuditEvent
from windown.roles import Role

pytestmark = pytest.mark.django_db

CONTENT = b"order_id,amount\nA-1001,19.99\nA-1002,5.00\n" + "王小明".encode() * 100


@pytest.fixture
def support(member):
    return member(Role.SUPPORT)


@pytest.fixture
def export_request(winddown):
    customer = RecipientFactory(winddown=winddown, language="de", jurisdiction="DE")
    return request_submit(recipient=customer, type="export", message="Bitte meine Daten.")


def _page_url(recipient):
    return reverse(
        "notices:personal-page",
        kwargs={"slug": recipient.winddown.slug, "token": make_token(recipient)},
    )


def test_the_copy_is_encrypted_at_rest_and_its_hash_recorded(support, export_request, settings):
    export = request_export_attach(
        by=support, request=export_request, filename="export.csv", content=CONTENT
    )
    stored = export.file.read()
    assert b"A-1001" not in stored and "王小明".encode() not in stored
    assert len(stored) > len(CONTENT)
    import hashlib

    assert export.sha256 == hashlib.sha256(CONTENT).hexdigest()
    event = AuditEvent.objects.get(action="notices.request_export_attached")
    assert event.payload["sha256"] == export.sha256


def test_the_customer_downloads_it_from_their_page_and_each_download_is_audited(
    client, support, export_request
):
    request_export_attach(
        by=support, request=export_request, filename="export.csv", content=CONTENT
    )
    page = client.get(_page_url(export_request.recipient)).content.decode()
    assert "Meine Daten herunterladen" in page and "verfügbar bis" in page
    url = _page_url(export_request.recipient) + f"requests/{export_request.pk}/copy/"
    for _download in (1, 2):
        response = client.get(url)
        assert response.status_code == 200 and response.content == CONTENT
        assert "no-store" in response["Cache-Control"]
        assert 'filename="export.csv"' in response["Content-Disposition"]
    events = AuditEvent.objects.filter(action="notices.request_export_downloaded")
    assert [e.payload["download"] for e in events.order_by("seq")] == [1, 2]
    assert events.first().actor_label == f"customer:{export_request.recipient_id}"


def test_an_expired_copy_is_gone_politely(client, support, export_request):
    request_export_attach(
        by=support, request=export_request, filename="export.csv", content=CONTENT
    )
    RequestExport.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    url = _page_url(export_request.recipient) + f"requests/{export_request.pk}/copy/"
    response = client.get(url)
    assert response.status_code == 410
    assert "Diese Kopie ist nicht mehr verfügbar" in response.content.decode()
    assert (
        "Meine Daten herunterladen"
        not in client.get(_page_url(export_request.recipient)).content.decode()
    )


def test_another_customers_link_cannot_fetch_it(client, winddown, support, export_request):
    request_export_attach(
        by=support, request=export_request, filename="export.csv", content=CONTENT
    )
    other = RecipientFactory(winddown=winddown)
    url = _page_url(other) + f"requests/{export_request.pk}/copy/"
    response = client.get(url)
    assert response.status_code == 404 and CONTENT not in response.content


def test_only_support_attaches_and_only_to_a_copy_request(winddown, member, support):
    customer = RecipientFactory(winddown=winddown)
    question = request_submit(recipient=customer, type="question", message="?")
    copy = request_submit(recipient=customer, type="export")
    with pytest.raises(PermissionDenied):
        request_export_attach(by=member(Role.DIRECTOR), request=copy, filename="x", content=b"x")
    with pytest.raises(ValidationError):
        request_export_attach(by=support, request=question, filename="x", content=b"x")


def test_a_file_over_the_limit_is_refused_in_mib(support, export_request, settings):
    settings.NOTICES_EXPORT_MAX_MIB = 1
    with pytest.raises(ValidationError) as refused:
        request_export_attach(
            by=support, request=export_request, filename="big.zip", content=b"0" * (1024 * 1024 + 1)
        )
    assert "1 MiB" in str(refused.value)


def test_support_hands_it_over_from_the_request_page(client_for, support, export_request):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(support)
    url = reverse(
        "notices:request-copy",
        kwargs={"slug": export_request.winddown.slug, "pk": export_request.pk},
    )
    response = client.post(url, {"file": SimpleUploadedFile("daten.csv", CONTENT)}, follow=True)
    assert "stored encrypted" in response.content.decode()
    assert RequestExport.objects.get().filename == "daten.csv"
