"""Issue 14's completion receipt: once a jurisdiction's destruction is certified, its notified
customers (and only they) get one receipt each, through the notices' sending path, in their
language, with what was deleted when, what is kept, the certificate serials and their public
verification links, and until when they may appeal."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from destruction.selectors.receipts import certified_jurisdictions
from destruction.services.certificates import certificate_issue, certificate_revoke
from destruction.services.receipts import verify_url
from destruction.tasks import receipts_send
from destruction.tests import factories as f
from destruction.tests.factories_certificates import verified_job
from notices.dates import format_date
from notices.models import Campaign, Delivery, Language, Recipient
from notices.tests.helpers import drain
from windown.models import AuditEvent, WebhookEvent
from windown.webhooks.services import endpoint_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_ca")]


@pytest.fixture
def customers(winddown, legal):
    """DE: three customers, two of them notified (Chinese, German) and one never notified;
    FR: one notified customer, but nothing of FR is destroyed yet."""
    f.notified(winddown, jurisdiction="DE", count=2)
    f.notified(winddown, jurisdiction="FR", count=1)
    Recipient.objects.filter(email="c0-de@example.com").update(language="zh-hans", name="王小明")
    Recipient.objects.filter(email="c1-de@example.com").update(language="de", name="Jürgen")
    Recipient.objects.create(winddown=winddown, email="never@example.com", jurisdiction="DE")
    fr_holding = f.holding(winddown, jurisdiction="FR")
    f.decision(fr_holding, legal)
    return winddown


@pytest.fixture
def certificate(customers, it, legal, director):
    job = verified_job(customers, it=it, legal=legal)
    return certificate_issue(job=job, actor=director)


def test_only_the_certified_jurisdiction_counts(certificate, winddown):
    [entry] = certified_jurisdictions(winddown)
    assert entry.jurisdiction == "DE" and entry.serials == [certificate.serial]
    assert entry.deleted[0]["key"] == "commerce.order"


def test_the_receipt_goes_once_to_each_notified_customer_only(
    certificate, winddown, director, smtp_sink
):
    endpoint_create(by=director, url="https://partner.example/hooks", events=["receipts.sent"])
    call_command("send_receipts", winddown.slug)
    call_command("send_receipts", winddown.slug)  # re-running the step sends nothing twice

    campaign = Campaign.objects.get(kind=Campaign.Kind.RECEIPT)
    assert campaign.receipt_jurisdiction == "DE"
    addressed = set(campaign.deliveries.values_list("recipient__email", flat=True))
    assert addressed == {"c0-de@example.com", "c1-de@example.com"}
    drain(campaign)
    call_command("send_receipts", winddown.slug)
    assert Campaign.objects.filter(kind=Campaign.Kind.RECEIPT).count() == 1
    assert sorted(smtp_sink.recipients()) == ["c0-de@example.com", "c1-de@example.com"]
    assert set(smtp_sink.recipients().values()) == {1}
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    started = AuditEvent.objects.get(action="notices.receipts_started")
    assert started.payload["certificates"] == [certificate.serial]
    assert AuditEvent.objects.filter(action="notices.receipts_sent").count() == 1
    event = WebhookEvent.objects.get(type="receipts.sent")  # through the existing event service
    assert event.body["data"]["jurisdiction"] == "DE"
    assert event.body["data"]["counts"]["sent"] == 2


def _body(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_each_receipt_states_the_facts_in_the_customers_language(certificate, winddown, smtp_sink):
    call_command("send_receipts", winddown.slug)
    campaign = Campaign.objects.get(kind=Campaign.Kind.RECEIPT)
    drain(campaign)
    by_to = {m["To"]: m for m in smtp_sink.messages}
    destroyed = timezone.localdate(certificate.job.finished_at)
    verify = verify_url(certificate.serial)
    assert verify.endswith(f"/verify/{certificate.serial}/")
    appeal_until = timezone.localdate() + dt.timedelta(days=30)
    assert campaign.appeal_until == appeal_until

    chinese = by_to["c0-de@example.com"]
    text = _body(chinese)
    assert "删除回执" in chinese["Subject"]
    assert f"订单: 删除于 {format_date(destroyed, 'zh-hans')}" in text
    assert certificate.serial in text and verify in text
    assert format_date(appeal_until, "zh-hans") in text
    assert "/p/" in text  # the personal page, where the appeal is made

    german = by_to["c1-de@example.com"]
    text = _body(german)
    assert "Bestätigung der Löschung" in german["Subject"]
    assert f"Bestellungen: gelöscht am {format_date(destroyed, 'de')}" in text
    assert certificate.serial in text and verify in text
    assert f"bis zum {format_date(appeal_until, 'de')}" in text
    html = german.get_body(("html",)).get_content()
    assert verify in html


def test_a_revoked_certificate_does_not_certify(certificate, winddown, director):
    certificate_revoke(certificate=certificate, actor=director, reason="wrong job")
    assert certified_jurisdictions(winddown) == []
    call_command("send_receipts", winddown.slug)
    assert not Campaign.objects.filter(kind=Campaign.Kind.RECEIPT).exists()


def test_an_undestroyed_holding_blocks_the_receipt(customers, it, legal, director, winddown):
    job = verified_job(customers, it=it, legal=legal)
    f.decision(f.holding(winddown, jurisdiction="DE", key="commerce.invoice"), legal)
    certificate_issue(job=job, actor=director)
    assert certified_jurisdictions(winddown) == []


def test_issuing_the_certificate_checks_for_receipts_after_commit(
    customers, it, legal, director, winddown, django_capture_on_commit_callbacks
):
    job = verified_job(customers, it=it, legal=legal)
    with django_capture_on_commit_callbacks() as callbacks:
        certificate_issue(job=job, actor=director)
    assert callbacks  # the receipts task is queued once the certificate is committed
    assert receipts_send.apply(args=[winddown.pk]).get() == 1
    assert receipts_send.apply(args=[winddown.pk]).get() == 0
    assert Delivery.objects.filter(campaign__kind=Campaign.Kind.RECEIPT).count() == 2


def test_the_receipt_states_its_facts_in_each_of_the_six_notice_languages(
    winddown, it, legal, director, smtp_sink
):
    languages = [language.value for language in Language]
    f.notified(winddown, jurisdiction="DE", count=len(languages))
    for i, language in enumerate(languages):
        Recipient.objects.filter(email=f"c{i}-de@example.com").update(language=language)
    certificate = certificate_issue(job=verified_job(winddown, it=it, legal=legal), actor=director)
    call_command("send_receipts", winddown.slug)
    campaign = Campaign.objects.get(kind=Campaign.Kind.RECEIPT)
    drain(campaign)

    destroyed = timezone.localdate(certificate.job.finished_at)
    by_to = {m["To"]: m for m in smtp_sink.messages}
    assert len(by_to) == len(languages)
    for i, language in enumerate(languages):
        message = by_to[f"c{i}-de@example.com"]
        text = _body(message)
        assert certificate.serial in text and verify_url(certificate.serial) in text, language
        assert format_date(destroyed, language) in text, language  # when it was deleted
        assert format_date(campaign.appeal_until, language) in text, language  # appeal until
    subjects = {by_to[f"c{i}-de@example.com"]["Subject"] for i in range(len(languages))}
    assert len(subjects) == len(languages)  # each in its own language
