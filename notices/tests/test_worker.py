"""End to end with a real Celery worker subprocess, real Redis and a real SMTP server.

These need PostgreSQL and Redis (CI has both); on SQLite they are skipped with the reason.
"""

import io

import pytest

from notices import sending
from notices.models import Campaign, Delivery, Recipient
from notices.services.campaigns import (
    campaign_create,
    campaign_pause,
    campaign_resume,
    campaign_start,
)
from notices.services.importing import recipients_import
from notices.tests.helpers import LANGUAGES, NAMES, far_deadline, recipients
from notices.tests.smtp_sink import Sink
from notices.tests.worker import Worker, flush_redis, kick, services_missing, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
S = Delivery.Status


@pytest.fixture(autouse=True)
def needs_services(db):
    reason = services_missing()
    if reason:
        pytest.skip(reason)
    flush_redis()


@pytest.fixture
def sink():
    sink = Sink().start()
    yield sink
    sink.stop()


@pytest.fixture
def worker(sink):
    started = []

    def start(**env):
        started.append(Worker(sink.port, **env).start())
        return started[-1]

    yield start
    for w in started:
        w.stop()


def start_campaign(director, rate_limit: int) -> Campaign:
    far_deadline(director.winddown)
    campaign = campaign_create(by=director, name="Closure notice", rate_limit=rate_limit)
    campaign = campaign_start(by=director, campaign=campaign)
    kick(campaign.pk)
    return campaign


def finish(campaign: Campaign, sink: Sink, expected: int, timeout: float = 60) -> None:
    """Wait until the sink has every notice, running the sweeper as beat would."""

    def complete():
        sending.sweep()
        for campaign_id in sending.campaigns_needing_workers():
            kick(campaign_id)
        sending.campaign_finish_if_complete(campaign.pk)
        return (
            len(sink.by_message_id()) >= expected
            and not campaign.deliveries.filter(status__in=(S.QUEUED, S.SENDING)).exists()
        )

    assert wait_until(complete, timeout, step=0.5), (len(sink.by_message_id()), expected)


def test_import_then_campaign_then_worker_sends_one_notice_per_recipient(
    director, sink, worker, settings
):
    settings.NOTICES_SWEEP_SECONDS = 1
    lines = ["email,name,language,jurisdiction,customer_ref,has_open_order"]
    lines += [
        f"Person{i}@Example.com,{NAMES[LANGUAGES[i % 6]]},{LANGUAGES[i % 6]},DE,C{i},no"
        for i in range(60)
    ]
    data = io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))
    recipients_import(by=director, file=data, filename="customers.csv")
    worker()
    campaign = start_campaign(director, rate_limit=100)
    finish(campaign, sink, 60)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    assert sink.recipients() == {f"person{i}@example.com": 1 for i in range(60)}
    expected_ids = set(campaign.deliveries.values_list("message_id", flat=True))
    assert set(sink.by_message_id()) == expected_ids
    by_language = {m["Content-Language"]: m for m in sink.messages}
    assert set(by_language) == {"en", "de", "fr", "ja", "zh-Hans", "es"}
    assert "停止经营" in by_language["zh-Hans"]["Subject"]
    assert "王小明" in by_language["zh-Hans"].get_body(("plain",)).get_content()
    assert "事業終了" in by_language["ja"]["Subject"]
    for raw in sink.raw:
        assert raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0].isascii()


def test_a_worker_killed_mid_campaign_loses_nothing_and_doubles_only_what_was_in_flight(
    director, sink, worker, settings
):
    settings.NOTICES_SWEEP_SECONDS = 1
    total = 300
    recipients(director.winddown, total)
    first = worker()
    campaign = start_campaign(director, rate_limit=60)
    assert wait_until(lambda: sink.count() >= 60, 30)
    first.kill()
    in_flight = campaign.deliveries.filter(status=S.SENDING).count()
    sent_before = sink.count()
    assert sent_before < total, "the campaign finished before the crash"
    worker()
    finish(campaign, sink, total, timeout=90)
    counts = sink.by_message_id()
    duplicates = sum(n - 1 for n in counts.values())
    assert len(counts) == total  # every recipient received the notice
    print(
        f"crash: {sent_before} sent before the kill, {in_flight} in flight, {duplicates} duplicates"
    )
    assert duplicates <= in_flight
    assert set(campaign.deliveries.values_list("status", flat=True)) == {S.SENT}


def test_temporary_refusals_are_retried_and_permanent_ones_fail_with_the_reply(
    director, sink, worker, settings
):
    settings.NOTICES_SWEEP_SECONDS = 1

    def answer(address, attempt):
        number = int(address.split("@")[0].removeprefix("customer"))
        if number % 10 == 1:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        if number % 10 == 2 and attempt <= 2:
            return "451 4.7.1 Greylisted, try again later"
        return None

    sink.answer = answer
    recipients(director.winddown, 30)
    worker()
    campaign = start_campaign(director, rate_limit=100)
    finish(campaign, sink, 27)
    failed = campaign.deliveries.filter(status=S.FAILED)
    assert sorted(d.recipient.email for d in failed) == [
        "customer11@example.com",
        "customer1@example.com",
        "customer21@example.com",
    ]
    assert all(d.last_error.startswith("550 5.1.1") for d in failed)
    greylisted = campaign.deliveries.filter(
        recipient__email__in=[
            "customer2@example.com",
            "customer12@example.com",
            "customer22@example.com",
        ]
    )
    assert set(greylisted.values_list("status", "attempts")) == {(S.SENT, 3)}
    assert len(sink.by_message_id()) == 27 and max(sink.by_message_id().values()) == 1


def test_pause_stops_sending_within_a_second_and_resume_continues(director, sink, worker, settings):
    settings.NOTICES_SWEEP_SECONDS = 1
    winddown = director.winddown
    recipients(winddown, 200)
    worker()
    campaign = start_campaign(director, rate_limit=40)
    assert wait_until(lambda: sink.count() >= 20, 30)
    campaign_pause(by=director, campaign=campaign)
    at_pause = sink.count()

    def settled():  # no notice is claimed any more and the sink got exactly those marked sent
        sent = campaign.deliveries.filter(status=S.SENT).count()
        return not campaign.deliveries.filter(status=S.SENDING).exists() and sink.count() == sent

    assert wait_until(settled, 30)
    stopped_at = sink.count()
    assert stopped_at - at_pause <= 40 and stopped_at < 200  # at 40/s: a second's worth at most

    # Send tasks queued now find the campaign paused. A second campaign queued behind them
    # reaching its last recipient proves the worker has run them: nothing is waited for blindly.
    kick(campaign.pk)
    Recipient.objects.bulk_create(
        Recipient(winddown=winddown, email=f"late{i}@example.com", language="en", jurisdiction="GB")
        for i in range(5)
    )
    other = campaign_create(
        by=director, name="Probe", rate_limit=100, audience_jurisdictions=["GB"]
    )
    other = campaign_start(by=director, campaign=other)
    kick(other.pk)
    assert wait_until(lambda: other.deliveries.filter(status=S.SENT).count() == 5, 60)
    assert campaign.deliveries.filter(status=S.SENT).count() == stopped_at
    assert sink.count() == stopped_at + 5

    campaign_resume(by=director, campaign=Campaign.objects.get(pk=campaign.pk))
    kick(campaign.pk)
    finish(campaign, sink, 205)
    assert campaign.deliveries.filter(status=S.SENT).count() == 200
    assert len(sink.by_message_id()) == 205 and max(sink.by_message_id().values()) == 1
