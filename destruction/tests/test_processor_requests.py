"""IT drafts a request from the data map, sends it, cancels it, and keeps the revocation list."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from destruction.models import ProcessorEmail, ProcessorRequest, RevocationItem
from destruction.services.processor_answers import processor_request_answer
from destruction.services.processors import processor_request_cancel, processor_request_create
from destruction.tests.factories_processors import processor_system, sent_request
from inventory.tests.factories import DataSystemFactory, HoldingFactory
from windown.models import AuditEvent

BASE = "/w/acme/destruction"


def test_it_drafts_a_request_scoped_by_the_systems_holdings(it, client_for, clock):
    system = processor_system(it.winddown)

    response = client_for(it).post(
        f"{BASE}/processor-requests/", {"system": system.pk, "language": "de"}
    )

    assert response.status_code == 302
    request = ProcessorRequest.objects.get(system=system)
    assert response["Location"] == f"{BASE}/processor-requests/{request.pk}/"
    assert request.status == "draft" and request.language == "de"
    assert (request.processor_name, request.processor_email) == (
        "Mailer GmbH",
        "privacy@mailer.example",
    )
    scope = {
        item.category.key: (item.jurisdictions, item.records_total)
        for item in request.items.select_related("category")
    }
    assert scope == {"user.contact.email": (["DE", "FR"], 500), "user.name": (["CN", "US-CA"], 200)}
    assert "GDPR art. 28(3)(g)" in request.legal_basis
    assert "PIPL art. 21" in request.legal_basis
    assert "§1798.105(c)" in request.legal_basis
    assert "UK GDPR" not in request.legal_basis
    assert sorted(system.revocation_items.values_list("kind", flat=True)) == sorted(
        RevocationItem.Kind.values
    )
    event = AuditEvent.objects.get(action="destruction.processor_request_created")
    assert event.payload["categories"] == {
        "user.contact.email": ["DE", "FR"],
        "user.name": ["CN", "US-CA"],
    }


def test_it_refuses_a_system_with_no_processor_contact_or_no_holdings(it, client_for):
    own = DataSystemFactory(winddown=it.winddown, name="Own database")
    HoldingFactory(system=own)
    empty = processor_system(it.winddown, name="Empty")
    empty.holdings.all().delete()
    client = client_for(it)

    first = client.post(f"{BASE}/processor-requests/", {"system": own.pk, "language": "en"})
    second = client.post(f"{BASE}/processor-requests/", {"system": empty.pk, "language": "en"})

    assert first.status_code == 400 and "Name the processor" in first.content.decode()
    assert second.status_code == 400 and "no holdings" in second.content.decode()
    assert not ProcessorRequest.objects.exists()


def test_it_allows_one_pending_request_per_system_and_a_new_one_after_cancelling(it):
    system = processor_system(it.winddown)
    first = processor_request_create(by=it, system=system)

    with pytest.raises(ValidationError, match="already has a pending request"):
        processor_request_create(by=it, system=system)
    processor_request_cancel(by=it, request=first, reason="Wrong contact")
    second = processor_request_create(by=it, system=system, processor_email="dpo@mailer.example")

    assert second.processor_email == "dpo@mailer.example"
    assert ProcessorRequest.objects.filter(system=system).count() == 2


def test_it_sends_with_the_default_deadline_and_refuses_to_send_twice(it, client_for, clock):
    request = processor_request_create(by=it, system=processor_system(it.winddown))
    client = client_for(it)
    url = f"{BASE}/processor-requests/{request.pk}/send/"

    assert client.post(url).status_code == 302
    client.post(url)

    request.refresh_from_db()
    assert request.status == "sent"
    assert request.deadline == dt.date(2026, 12, 15)
    assert request.sent_at == clock.now
    assert ProcessorEmail.objects.filter(request=request).count() == 1
    assert AuditEvent.objects.filter(action="destruction.processor_request_sent").count() == 1


def test_it_refuses_a_deadline_that_is_not_in_the_future(it, clock):
    request = processor_request_create(
        by=it, system=processor_system(it.winddown), deadline=dt.date(2026, 12, 1)
    )

    with pytest.raises(ValidationError, match="after today"):
        from destruction.services.processors import processor_request_send

        processor_request_send(by=it, request=request)
    request.refresh_from_db()
    assert request.status == "draft"


def test_cancelling_needs_a_reason_and_is_audited(it, client_for, clock):
    request = sent_request(it)
    client = client_for(it)
    url = f"{BASE}/processor-requests/{request.pk}/cancel/"

    client.post(url, {"reason": " "})
    request.refresh_from_db()
    assert request.status == "sent"

    client.post(url, {"reason": "Processor merged into the successor"})
    request.refresh_from_db()
    assert request.status == "cancelled"
    assert request.cancel_reason == "Processor merged into the successor"
    assert AuditEvent.objects.filter(action="destruction.processor_request_cancelled").count() == 1


def test_only_a_draft_can_be_changed_through_the_api(it, api_for, clock):
    draft = processor_request_create(by=it, system=processor_system(it.winddown))
    sent = sent_request(it, system=processor_system(it.winddown, name="Other"))
    api = api_for(it)
    base = "/api/v1/winddowns/acme/destruction/processor-requests"

    ok = api.patch(f"{base}/{draft.pk}/", {"contact_name": "Dana", "language": "zh-hans"})
    refused = api.patch(f"{base}/{sent.pk}/", {"contact_name": "Eve"}, format="json")

    assert ok.status_code == 200 and ok.json()["contact_name"] == "Dana"
    assert refused.status_code == 400
    sent.refresh_from_db()
    assert sent.contact_name == ""
    event = AuditEvent.objects.get(action="destruction.processor_request_updated")
    assert event.payload["changes"]["language"] == ["en", "zh-hans"]


def test_it_records_each_revocation_with_who_and_when(it, client_for, clock):
    request = processor_request_create(by=it, system=processor_system(it.winddown))
    keys = request.system.revocation_items.get(kind="api_keys")
    sso = request.system.revocation_items.get(kind="sso")
    client = client_for(it)

    client.post(f"{BASE}/revocation/{keys.pk}/", {"status": "revoked", "note": "2 keys"})
    client.post(f"{BASE}/revocation/{sso.pk}/", {"status": "not_applicable", "note": ""})

    keys.refresh_from_db()
    sso.refresh_from_db()
    assert (keys.status, keys.done_by, keys.done_by_label, keys.done_at) == (
        "revoked",
        it,
        it.user.email,
        clock.now,
    )
    assert sso.status == "open" and sso.done_at is None  # not applicable needs a reason
    event = AuditEvent.objects.get(action="destruction.revocation_recorded")
    assert event.payload == {
        "system": "Mailer SaaS",
        "kind": "api_keys",
        "status": ["open", "revoked"],
        "note": "2 keys",
    }


def test_the_detail_page_shows_answers_emails_and_checklist_to_an_auditor(
    it, member, client_for, clock
):
    request = sent_request(it)
    processor_request_answer(
        request=request,
        answers={
            item.pk: {"answer": "refused", "refusal_reason": "Contract dispute"}
            for item in request.items.all()
        },
        attester_name="Ulla Berg",
        attester_role="DPO",
        attester_email="ulla@mailer.example",
        attested=True,
        certificate=SimpleUploadedFile("cert.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64),
    )
    auditor = member("auditor")

    html = client_for(auditor).get(f"{BASE}/processor-requests/{request.pk}/").content.decode()
    download = client_for(auditor).get(f"{BASE}/processor-requests/{request.pk}/certificate")

    assert "Refused: Contract dispute" in html and "Ulla Berg" in html
    assert "API keys" in html and "Send the instruction" not in html
    assert "destruction/revocation/" not in html  # no checklist form for a reader
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    assert download["Content-Type"] == "image/png"
    event = AuditEvent.objects.get(action="destruction.processor_certificate_downloaded")
    assert event.actor == auditor.user


def test_it_changes_a_draft_from_its_page_and_audits_the_difference(it, client_for, clock):
    request = processor_request_create(by=it, system=processor_system(it.winddown))
    url = f"{BASE}/processor-requests/{request.pk}/update/"
    data = {
        "processor_name": "Mailer GmbH",
        "processor_email": "dpo@mailer.example",
        "contact_name": "Dana",
        "language": "de",
        "deadline": "2026-12-24",
        "legal_basis": request.legal_basis,
        "message": "",
    }

    assert client_for(it).post(url, data).status_code == 302

    request.refresh_from_db()
    assert (request.processor_email, request.language, request.deadline) == (
        "dpo@mailer.example",
        "de",
        dt.date(2026, 12, 24),
    )
    event = AuditEvent.objects.get(action="destruction.processor_request_updated")
    assert event.payload["changes"]["processor_email"] == [
        "privacy@mailer.example",
        "dpo@mailer.example",
    ]


def test_the_list_page_costs_the_same_queries_for_one_request_or_many(
    it, director, client_for, clock
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(director)
    url = f"{BASE}/processor-requests/"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    sent_request(it, system=processor_system(it.winddown, name="S0"))
    client.get(url)  # warm the session and caches
    small = count()
    for n in range(1, 6):
        sent_request(it, system=processor_system(it.winddown, name=f"S{n}"))
    ProcessorRequest.objects.update(status="overdue")

    assert count() == small


def test_the_api_drafts_a_request_for_chosen_categories_with_their_legal_basis(it, api_for):
    system = processor_system(it.winddown)
    api = api_for(it)

    response = api.post(
        "/api/v1/winddowns/acme/destruction/processor-requests/",
        {"system": system.pk, "categories": ["user.name"], "language": "zh-hans"},
        format="json",
    )
    unknown = api.post(
        "/api/v1/winddowns/acme/destruction/processor-requests/",
        {"system": system.pk, "categories": ["user.password"]},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert [(i["category"], i["jurisdictions"]) for i in body["items"]] == [
        ("user.name", ["CN", "US-CA"])
    ]
    assert "PIPL art. 21" in body["legal_basis"] and "GDPR" not in body["legal_basis"]
    assert body["status"] == "draft" and body["language"] == "zh-hans"
    assert unknown.status_code == 400 and "user.password" in unknown.content.decode()
    assert ProcessorRequest.objects.count() == 1


def test_a_patch_naming_the_status_or_the_system_is_refused_and_changes_nothing(it, api_for, clock):
    draft = processor_request_create(by=it, system=processor_system(it.winddown))
    other = processor_system(it.winddown, name="Other")
    api = api_for(it)
    url = f"/api/v1/winddowns/acme/destruction/processor-requests/{draft.pk}/"

    status = api.patch(url, {"status": "answered"}, format="json")
    system = api.patch(url, {"system": other.pk, "contact_name": "Dana"}, format="json")

    assert status.status_code == 400 and "status" in status.json()
    assert system.status_code == 400 and "system" in system.json()
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.system_id != other.pk and draft.contact_name == ""
