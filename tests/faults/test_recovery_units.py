"""The pieces of crash recovery, one by one, in the test database (no servers killed here)."""

import datetime as dt

import pytest
from django.db import IntegrityError, OperationalError
from django.utils import timezone

from notices import recovery, sending
from notices.models import Campaign, Delivery
from notices.tests.helpers import recipients, started_campaign

pytestmark = pytest.mark.django_db
S = Delivery.Status


def test_a_heartbeat_renews_only_our_leases_and_the_campaigns_heartbeat(director, settings):
    settings.NOTICES_LEASE_SECONDS = 15
    recipients(director.winddown, 4)
    campaign = started_campaign(director)
    ids = sending.claim_batch(campaign.pk, worker="w1", size=4)
    Delivery.objects.filter(pk=ids[0]).update(claimed_by="w2")  # taken over meanwhile
    Delivery.objects.update(lease_expires_at=timezone.now())
    assert recovery.heartbeat(campaign.pk, ids, "w1") == set(ids[1:])
    renewed = Delivery.objects.filter(pk__in=ids[1:]).values_list("lease_expires_at", flat=True)
    assert all(end > timezone.now() + dt.timedelta(seconds=10) for end in renewed)
    campaign.refresh_from_db()
    assert campaign.heartbeat_at > timezone.now() - dt.timedelta(seconds=5)


def test_a_live_task_takes_back_only_its_campaigns_expired_leases(director):
    recipients(director.winddown, 3)
    campaign = started_campaign(director)
    ids = sending.claim_batch(campaign.pk, worker="dead", size=3)
    Delivery.objects.filter(pk__in=ids[:2]).update(
        lease_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert recovery.requeue_expired(campaign.pk) == 2
    assert recovery.requeue_expired(campaign.pk + 1000) == 0
    statuses = dict(Delivery.objects.values_list("pk", "status"))
    assert [statuses[pk] for pk in ids] == [S.QUEUED, S.QUEUED, S.SENDING]


def test_a_campaign_silent_for_two_heartbeats_gets_new_workers(director, settings):
    settings.NOTICES_HEARTBEAT_SECONDS, settings.NOTICES_SWEEP_SECONDS = 3, 5
    recipients(director.winddown, 2)
    campaign = started_campaign(director)
    Campaign.objects.filter(pk=campaign.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=4)
    )
    assert sending.campaigns_needing_workers() == []
    Campaign.objects.filter(pk=campaign.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=7)
    )
    assert sending.campaigns_needing_workers() == [campaign.pk]


def test_only_a_lost_connection_is_retried():
    assert recovery.connection_lost(OperationalError("server closed the connection"))
    assert not recovery.connection_lost(IntegrityError("duplicate key"))  # connection fine
    assert not recovery.connection_lost(ValueError("a bug"))
