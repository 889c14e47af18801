"""With a real Celery worker on Redis: events are sent after commit, retried after a 500 in
order, and an event whose worker was killed mid-delivery still arrives."""

import json
import os
import signal
import threading
import time

import pytest

from windown.audit import audit_record
from windown.services import winddown_status_change
from windown.tests.workers import BROKER, WORKER_TEST, celery_worker
from windown.webhooks.services import endpoint_create
from windown.webhooks.tasks import sweep_webhooks
from windown.webhooks.tests.receiver import receiver

pytestmark = WORKER_TEST
FAST = {"WEBHOOKS_LEASE_SECONDS": "2", "WEBHOOKS_RETRY_BASE_SECONDS": "1"}


@pytest.fixture(autouse=True)
def tasks_to_the_worker():
    """Queue this process's tasks (on_commit, the sweep) on the worker's broker."""
    from windown.celery import app

    before = app.conf.broker_url
    app.conf.broker_url = BROKER
    app._after_fork()  # drop the connection and producer pools made for the old URL
    yield
    app.conf.broker_url = before
    app._after_fork()


def wait_for(condition, worker, seconds=60, sweep=False):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        assert worker.poll() is None, worker.stderr.read().decode()
        if sweep:
            sweep_webhooks()  # what beat does every WEBHOOKS_SWEEP_SECONDS
        time.sleep(0.5)
    pytest.fail("the worker did not deliver in time")


def test_a_worker_killed_mid_delivery_does_not_lose_the_event(director):
    with receiver() as partner:
        partner.hold = threading.Event()
        release = partner.hold
        endpoint, _ = endpoint_create(by=director, url=partner.url, events=["winddown.completed"])
        with celery_worker(**FAST) as worker:
            winddown_status_change(by=director, status="closed")
            assert partner.arrived.wait(60), worker.stderr.read().decode()
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(10)
        release.set()  # the killed worker never reads this answer
        delivery = endpoint.deliveries.get()
        assert (delivery.status, delivery.attempts) == ("pending", 1)

        with celery_worker(**FAST) as worker:
            wait_for(lambda: endpoint.deliveries.get().status == "delivered", worker, sweep=True)

    delivery = endpoint.deliveries.get()
    assert delivery.attempts == 2 and delivery.response_code == 200
    ids = [request.headers["webhook-id"] for request in partner.requests]
    assert ids == [delivery.event.event_id] * 2  # at least once, one idempotency id


def test_a_worker_retries_after_a_500_and_keeps_one_objects_events_in_order(director):
    with receiver(answers=[500]) as partner:
        endpoint, _ = endpoint_create(by=director, url=partner.url, events=["hold.placed"])
        with celery_worker(**FAST) as worker:
            for reference in ("first", "second"):
                audit_record(
                    winddown=director.winddown,
                    actor=director.user,
                    action="compliance.hold_placed",
                    obj=director,
                    payload={"reference": reference},
                )
            delivered = endpoint.deliveries.filter(status="delivered")
            wait_for(lambda: delivered.count() == 2, worker, sweep=True)

    references = [json.loads(r.body)["data"]["reference"] for r in partner.requests]
    assert references == ["first", "first", "second"]
    first, second = endpoint.deliveries.order_by("event_id")
    assert (first.attempts, second.attempts) == (2, 1)
