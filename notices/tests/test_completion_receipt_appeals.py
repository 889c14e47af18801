"""Issue 14: after the completion receipt the personal page stays open with an "appeal" option
until the appeal window ends; an appeal inside it becomes a subject request with its legal due
date, after it is refused politely (the date it closed, nothing stored). The receipt's text is
edited like the notice; the dashboard counts receipts per jurisdiction."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from notices.dates import format_date
from notices.deadlines import due_date
from notices.models import Campaign, Delivery, ReceiptTemplate, Recipient, SubjectRequest
from notices.selectors import notices_summary
from notices.services.receipts import receipts_send
from notices.tokens import make_token
from windown.models import AuditEvent
from windown.roles import Role

pytestmark = pytest.mark.django_db

FACTS = {
    "certificates": [
        {"serial": "WD-2026-000007", "verify_url": "http://localhost:8000/verify/WD-2026-000007/"}
    ],
    "deleted": [
        {
            "key": "commerce.order",
            "label_en": "Orders",
            "label_zh": "订单",
            "destroyed_on": "2026-11-30",
        }
    ],
}


def notified(winddown, email: str, *, jurisdiction: str = "DE", language: str = "de"):
    recipient = Recipient.objects.create(
        winddown=winddown, email=email, jurisdiction=jurisdiction, language=language
    )
    notice, _ = Campaign.objects.get_or_create(
        winddown=winddown, name="Notice", defaults={"status": Campaign.Status.DONE}
    )
    Delivery.objects.create(
        campaign=notice,
        recipient=recipient,
        message_id=f"<n-{email}>",
        status=Delivery.Status.DELIVERED,
        sent_at=timezone.now(),
    )
    return recipient


@pytest.fixture
def receipted(winddown):
    """A German customer whose completion receipt was sent."""
    recipient = notified(winddown, "maria@example.com")
    campaign = receipts_send(winddown=winddown, jurisdiction="DE", **FACTS)
    campaign.deliveries.update(status=Delivery.Status.SENT, sent_at=timezone.now())
    return recipient


def page(recipient) -> str:
    kwargs = {"slug": recipient.winddown.slug, "token": make_token(recipient)}
    return reverse("notices:personal-page", kwargs=kwargs)


def test_an_appeal_inside_the_window_becomes_a_request_with_its_legal_due_date(client, receipted):
    url = page(receipted)
    until = Campaign.objects.get(kind=Campaign.Kind.RECEIPT).appeal_until
    body = client.get(url).content.decode()
    assert 'value="appeal"' in body and format_date(until, "de") in body

    response = client.post(url, {"type": "appeal", "message": "Meine Rechnung fehlt."})

    assert response.status_code == 302
    appeal = SubjectRequest.objects.get()
    assert appeal.type == SubjectRequest.Type.APPEAL and appeal.recipient == receipted
    assert appeal.due_date == due_date("DE", timezone.localdate())
    event = AuditEvent.objects.get(action="notices.request_received")
    assert event.payload["type"] == "appeal"


def test_after_the_window_an_appeal_is_refused_politely_and_nothing_is_stored(client, receipted):
    until = Campaign.objects.get(kind=Campaign.Kind.RECEIPT).appeal_until
    url = page(receipted)
    with time_machine.travel(until + dt.timedelta(days=1), tick=False):
        assert 'value="appeal"' not in client.get(url).content.decode()
        response = client.post(url, {"type": "appeal", "message": "Zu spät?"})

    assert response.status_code == 200
    body = response.content.decode()
    assert f"Die Einspruchsfrist ist am {format_date(until, 'de')} abgelaufen" in body
    assert not SubjectRequest.objects.exists()
    assert not AuditEvent.objects.filter(action="notices.request_received").exists()


def test_on_the_last_day_of_the_window_the_appeal_is_still_accepted(client, receipted):
    until = Campaign.objects.get(kind=Campaign.Kind.RECEIPT).appeal_until
    url = page(receipted)
    with time_machine.travel(dt.datetime.combine(until, dt.time(12), dt.UTC), tick=False):
        response = client.post(url, {"type": "appeal"})
    assert response.status_code == 302 and SubjectRequest.objects.get().type == "appeal"


def test_a_customer_without_a_receipt_cannot_appeal(client, winddown, receipted):
    other = notified(winddown, "fr@example.com", jurisdiction="FR", language="fr")
    response = client.post(page(other), {"type": "appeal"})
    assert response.status_code == 200
    assert 'value="appeal"' not in response.content.decode()
    assert not SubjectRequest.objects.exists()


def test_the_receipt_goes_to_notified_customers_of_its_jurisdiction_once(winddown):
    notified(winddown, "de1@example.com")
    notified(winddown, "fr1@example.com", jurisdiction="FR", language="fr")
    Recipient.objects.create(winddown=winddown, email="silent@example.com", jurisdiction="DE")

    first = receipts_send(winddown=winddown, jurisdiction="DE", **FACTS)
    again = receipts_send(winddown=winddown, jurisdiction="DE", **FACTS)

    assert again is None
    assert list(first.deliveries.values_list("recipient__email", flat=True)) == ["de1@example.com"]
    assert first.templates.count() == 6


def test_the_receipt_is_edited_like_the_notice_and_used_by_the_next_receipt(
    client_for, member, winddown
):
    notified(winddown, "de1@example.com")
    client = client_for(member(Role.DIRECTOR))
    url = reverse("notices:receipt-edit", kwargs={"slug": winddown.slug, "language": "de"})
    form = client.get(url)
    assert "Bestätigung der Löschung" in form.content.decode()
    data = {
        "subject": "{{ company_name }}: Löschbestätigung",
        "text_body": "Gelöscht: {{ deleted_facts }}. Zertifikate: {{ certificates }}",
        "html_body": "<p>{{ deleted_facts }}</p>",
    }

    assert client.post(url, {**data, "text_body": "{{ settings.SECRET_KEY }}"}).status_code == 200
    assert not ReceiptTemplate.objects.exists()
    assert client.post(url, data).status_code == 302

    assert ReceiptTemplate.objects.get(language="de").subject.endswith("Löschbestätigung")
    assert AuditEvent.objects.filter(action="notices.receipt_template_saved").count() == 1
    campaign = receipts_send(winddown=winddown, jurisdiction="DE", **FACTS)
    assert campaign.templates.get(language="de").text_body == data["text_body"]


def test_the_dashboard_counts_receipts_per_jurisdiction(winddown, receipted):
    summary = notices_summary(winddown)
    assert summary["receipts"] == [
        {
            "jurisdiction": "DE",
            "appeal_until": Campaign.objects.get(kind="receipt").appeal_until,
            "status": Campaign.Status.SENDING,
            "sent": 1,
            "failed": 0,
            "total": 1,
        }
    ]
    assert summary["campaigns"] == 1  # the notice; a receipt is not a notice campaign


def test_no_receipt_is_made_while_nobody_of_the_jurisdiction_was_notified(winddown):
    Recipient.objects.create(winddown=winddown, email="silent@example.com", jurisdiction="DE")
    assert receipts_send(winddown=winddown, jurisdiction="DE", **FACTS) is None
    notified(winddown, "late@example.com")
    assert receipts_send(winddown=winddown, jurisdiction="DE", **FACTS) is not None


def test_the_confirmation_of_an_appeal_links_a_page_that_works_past_the_window(
    client, receipted, mailoutbox
):
    from notices.services.acknowledgements import request_acknowledge
    from notices.services.requests import request_submit
    from notices.tokens import read_token

    appeal = request_submit(recipient=receipted, type="appeal", message="")
    request_acknowledge(appeal.pk)
    [email] = mailoutbox
    token = email.body.split("/p/")[1].split("/")[0]
    until = Campaign.objects.get(kind=Campaign.Kind.RECEIPT).appeal_until
    with time_machine.travel(until + dt.timedelta(days=1), tick=False):
        assert read_token(token) == receipted.pk


def test_a_receipt_campaign_is_named_in_the_readers_language(client_for, director, receipted):
    receipt = Campaign.objects.get(kind=Campaign.Kind.RECEIPT)
    client = client_for(director)
    for language, name in (("zh-hans", "删除完成回执 · DE"), ("en", "Completion receipt · DE")):
        client.cookies["django_language"] = language
        for url in (reverse("notices:index", kwargs={"slug": "acme"}), receipt.get_absolute_url()):
            assert name in client.get(url).content.decode()
