"""The delivery tally the dashboard reads always equals a recount of the deliveries (PostgreSQL)."""

import datetime as dt
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from notices.models import Campaign, Delivery, DeliveryTally, Recipient
from notices.selectors import notices_summary
from notices.services.tallies import delivery_tally_compact
from notices.tests.helpers import drain, recipients, started_campaign

pytestmark = pytest.mark.django_db
S = Delivery.Status


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the tally is kept by PostgreSQL triggers; SQLite counts the deliveries")


def quarter_hour(moment):
    if moment is None:
        return None
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def recount() -> Counter:
    return Counter(
        (campaign_id, status, quarter_hour(sent_at))
        for campaign_id, status, sent_at in Delivery.objects.values_list(
            "campaign_id", "status", "sent_at"
        )
    )


def tally() -> Counter:
    rows = DeliveryTally.objects.values_list("campaign_id", "status", "sent_period").annotate(
        n=Sum("deliveries")
    )
    return Counter({(c, s, p): n for c, s, p, n in rows if n})


def test_the_tally_follows_a_campaign_from_its_start_through_sending(director, smtp_sink):
    recipients(director.winddown, 12)
    campaign = started_campaign(director)
    assert tally() == recount() and tally()[(campaign.pk, S.QUEUED, None)] == 12
    drain(campaign)
    assert tally() == recount()
    assert sum(n for (_c, status, _p), n in tally().items() if status == S.SENT) == 12


def test_the_tally_follows_webhooks_retries_and_deletions(director):
    recipients(director.winddown, 20)
    campaign = started_campaign(director)
    ids = list(Delivery.objects.filter(campaign=campaign).values_list("pk", flat=True))
    yesterday = timezone.now() - dt.timedelta(days=1, minutes=7)
    Delivery.objects.filter(pk__in=ids[:10]).update(status=S.SENT, sent_at=yesterday)
    for pk in ids[10:14]:  # one statement per row, as the senders write
        Delivery.objects.filter(pk=pk).update(status=S.SENDING)
    Delivery.objects.filter(pk__in=ids[:3]).update(status=S.BOUNCED)
    Delivery.objects.filter(pk=ids[3]).update(sent_at=timezone.now())
    Delivery.objects.filter(pk__in=ids[10:12]).update(status=S.QUEUED)  # lease expired
    Delivery.objects.filter(pk__in=ids[4:6]).update(claimed_by="nobody")  # no status change
    Delivery.objects.filter(pk__in=ids[18:]).delete()
    assert tally() == recount()


def test_compaction_keeps_the_sums_and_leaves_one_row_per_key(director):
    recipients(director.winddown, 8)
    campaign = started_campaign(director)
    for pk in Delivery.objects.filter(campaign=campaign).values_list("pk", flat=True):
        Delivery.objects.filter(pk=pk).update(status=S.SENT, sent_at=timezone.now())
    before = tally()
    assert DeliveryTally.objects.count() > len(before)
    assert delivery_tally_compact() == len(before)
    assert tally() == before == recount()
    assert DeliveryTally.objects.count() == len(before)


def test_a_deleted_campaign_leaves_the_figures_as_a_recount_gives_them(director):
    recipients(director.winddown, 5)
    campaign = started_campaign(director)
    Delivery.objects.filter(campaign=campaign).update(status=S.SENT, sent_at=timezone.now())
    Campaign.objects.filter(pk=campaign.pk).delete()
    assert tally() == recount() == Counter()
    summary = notices_summary(director.winddown)
    assert (summary["deliveries"], summary["sent"], summary["sent_by_day"]) == (0, 0, [])
    delivery_tally_compact()
    assert not DeliveryTally.objects.exists()


def test_the_dashboards_figures_are_a_recount_of_the_deliveries(director):
    recipients(director.winddown, 10)
    campaign = started_campaign(director)
    ids = list(Delivery.objects.filter(campaign=campaign).values_list("pk", flat=True))
    two_days_ago = timezone.now() - dt.timedelta(days=2)
    Delivery.objects.filter(pk__in=ids[:6]).update(status=S.DELIVERED, sent_at=two_days_ago)
    Delivery.objects.filter(pk__in=ids[6:8]).update(status=S.BOUNCED, sent_at=timezone.now())
    Delivery.objects.filter(pk=ids[8]).update(status=S.SUPPRESSED)
    summary = notices_summary(director.winddown)
    assert (summary["deliveries"], summary["sent"], summary["failed"]) == (9, 6, 2)
    assert summary["sent_by_day"] == [
        (timezone.localdate(two_days_ago).isoformat(), 6),
        (timezone.localdate().isoformat(), 8),
    ]


@pytest.mark.django_db(transaction=True)
def test_truncating_the_deliveries_empties_the_tally_also_in_a_flush(director):
    recipients(director.winddown, 3)
    campaign = started_campaign(director)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notices_delivery CASCADE")
        assert tally() == recount() == Counter()
        Delivery.objects.create(campaign=campaign, recipient=Recipient.objects.first())
        # both in one statement, as Django's flush after a transactional test does
        cursor.execute("TRUNCATE notices_delivery, notices_deliverytally CASCADE")
    assert tally() == recount() == Counter()


def test_the_beat_folds_the_tally(settings, director):
    from notices.tasks import delivery_tally_compact_task
    from windown.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["notices-delivery-tally-compact"]
    assert entry["task"] in app.tasks
    recipients(director.winddown, 2)
    started_campaign(director)
    Delivery.objects.update(status=S.SENT, sent_at=timezone.now())
    assert delivery_tally_compact_task() == len(tally()) == 1
