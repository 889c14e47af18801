"""Editing a draft campaign: only its settings change, never its status or schedule."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from notices.models import Campaign, Delivery
from notices.services.campaigns import campaign_create, campaign_update
from notices.tests.helpers import far_deadline, recipients
from windown.models import AuditEvent

pytestmark = pytest.mark.django_db


def url(campaign):
    return f"/api/v1/winddowns/{campaign.winddown.slug}/notices/campaigns/{campaign.pk}/"


@pytest.fixture
def draft(director, winddown):
    far_deadline(winddown)
    recipients(winddown, 3)
    return campaign_create(by=director, name="Closure notice")


def test_it_refuses_an_api_patch_of_the_status_and_changes_nothing(api_for, director, draft):
    response = api_for(director).patch(url(draft), {"status": "sending"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"status": ["This field cannot be changed here."]}
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.DRAFT and draft.started_at is None
    assert not Delivery.objects.exists()
    assert (
        not AuditEvent.objects.filter(action__startswith="notices.campaign_")
        .exclude(action="notices.campaign_created")
        .exists()
    )


def test_it_refuses_an_api_patch_that_mixes_an_allowed_field_with_a_status(
    api_for, director, draft
):
    body = {"name": "Renamed", "status": "finished", "scheduled_at": "2026-12-24T09:00:00Z"}
    response = api_for(director).patch(url(draft), body, format="json")
    assert response.status_code == 400
    assert sorted(response.json()) == ["scheduled_at", "status"]
    draft.refresh_from_db()
    assert (draft.name, draft.status, draft.scheduled_at) == ("Closure notice", "draft", None)


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Campaign.Status.SENDING},
        {"scheduled_at": dt.datetime(2026, 12, 24, 9, tzinfo=dt.UTC)},
        {"started_at": dt.datetime(2026, 12, 24, 9, tzinfo=dt.UTC)},
        {"short_lead_reason": "no time"},
        {"winddown": None},
    ],
    ids=lambda changes: next(iter(changes)),
)
def test_the_service_refuses_every_field_a_transition_owns(director, draft, changes):
    with pytest.raises(ValidationError) as refused:
        campaign_update(by=director, campaign=draft, **changes)
    assert list(refused.value.message_dict) == list(changes)
    fresh = Campaign.objects.get(pk=draft.pk)
    assert (fresh.status, fresh.scheduled_at, fresh.started_at) == ("draft", None, None)
    assert not AuditEvent.objects.filter(action="notices.campaign_updated").exists()


def test_an_api_patch_of_settings_saves_them_and_audits_the_diff(api_for, director, draft):
    body = {"name": "Final notice", "rate_limit": 50, "audience_languages": ["de"]}
    response = api_for(director).patch(url(draft), body, format="json")
    assert response.status_code == 200, response.json()
    draft.refresh_from_db()
    assert (draft.name, draft.rate_limit, draft.audience_languages) == ("Final notice", 50, ["de"])
    event = AuditEvent.objects.get(action="notices.campaign_updated")
    assert event.payload["changes"]["name"] == ["Closure notice", "Final notice"]
    assert event.payload["changes"]["audience_languages"] == [[], ["de"]]
    assert set(event.payload["changes"]) == {"name", "rate_limit", "audience_languages"}


def test_a_campaign_that_left_draft_cannot_be_edited(api_for, director, draft):
    from notices.services.campaigns import campaign_schedule

    campaign_schedule(by=director, campaign=draft, scheduled_at=timezone.now())
    response = api_for(director).patch(url(draft), {"name": "Late rename"}, format="json")
    assert response.status_code == 400
    assert Campaign.objects.get(pk=draft.pk).name == "Closure notice"
