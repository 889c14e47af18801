"""Outcomes written a chunk per UPDATE give the rows one UPDATE per outcome gives (PostgreSQL)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from notices import sending
from notices.models import Delivery
from notices.outcome_batches import BatchedOutcomeWriter
from notices.outcomes import OutcomeWriter
from notices.tests.helpers import recipients, started_campaign

pytestmark = pytest.mark.django_db
S = Delivery.Status
COLUMNS = (
    "status",
    "attempts",
    "last_error",
    "next_attempt_at",
    "sent_at",
    "provider_message_id",
    "claimed_by",
    "lease_expires_at",
    "updated_at",
)
AWKWARD = 'a "quoted", {braced} \\ back\\slash NULL\r\n550 5.1.1 邮箱不存在 ,}{"'


def outcomes(now):
    """What _send_one and _send_each write: sent, retried, failed, suppressed."""
    return [
        dict(status=S.SENT, attempts=1, sent_at=now, provider_message_id="<a@b>", last_error=""),
        dict(status=S.QUEUED, attempts=2, last_error=AWKWARD, next_attempt_at=now),
        dict(status=S.FAILED, attempts=6, last_error=AWKWARD[::-1]),
        dict(status=S.SUPPRESSED, last_error="unsubscribed"),
        dict(status=S.SENT, attempts=3, sent_at=now, provider_message_id="NULL", last_error=""),
    ]


def write_all(writer, ids, worker, now):
    for pk, fields in zip(ids, outcomes(now), strict=True):
        fields.update(claimed_by="", lease_expires_at=None, updated_at=now)
        writer.write(pk, worker, fields)
    writer.collect()


def test_a_chunk_gives_the_same_rows_as_one_update_per_outcome(director):
    if connection.vendor != "postgresql":
        pytest.skip("chunks are written on PostgreSQL only")
    recipients(director.winddown, 11)
    campaign = started_campaign(director)
    one = sending.claim_batch(campaign.pk, worker="w1", size=5)
    chunked = sending.claim_batch(campaign.pk, worker="w2", size=5)
    lost = sending.claim_batch(campaign.pk, worker="w3", size=1)
    Delivery.objects.filter(pk__in=[*one, *chunked]).update(
        attempts=1, next_attempt_at=timezone.now() - dt.timedelta(days=1)
    )
    now = timezone.now()
    write_all(OutcomeWriter(), one, "w1", now)
    write_all(BatchedOutcomeWriter(chunk=32), chunked, "w2", now)
    Delivery.objects.filter(pk=lost[0]).update(claimed_by="w4")  # expired and re-claimed
    writer = BatchedOutcomeWriter(chunk=32)
    writer.write(lost[0], "w3", dict(status=S.SENT, last_error="", updated_at=now))
    assert writer.collect() == 0
    rows = {d["id"]: d for d in Delivery.objects.values("id", *COLUMNS)}
    for a, b in zip(one, chunked, strict=True):
        assert {**rows[a], "id": 0} == {**rows[b], "id": 0}
    assert rows[chunked[1]]["last_error"] == AWKWARD
    assert rows[lost[0]]["status"] == S.SENDING and rows[lost[0]]["claimed_by"] == "w4"


def test_outcomes_are_written_when_the_chunk_fills_and_before_any_other_query(director):
    """Until written, an accepted message's row stays leased ("sending"): a crash then
    re-queues and resends it (duplicates up to a chunk), it never loses it."""
    if connection.vendor != "postgresql":
        pytest.skip("chunks are written on PostgreSQL only")
    recipients(director.winddown, 5)
    campaign = started_campaign(director)
    ids = sending.claim_batch(campaign.pk, worker="w1", size=5)
    writer = BatchedOutcomeWriter(chunk=2, max_age_ms=3_600_000)  # the count alone
    sent = dict(status=S.SENT, attempts=1, last_error="", claimed_by="", lease_expires_at=None)

    def statuses():
        return list(Delivery.objects.order_by("pk").values_list("status", flat=True))

    writer.write(ids[0], "w1", {**sent, "updated_at": timezone.now()})
    assert statuses() == [S.SENDING] * 5  # kept in memory, not written yet
    with connection.execute_wrapper(writer.before_query):
        writer.write(ids[1], "w1", {**sent, "updated_at": timezone.now()})  # the chunk is full
        writer.write(ids[2], "w1", {**sent, "updated_at": timezone.now()})
        # the query flushed ids[2] first: every outcome handed over is written before it runs
        assert statuses() == [S.SENT] * 3 + [S.SENDING] * 2
    writer.collect()


def test_outcomes_older_than_the_time_bound_are_written_before_the_next_message(director):
    """A chunk is not waited for: outcomes kept NOTICES_OUTCOME_MAX_AGE_MS (counted from
    when their message was handed over) are written when the next message is about to go
    out, and at once when the message itself took that long (a slow SMTP server)."""
    if connection.vendor != "postgresql":
        pytest.skip("chunks are written on PostgreSQL only")
    recipients(director.winddown, 3)
    campaign = started_campaign(director)
    ids = sending.claim_batch(campaign.pk, worker="w1", size=3)
    writer = BatchedOutcomeWriter(chunk=32, max_age_ms=100)
    sent = dict(status=S.SENT, attempts=1, last_error="", claimed_by="", lease_expires_at=None)

    def status(pk):
        return Delivery.objects.get(pk=pk).status

    writer.before_send()
    writer.write(ids[0], "w1", {**sent, "updated_at": timezone.now()})
    assert writer.buffered  # kept: younger than the bound
    writer.oldest -= 0.1  # its message was handed over 100 ms ago
    writer.before_send()  # the next message is about to go out
    assert not writer.buffered
    writer.collect()
    assert status(ids[0]) == S.SENT

    writer.before_send()
    writer.handed_at -= 0.1  # this message took 100 ms to send
    writer.write(ids[1], "w1", {**sent, "updated_at": timezone.now()})
    assert not writer.buffered  # written at once
    writer.collect()
    assert status(ids[1]) == S.SENT and status(ids[2]) == S.SENDING
