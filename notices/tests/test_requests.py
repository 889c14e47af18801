"""The support team's queue: assignment, email replies, resolution, overdue flags."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notices.models import SubjectRequest
from notices.services.requests import request_submit
from notices.tests.factories import RecipientFactory
from windown.models import AuditEvent
from windown.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def support(member):
    return member(Role.SUPPORT)


@pytest.fixture
def request_(winddown):
    recipient = RecipientFactory(winddown=winddown, jurisdiction="CN")
    return request_submit(recipient=recipient, type="question", message="Where is my data?")


def action(request_, name):
    return reverse(
        "notices:request-action", kwargs={"slug": "acme", "pk": request_.pk, "action": name}
    )


def test_support_assigns_replies_by_email_and_resolves(
    client_for, support, request_, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(support)
    client.post(action(request_, "assign"), {"assignee": support.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action(request_, "reply"), {"body": "We will send it this week."})
    client.post(action(request_, "resolve"), {"resolution": "Export sent."})
    request_.refresh_from_db()
    assert request_.assignee == support and request_.status == SubjectRequest.Status.RESOLVED
    assert request_.replies.get().body == "We will send it this week."
    assert mailoutbox[0].to == [request_.recipient.email]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "notices.request_assigned",
        "notices.request_replied",
        "notices.request_resolved",
    } <= actions


def test_only_handlers_can_be_assigned(client_for, support, member, request_):
    legal = member(Role.LEGAL)
    client_for(support).post(action(request_, "assign"), {"assignee": legal.pk})
    request_.refresh_from_db()
    assert request_.assignee is None


def test_the_queue_flags_overdue_requests_and_counts_down(client_for, support, request_):
    SubjectRequest.objects.update(due_date=timezone.localdate() - dt.timedelta(days=2))
    page = client_for(support).get(reverse("notices:request-list", kwargs={"slug": "acme"}))
    assert b"overdue -2" in page.content
    overdue_only = client_for(support).get(
        reverse("notices:request-list", kwargs={"slug": "acme"}), {"overdue": "on"}
    )
    assert request_.recipient.email.encode() in overdue_only.content


def test_a_china_request_is_due_in_fifteen_days(request_):
    assert request_.due_date == timezone.localdate() + dt.timedelta(days=15)
