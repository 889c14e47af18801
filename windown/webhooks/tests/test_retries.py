"""Failed deliveries are retried with doubling waits for a day, then failed and shown."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction

from windown.audit import audit_record
from windown.models import AuditEvent, WebhookDelivery, WebhookEvent
from windown.webhooks.services import (
    deliveries_due,
    delivery_attempt,
    delivery_resend,
    endpoint_create,
    endpoint_update,
    retry_delay,
)
from windown.webhooks.tests.receiver import receiver

pytestmark = pytest.mark.django_db
URL_DOWN = "http://127.0.0.1:9/hook"  # the discard port: nothing listens
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def hold_placed(director, obj=None, reference="LH-1"):
    audit_record(
        winddown=director.winddown,
        actor=director.user,
        action="compliance.hold_placed",
        obj=obj or director,
        payload={"reference": reference, "reason": "secret litigation", "jurisdictions": ["DE"]},
    )


def test_the_waits_double_from_30_seconds_up_to_an_hour(settings):
    waits = [retry_delay(n).total_seconds() for n in range(1, 10)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_it_retries_after_a_500_at_the_backoff_time_and_then_delivers(director):
    with receiver(answers=[500, 503]) as partner, time_machine.travel(START, tick=False) as clock:
        endpoint, _ = endpoint_create(by=director, url=partner.url, events=["hold.placed"])
        hold_placed(director)
        delivery = endpoint.deliveries.get()

        assert delivery_attempt(delivery.pk).status == 500
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
        assert delivery.next_attempt_at == START + timedelta(seconds=30)
        clock.shift(29)
        assert deliveries_due() == [] and delivery_attempt(delivery.pk) is None
        clock.shift(1)
        assert deliveries_due() == [delivery.pk]
        assert delivery_attempt(delivery.pk).status == 503
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == START + timedelta(seconds=30 + 60)
        clock.shift(60)
        assert delivery_attempt(delivery.pk).status == 200

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 3, 200)
    ids = {request.headers["webhook-id"] for request in partner.requests}
    assert len(partner.requests) == 3 and ids == {delivery.event.event_id}
    timestamps = [int(r.headers["webhook-timestamp"]) for r in partner.requests]
    assert timestamps == [int(START.timestamp()) + s for s in (0, 30, 90)]


def test_after_a_day_of_failures_it_is_failed_audited_and_can_be_resent(director):
    with receiver(answers=[500] * 40) as partner, time_machine.travel(START, tick=False) as clock:
        endpoint, _ = endpoint_create(by=director, url=partner.url, events=["hold.placed"])
        hold_placed(director)
        delivery = endpoint.deliveries.get()
        while delivery.status == "pending":
            clock.move_to(delivery.next_attempt_at)
            delivery_attempt(delivery.pk)
            delivery.refresh_from_db()
        assert delivery.status == "failed"
        assert delivery.last_attempt_at <= START + timedelta(days=1)
        assert delivery.last_attempt_at + retry_delay(delivery.attempts) > START + timedelta(days=1)
        failed = AuditEvent.objects.get(action="webhooks.delivery_failed")
        assert failed.payload["attempts"] == delivery.attempts == len(partner.requests)

        partner.answers.clear()
        delivery_resend(by=director, delivery=delivery)
        assert delivery_attempt(delivery.pk).ok
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert AuditEvent.objects.filter(action="webhooks.delivery_resent").count() == 1


def test_deliveries_of_one_object_arrive_in_order_even_when_the_first_is_retried(director, member):
    other = member("legal")
    with receiver(answers=[500]) as partner, time_machine.travel(START, tick=False) as clock:
        endpoint, _ = endpoint_create(by=director, url=partner.url, events=["hold.placed"])
        hold_placed(director, reference="first")
        hold_placed(director, reference="second")
        hold_placed(director, obj=other, reference="another object")
        first, second, third = endpoint.deliveries.order_by("event_id")

        assert delivery_attempt(first.pk).status == 500
        assert delivery_attempt(second.pk) is None  # waits for the first of its object
        assert deliveries_due() == [third.pk]  # another object is not held up
        assert delivery_attempt(third.pk).ok
        clock.shift(30)
        assert deliveries_due() == [first.pk]
        assert delivery_attempt(first.pk).ok
        assert delivery_attempt(second.pk).ok

    order = [json.loads(r.body)["data"]["reference"] for r in partner.requests]
    assert order == ["first", "another object", "first", "second"]


def test_only_subscribed_enabled_endpoints_get_deliveries_and_no_private_fields(director):
    wanted, _ = endpoint_create(
        by=director, url="https://a.example.com/", events=["hold.placed", "hold.released"]
    )
    endpoint_create(by=director, url="https://b.example.com/", events=["request.filed"])
    disabled, _ = endpoint_create(by=director, url="https://c.example.com/", events=["hold.placed"])
    endpoint_update(by=director, endpoint=disabled, is_active=False)
    hold_placed(director)
    audit_record(winddown=director.winddown, actor=None, action="compliance.rule_updated")

    [delivery] = WebhookDelivery.objects.all()
    assert delivery.endpoint == wanted
    assert delivery.event.body["data"] == {"reference": "LH-1", "jurisdictions": ["DE"]}


def test_an_action_that_rolls_back_leaves_no_event_and_queues_nothing(director):
    endpoint, _ = endpoint_create(by=director, url=URL_DOWN, events=["hold.placed"])
    with pytest.raises(RuntimeError), transaction.atomic():
        hold_placed(director)
        raise RuntimeError("the action failed after auditing")
    assert not endpoint.deliveries.exists() and not WebhookEvent.objects.exists()


def test_an_unreachable_partner_does_not_slow_or_fail_the_action(director):
    endpoint, _ = endpoint_create(by=director, url=URL_DOWN, events=["hold.placed"])
    started = time.monotonic()
    hold_placed(director)  # the send is a task after commit: nothing is contacted here
    assert time.monotonic() - started < 1
    delivery = endpoint.deliveries.get()
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    answer = delivery_attempt(delivery.pk)
    assert answer.status is None and "ConnectionRefusedError" in answer.error
