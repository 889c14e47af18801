"""ESP tracking events (django-anymail) update deliveries once per event id."""

import pytest
from anymail.signals import AnymailTrackingEvent, tracking

from notices.models import Delivery, TrackingEvent
from notices.tests.helpers import recipients, started_campaign

pytestmark = pytest.mark.django_db


def send_event(event_type, event_id, message_id, **extra):
    event = AnymailTrackingEvent(
        event_type=event_type, event_id=event_id, message_id=message_id, **extra
    )
    tracking.send(sender=object, event=event, esp_name="Test")


@pytest.fixture
def delivery(director):
    recipients(director.winddown, 1)
    started_campaign(director)
    Delivery.objects.update(status="sent", provider_message_id="esp-123")
    return Delivery.objects.get()


def test_a_bounce_marks_the_delivery_bounced_with_the_reply(delivery):
    send_event("bounced", "ev-1", "esp-123", mta_response="550 5.1.1 unknown user")
    delivery.refresh_from_db()
    assert delivery.status == "bounced" and "5.1.1" in delivery.last_error


def test_a_repeated_event_is_applied_once(delivery):
    send_event("complained", "ev-2", "esp-123")
    send_event("complained", "ev-2", "esp-123")
    assert TrackingEvent.objects.count() == 1
    assert Delivery.objects.get().status == "complained"


def test_a_late_delivered_event_does_not_undo_a_bounce(delivery):
    send_event("bounced", "ev-3", "esp-123")
    send_event("delivered", "ev-4", "esp-123")
    assert Delivery.objects.get().status == "bounced"


def test_events_about_unknown_messages_are_ignored(delivery):
    send_event("delivered", "ev-5", "someone-else")
    assert Delivery.objects.get().status == "sent"
