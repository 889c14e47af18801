"""The send engine against a real SMTP server, worked in this process (SQLite and PostgreSQL)."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from notices import sending
from notices.models import Campaign, Delivery, Recipient
from notices.services.campaigns import campaign_pause
from notices.tests.helpers import drain, recipients, started_campaign
from windown.models import AuditEvent

pytestmark = pytest.mark.django_db
S = Delivery.Status


def test_every_recipient_gets_exactly_one_well_formed_notice(director, smtp_sink):
    people = recipients(director.winddown, 12)
    campaign = started_campaign(director, reply_to="help@acme.example")
    drain(campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    assert smtp_sink.recipients() == {r.email: 1 for r in people}
    ids = dict(campaign.deliveries.values_list("recipient__email", "message_id"))
    for message, raw in zip(smtp_sink.messages, smtp_sink.raw, strict=True):
        assert message["Message-ID"] == ids[message["To"]]
        assert message.get_content_type() == "multipart/alternative"
        kinds = [part.get_content_type() for part in message.iter_parts()]
        assert kinds == ["text/plain", "text/html"]
        assert message["Date"] and message["From"] and message["Reply-To"]
        assert str(message["List-Unsubscribe"]).strip().startswith(
            "<http"
        ) and "/notices/u/" in str(message["List-Unsubscribe"])
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        header_block = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        assert header_block.isascii()  # every non-ASCII header is RFC 2047-encoded
        assert "/notices/p/" in message.get_body(("plain",)).get_content()
    subjects = {m["Content-Language"]: m["Subject"] for m in smtp_sink.messages}
    assert "事業終了" in subjects["ja"] and "停止经营" in subjects["zh-Hans"]
    assert "Geschäftsbetrieb" in subjects["de"] and "activité" in subjects["fr"]
    done = AuditEvent.objects.get(action="notices.campaign_done")
    assert done.payload["counts"]["sent"] == 12
    # one summary event, not one per message
    assert AuditEvent.objects.filter(object_type="notices.delivery").count() == 0


def test_a_permanent_refusal_marks_the_delivery_failed_with_the_reply(director, smtp_sink):
    recipients(director.winddown, 4)
    smtp_sink.answer = lambda address, attempt: (
        "550 5.1.1 Mailbox unavailable" if address == "customer1@example.com" else None
    )
    campaign = started_campaign(director)
    drain(campaign)
    failed = campaign.deliveries.get(status=S.FAILED)
    assert failed.recipient.email == "customer1@example.com"
    assert failed.last_error.startswith("550") and "Mailbox unavailable" in failed.last_error
    assert campaign.deliveries.filter(status=S.SENT).count() == 3
    assert smtp_sink.count() == 3


def test_a_temporary_refusal_is_retried_until_accepted(director, smtp_sink, settings):
    settings.NOTICES_RETRY_BASE_SECONDS = 0
    recipients(director.winddown, 3)
    smtp_sink.answer = lambda address, attempt: "451 4.7.1 Try again later" if attempt < 3 else None
    campaign = started_campaign(director)
    drain(campaign)
    assert set(campaign.deliveries.values_list("status", "attempts")) == {(S.SENT, 3)}
    assert smtp_sink.count() == 3


def test_temporary_failures_give_up_after_the_limit(director, smtp_sink, settings):
    settings.NOTICES_RETRY_BASE_SECONDS = 0
    settings.NOTICES_MAX_ATTEMPTS = 2
    recipients(director.winddown, 1)
    smtp_sink.answer = lambda address, attempt: "421 4.3.2 Service not available"
    campaign = started_campaign(director)
    drain(campaign)
    delivery = campaign.deliveries.get()
    assert (delivery.status, delivery.attempts) == (S.FAILED, 2)
    assert delivery.last_error.startswith("421")


def test_an_unreachable_server_leaves_the_notice_queued_for_a_retry(director, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    recipients(director.winddown, 1)
    campaign = started_campaign(director)
    drain(campaign)
    delivery = campaign.deliveries.get()
    assert delivery.status == S.QUEUED and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now()
    assert "Connection" in delivery.last_error or "refused" in delivery.last_error


def test_a_paused_campaign_sends_nothing_and_gives_back_its_claims(director, smtp_sink):
    recipients(director.winddown, 5)
    campaign = started_campaign(director)
    ids = sending.claim_batch(campaign.pk, worker="w1", size=5)
    campaign_pause(by=director, campaign=campaign)
    assert sending.run_batch(campaign.pk, worker="w1") is sending.Batch.STOPPED
    sending.release(ids, "w1")
    assert smtp_sink.count() == 0
    assert set(campaign.deliveries.values_list("status", flat=True)) == {S.QUEUED}


def test_two_workers_never_claim_the_same_delivery(director):
    recipients(director.winddown, 10)
    campaign = started_campaign(director)
    first = sending.claim_batch(campaign.pk, worker="w1", size=6)
    second = sending.claim_batch(campaign.pk, worker="w2", size=6)
    assert len(first) == 6 and len(second) == 4 and not set(first) & set(second)


def test_the_sweeper_requeues_expired_leases(director):
    recipients(director.winddown, 3)
    campaign = started_campaign(director)
    sending.claim_batch(campaign.pk, worker="crashed", size=3)
    Delivery.objects.update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert sending.sweep() == {"requeued": 3, "suppressed": 0}
    assert set(campaign.deliveries.values_list("status", "claimed_by")) == {(S.QUEUED, "")}
    assert sending.campaigns_needing_workers() == [campaign.pk]


def test_a_recipient_who_unsubscribed_after_the_start_is_suppressed(director, smtp_sink):
    people = recipients(director.winddown, 2)
    campaign = started_campaign(director)
    Recipient.objects.filter(pk=people[0].pk).update(unsubscribed_at=timezone.now())
    drain(campaign)
    assert campaign.deliveries.get(recipient=people[0]).status == S.SUPPRESSED
    assert smtp_sink.count() == 1


def test_the_rate_limit_spaces_messages(director, smtp_sink):
    import time

    recipients(director.winddown, 6)
    campaign = started_campaign(director, rate_limit=10)
    began = time.monotonic()
    drain(campaign)
    assert time.monotonic() - began >= 0.45  # 6 messages at 10/s: at least 5 intervals


def test_cancelling_suppresses_the_unsent_notices_and_says_why(director, smtp_sink):
    from notices.services.campaigns import campaign_cancel

    recipients(director.winddown, 4)
    campaign = started_campaign(director)
    sending.claim_batch(campaign.pk, worker="w1", size=1)
    campaign_cancel(by=director, campaign=campaign)
    assert sending.run_batch(campaign.pk, worker="w1") is sending.Batch.STOPPED
    assert campaign.deliveries.filter(status=S.SUPPRESSED).count() == 3
    Delivery.objects.update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert sending.sweep() == {"requeued": 1, "suppressed": 1}
    assert set(campaign.deliveries.values_list("last_error", flat=True)) >= {"campaign cancelled"}
    assert smtp_sink.count() == 0


def test_a_worker_keeps_only_the_leases_still_its_own(director):
    recipients(director.winddown, 3)
    campaign = started_campaign(director)
    ids = sending.claim_batch(campaign.pk, worker="w1", size=3)
    Delivery.objects.filter(pk=ids[0]).update(claimed_by="w2")  # expired and re-claimed
    assert sending.renew_leases(ids, "w1") == set(ids[1:])
    assert not sending._finish(ids[0], "w1", status=S.SENT)
    assert Delivery.objects.get(pk=ids[0]).claimed_by == "w2"


def test_the_redis_rate_limit_hands_out_slots_across_processes(settings):
    import redis

    from notices import ratelimit
    from notices.tests.worker import RATE_REDIS_URL as url

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("needs Redis")
    settings.REDIS_URL = url
    ratelimit._redis_script.cache_clear()
    key_owner = 10_000_000 + int(timezone.now().timestamp())
    waits = [ratelimit.reserve(key_owner, 10) for _ in range(5)]
    ratelimit._redis_script.cache_clear()
    assert waits[0] <= 0.01 and 0.35 <= waits[-1] <= 0.41  # 10/s: slots 0.1 s apart


def test_the_links_in_a_sent_notice_open_that_customers_page_and_unsubscribe_them(
    director, smtp_sink, client
):
    import re

    people = recipients(director.winddown, 3)
    drain(started_campaign(director))
    message = next(m for m in smtp_sink.messages if m["To"] == people[1].email)
    text = message.get_body(("plain",)).get_content()
    personal = re.search(r"https?://\S+/notices/p/\S+", text).group(0)
    page = client.get(personal.split("localhost:8000", 1)[1])
    assert page.status_code == 200 and people[1].name in page.content.decode()
    unsubscribe = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert client.post(unsubscribe.split("localhost:8000", 1)[1]).status_code == 200
    unsubscribed = Recipient.objects.exclude(unsubscribed_at=None)
    assert list(unsubscribed.values_list("email", flat=True)) == [people[1].email]


@pytest.mark.django_db(transaction=True)
def test_a_database_that_stops_answering_stops_the_batch_in_time_and_loses_no_notice(
    director, smtp_sink, settings
):
    """PostgreSQL holds the first outcome's UPDATE (another session locks its row as the
    server accepts that message): the sender gives up within NOTICES_DB_TIMEOUT_SECONDS with
    an error naming the delivery, and every notice is still delivered after the sweep."""
    import psycopg
    from django.db import connection

    from notices.outcomes import OutcomeTimeout

    if connection.vendor != "postgresql":
        pytest.skip("the overlapped outcome writer runs on PostgreSQL only")
    settings.NOTICES_DB_TIMEOUT_SECONDS = 1
    people = recipients(director.winddown, 3)
    campaign = started_campaign(director)
    first = campaign.deliveries.select_related("recipient").order_by("pk").first()
    first_email = first.recipient.email
    db = connection.settings_dict
    blocker = psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or None
    )
    # A sender that never gives up is not left waiting forever: the lock goes after 10 s.
    blocker.execute("SET idle_in_transaction_session_timeout = '10s'")

    def lock_first_row(address, attempt):
        if address == first_email and attempt == 1:
            blocker.execute("SELECT 1 FROM notices_delivery WHERE id = %s FOR UPDATE", [first.pk])

    smtp_sink.answer = lock_first_row
    began = time.monotonic()
    try:
        with pytest.raises(OutcomeTimeout, match=f"delivery {first.pk}"):
            sending.run_batch(campaign.pk, worker="stalled")
        assert time.monotonic() - began < 1 + 4  # the timeout, and a margin for a busy machine
    finally:
        blocker.rollback()
        blocker.close()
    first.refresh_from_db()
    assert (first.status, first.claimed_by) == (S.SENDING, "stalled")  # the UPDATE was cancelled
    smtp_sink.answer = None
    assert smtp_sink.count() >= 1
    # The leases run out; the sweeper re-queues what was not recorded and it is sent again.
    campaign.deliveries.filter(status=S.SENDING).update(
        lease_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    sending.sweep()
    drain(campaign)
    assert campaign.deliveries.filter(status=S.SENT).count() == 3
    received = smtp_sink.recipients()
    assert set(received) == {r.email for r in people}
    assert received[first_email] == 2  # at least once: sent, not recorded, sent again
