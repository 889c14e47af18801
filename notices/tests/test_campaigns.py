"""Campaign life cycle: transitions, lead time, start, progress page, export, command, API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from notices.models import Campaign, Delivery
from notices.services.campaigns import (
    campaign_cancel,
    campaign_create,
    campaign_resume,
    campaign_schedule,
    campaign_start,
    campaign_update,
)
from notices.tasks import tick
from notices.tests.helpers import drain, far_deadline, recipients
from windown.models import AuditEvent
from windown.roles import Role

pytestmark = pytest.mark.django_db


def late(winddown):
    """A send time inside the lead period before the deletion deadline."""
    return timezone.make_aware(
        dt.datetime.combine(winddown.deletion_deadline - dt.timedelta(days=10), dt.time(9))
    )


def test_only_allowed_transitions_happen(director):
    campaign = campaign_create(by=director, name="N")
    with pytest.raises(ValidationError):
        campaign_resume(by=director, campaign=campaign)
    campaign_cancel(by=director, campaign=campaign)
    with pytest.raises(ValidationError):
        campaign_start(by=director, campaign=campaign)
    assert Campaign.objects.get().status == Campaign.Status.CANCELLED


def test_scheduling_inside_the_lead_time_is_refused(director, member):
    support = member(Role.SUPPORT)
    campaign = campaign_create(by=support, name="N")
    with pytest.raises(ValidationError, match="at least 30 days"):
        campaign_schedule(
            by=support,
            campaign=campaign,
            scheduled_at=late(director.winddown),
            confirm_reason="we are late",
        )
    with pytest.raises(ValidationError):
        campaign_schedule(by=director, campaign=campaign, scheduled_at=late(director.winddown))
    assert Campaign.objects.get().status == Campaign.Status.DRAFT


def test_a_director_confirms_a_short_lead_with_a_reason_and_it_is_audited(director):
    campaign = campaign_create(by=director, name="N")
    campaign_schedule(
        by=director,
        campaign=campaign,
        scheduled_at=late(director.winddown),
        confirm_reason="Liquidator set the date late",
    )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED
    assert campaign.short_lead_reason == "Liquidator set the date late"
    event = AuditEvent.objects.get(action="notices.short_lead_confirmed")
    assert event.payload["reason"] == "Liquidator set the date late"


def test_the_ui_refuses_a_short_lead_without_the_directors_reason(client_for, member):
    support = member(Role.SUPPORT)
    campaign = campaign_create(by=support, name="N")
    url = reverse(
        "notices:campaign-action", kwargs={"slug": "acme", "pk": campaign.pk, "action": "schedule"}
    )
    response = client_for(support).post(
        url, {"scheduled_at": late(support.winddown).strftime("%Y-%m-%dT%H:%M")}, follow=True
    )
    assert "at least 30 days" in response.content.decode()
    assert Campaign.objects.get().status == Campaign.Status.DRAFT


def test_beat_starts_a_scheduled_campaign_when_its_time_comes(director):
    far_deadline(director.winddown)
    recipients(director.winddown, 3)
    campaign = campaign_create(by=director, name="N")
    campaign_schedule(
        by=director, campaign=campaign, scheduled_at=timezone.now() + dt.timedelta(days=1)
    )
    assert tick()["started"] == 0
    Campaign.objects.update(scheduled_at=timezone.now() - dt.timedelta(seconds=1))
    assert tick()["started"] == 1
    assert Campaign.objects.get().status == Campaign.Status.SENDING
    assert Delivery.objects.count() == 3


def test_starting_creates_one_delivery_per_audience_member_with_a_stable_message_id(director):
    far_deadline(director.winddown)
    people = recipients(director.winddown, 12)
    campaign = campaign_create(by=director, name="N", audience_languages=["de", "ja"])
    campaign_start(by=director, campaign=campaign)
    deliveries = list(campaign.deliveries.all())
    assert len(deliveries) == 4
    assert {d.recipient.language for d in deliveries} == {"de", "ja"}
    assert len({d.message_id for d in deliveries}) == 4
    assert all(d.message_id.startswith("<notice.") for d in deliveries)
    event = AuditEvent.objects.get(action="notices.campaign_started")
    assert event.payload["deliveries"] == 4
    assert len(people) == 12


def test_the_campaign_page_shows_progress_and_the_status_api_counts(
    client_for, api_for, director, mailoutbox
):
    recipients(director.winddown, 4)
    from notices.tests.helpers import started_campaign

    campaign = started_campaign(director)
    drain(campaign)
    page = client_for(director).get(campaign.get_absolute_url())
    assert page.status_code == 200 and b"<progress" in page.content
    status = (
        api_for(director)
        .get(f"/api/v1/winddowns/acme/notices/campaigns/{campaign.pk}/status/")
        .json()
    )
    assert status["status"] == "done" and status["counts"]["sent"] == 4
    assert status["remaining"] == 0 and len(mailoutbox) == 4


def test_delivery_search_and_failure_export(client_for, director):
    recipients(director.winddown, 3)
    from notices.tests.helpers import started_campaign

    campaign = started_campaign(director)
    Delivery.objects.filter(recipient__email="customer1@example.com").update(
        status="failed", last_error="550 5.1.1 no such user"
    )
    client = client_for(director)
    search = client.get(
        reverse("notices:delivery-list", kwargs={"slug": "acme", "pk": campaign.pk}),
        {"q": "customer1@"},
    )
    assert b"customer1@example.com" in search.content and b"customer2@" not in search.content
    export = client.get(
        reverse("notices:failure-export", kwargs={"slug": "acme", "pk": campaign.pk})
    )
    text = b"".join(export.streaming_content).decode()
    assert text.splitlines()[1].startswith("customer1@example.com") and "550 5.1.1" in text
    assert len(text.splitlines()) == 2


def test_the_command_starts_a_campaign(director):
    far_deadline(director.winddown)
    recipients(director.winddown, 2)
    campaign = campaign_create(by=director, name="N")
    call_command("campaign_start", str(campaign.pk))
    assert Campaign.objects.get().status == Campaign.Status.SENDING
    assert Delivery.objects.count() == 2


def test_a_test_send_goes_to_any_address_in_the_chosen_language(director, mailoutbox):
    from notices.services.recipients import notice_test_send

    campaign = campaign_create(by=director, name="N")
    notice_test_send(by=director, campaign=campaign, language="zh-hans", to="boss@example.org")
    assert mailoutbox[0].to == ["boss@example.org"]
    assert mailoutbox[0].subject.startswith("[TEST] ") and "停止经营" in mailoutbox[0].subject
    assert AuditEvent.objects.filter(action="notices.test_sent").count() == 1


def test_a_long_non_ascii_subject_reads_back_without_a_leading_space(director, mailoutbox):
    """What a mail client shows: the wire bytes parsed with the email package's default policy
    (Django alone folds such a subject onto the next line, and it read back as " [TEST] …")."""
    import email
    import email.policy

    from notices.services.recipients import notice_test_send

    campaign = campaign_create(by=director, name="N")
    for language in ("de", "zh-hans"):
        mailoutbox.clear()
        subject = notice_test_send(by=director, campaign=campaign, language=language, to="b@x.org")
        wire = mailoutbox[0].message().as_bytes()
        parsed = email.message_from_bytes(wire, policy=email.policy.default)
        assert parsed["Subject"] == f"[TEST] {subject}"
        assert b"\nSubject: =?utf-8?" in wire  # encoded words start on the header's line


def test_a_test_send_uses_the_sample_customer_never_a_real_one(director, mailoutbox):
    from notices.services.recipients import notice_test_send
    from notices.tokens import personal_url

    real = recipients(director.winddown, 1)[0]
    campaign = campaign_create(by=director, name="N")
    notice_test_send(by=director, campaign=campaign, language=real.language, to="boss@example.org")
    body = mailoutbox[0].body
    assert real.name not in body and real.email not in body
    assert personal_url(real) not in body
    assert "Sample Customer" in body or "sample.customer@example.com" in body
    assert mailoutbox[0].extra_headers["X-Windown-Test"] == "yes"


def test_the_campaign_page_shows_the_complaint_rate(client_for, director):
    from notices.tests.helpers import started_campaign

    recipients(director.winddown, 4)
    campaign = started_campaign(director)
    Delivery.objects.update(status="sent")
    Delivery.objects.filter(pk=campaign.deliveries.first().pk).update(status="complained")
    page = client_for(director).get(
        reverse("notices:campaign-progress", kwargs={"slug": "acme", "pk": campaign.pk})
    )
    assert b"complaint rate 25.00 %" in page.content


def test_beat_polls_the_notices_sweeper_every_five_seconds():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="notices.tick")
    assert task.enabled and task.interval.every == 5 and task.interval.period == "seconds"


def test_a_notice_that_would_not_say_where_to_write_is_not_sent(client_for, director):
    """Without a support email (the campaign's or the wind-down's) the preview and the campaign
    page warn, and starting or scheduling is refused with the reason; setting one sends."""
    from windown.models import WindDown

    far_deadline(director.winddown)
    WindDown.objects.filter(pk=director.winddown.pk).update(support_email="")
    director.winddown.refresh_from_db()
    recipients(director.winddown, 2)
    campaign = campaign_create(by=director, name="N")
    assert campaign.support_email == ""
    client = client_for(director)
    for page in (
        campaign.get_absolute_url(),
        reverse(
            "notices:template-preview", kwargs={"slug": "acme", "pk": campaign.pk, "language": "en"}
        ),
    ):
        assert b'id="no-support-email"' in client.get(page).content
    with pytest.raises(ValidationError, match="support email"):
        campaign_start(by=director, campaign=campaign)
    with pytest.raises(ValidationError, match="support email"):
        campaign_schedule(
            by=director, campaign=campaign, scheduled_at=timezone.now() + dt.timedelta(days=1)
        )
    assert Campaign.objects.get().status == Campaign.Status.DRAFT and not Delivery.objects.exists()

    campaign_update(by=director, campaign=campaign, support_email="help@acme.example")
    assert b'id="no-support-email"' not in client.get(campaign.get_absolute_url()).content
    campaign_start(by=director, campaign=campaign)
    assert Delivery.objects.count() == 2
