"""Beat's poll: reminders every N days until answered; past the deadline the request escalates."""

import datetime as dt

import pytest
from django.urls import reverse

from destruction.models import ProcessorEmail, ProcessorRequest
from destruction.services.processor_answers import processor_request_answer
from destruction.tasks import processor_requests_poll
from destruction.tests.factories_processors import sent_request
from windown.models import AuditEvent

UTC = dt.UTC


def reminders(request) -> list[int]:
    return list(
        ProcessorEmail.objects.filter(request=request, kind="reminder").values_list(
            "number", flat=True
        )
    )


def poll_daily(clock, request, first: dt.date, last: dt.date) -> dict[str, tuple[str, int]]:
    """Poll three times a day (08:00, 09:00, 21:00 UTC); record status and reminders per day."""
    seen, day = {}, first
    while day <= last:
        for hour in (8, 9, 21):
            clock.now = dt.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
            processor_requests_poll()
        request.refresh_from_db()
        seen[day.isoformat()] = (request.status, len(reminders(request)))
        day += dt.timedelta(days=1)
    return seen


def test_it_reminds_every_five_days_and_escalates_the_day_after_the_deadline(it, clock):
    request = sent_request(it)  # 2026-12-01 09:00 UTC; default deadline 14 days later

    seen = poll_daily(clock, request, dt.date(2026, 12, 2), dt.date(2026, 12, 20))

    assert request.deadline == dt.date(2026, 12, 15)
    assert seen["2026-12-05"] == ("sent", 0)
    assert seen["2026-12-06"] == ("sent", 1)  # five days after the instruction, at 09:00
    assert seen["2026-12-10"] == ("sent", 1)
    assert seen["2026-12-11"] == ("sent", 2)
    assert seen["2026-12-15"] == ("sent", 2)  # the deadline day itself is not late
    assert seen["2026-12-16"] == ("overdue", 3)  # escalated at 08:00, reminded at 09:00
    assert seen["2026-12-20"] == ("overdue", 3)
    assert request.escalated_at == dt.datetime(2026, 12, 16, 8, tzinfo=UTC)
    assert reminders(request) == [1, 2, 3]
    audited = AuditEvent.objects.filter(object_id=str(request.pk))
    assert audited.filter(action="destruction.processor_request_reminded").count() == 3
    assert audited.filter(action="destruction.processor_request_escalated").count() == 1


def test_it_follows_the_configured_intervals(it, clock, settings):
    settings.DESTRUCTION_PROCESSOR_DEADLINE_DAYS = 3
    settings.DESTRUCTION_PROCESSOR_REMINDER_DAYS = 2
    request = sent_request(it)

    seen = poll_daily(clock, request, dt.date(2026, 12, 2), dt.date(2026, 12, 6))

    assert request.deadline == dt.date(2026, 12, 4)
    assert seen["2026-12-02"] == ("sent", 0)
    assert seen["2026-12-03"] == ("sent", 1)
    assert seen["2026-12-04"] == ("sent", 1)
    assert seen["2026-12-05"] == ("overdue", 2)


def test_it_stops_reminding_once_the_processor_has_answered(it, clock):
    request = sent_request(it)
    poll_daily(clock, request, dt.date(2026, 12, 2), dt.date(2026, 12, 6))
    processor_request_answer(
        request=request,
        answers={item.pk: {"answer": "deleted"} for item in request.items.all()},
        attester_name="Ulla Berg",
        attester_role="DPO",
        attester_email="ulla@mailer.example",
        attested=True,
    )

    seen = poll_daily(clock, request, dt.date(2026, 12, 7), dt.date(2026, 12, 31))

    assert seen["2026-12-31"] == ("answered", 1)


def test_an_overdue_request_answered_late_is_answered_and_no_longer_blocks(it, clock):
    request = sent_request(it)
    poll_daily(clock, request, dt.date(2026, 12, 2), dt.date(2026, 12, 16))
    assert request.status == ProcessorRequest.Status.OVERDUE

    processor_request_answer(
        request=request,
        answers={item.pk: {"answer": "no_records"} for item in request.items.all()},
        attester_name="Ulla Berg",
        attester_role="DPO",
        attester_email="ulla@mailer.example",
        attested=True,
    )

    request.refresh_from_db()
    assert request.status == ProcessorRequest.Status.ANSWERED
    assert request.escalated_at is not None  # the record keeps that it was late
    event = AuditEvent.objects.get(action="destruction.processor_request_answered")
    assert event.payload["late"] is True


def test_the_director_sees_an_overdue_request_on_the_destruction_pages(
    it, director, clock, client_for
):
    request = sent_request(it)
    poll_daily(clock, request, dt.date(2026, 12, 2), dt.date(2026, 12, 16))

    page = client_for(director).get(
        reverse("destruction:processor-request-list", kwargs={"slug": "acme"})
    )

    assert page.status_code == 200
    html = page.content.decode()
    panel = html[html.index('id="processor-requests-panel"') :]
    assert f'>{request.reference}</a> <span class="badge risk">overdue</span>' in panel
    assert "1 overdue" in panel


@pytest.mark.django_db(transaction=True)  # the scheduler closes the connection it finds
def test_beat_installs_the_poll_as_a_django_celery_beat_periodic_task():
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from windown.celery import app

    DatabaseScheduler(app=app)  # what `celery beat` does at start: sync the schedule to rows

    task = PeriodicTask.objects.get(name="destruction-processor-requests")
    assert task.task == "destruction.processor_requests_poll"
    assert task.enabled and task.crontab is not None and task.crontab.minute == "*/15"
