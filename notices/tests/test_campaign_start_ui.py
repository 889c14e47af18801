"""Starting a campaign in the browser: confirm the audience shown; warned of unapproved facts;
the status badge lives in the refreshed progress block."""

from django.urls import reverse

from notices.models import Campaign
from notices.services.campaigns import campaign_create
from notices.tests.helpers import far_deadline, recipients


def _start(client, campaign, **data):
    url = reverse(
        "notices:campaign-action",
        kwargs={"slug": campaign.winddown.slug, "pk": campaign.pk, "action": "start"},
    )
    return client.post(url, data, follow=True)


def _page(client, campaign):
    return client.get(campaign.get_absolute_url()).content.decode()


def test_the_start_button_names_the_audience_and_languages(client_for, director):
    far_deadline(director.winddown)
    recipients(director.winddown, 7)
    campaign = campaign_create(by=director, name="N")
    page = _page(client_for(director), campaign)
    assert "Send to 7 customers now" in page
    assert "English 2, Deutsch 1" in page
    assert "I have checked the audience" in page


def test_starting_without_ticking_the_confirmation_sends_nothing(client_for, director):
    far_deadline(director.winddown)
    recipients(director.winddown, 3)
    campaign = campaign_create(by=director, name="N")
    response = _start(client_for(director), campaign, audience_size=3)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert "Tick the box to confirm the audience" in response.content.decode()


def test_a_confirmation_for_an_audience_that_has_since_grown_is_refused(client_for, director):
    far_deadline(director.winddown)
    recipients(director.winddown, 3)
    campaign = campaign_create(by=director, name="N")
    recipients(director.winddown, 2, prefix="late")
    response = _start(client_for(director), campaign, audience_size=3, confirm="on")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert "The audience changed to 5 customers" in response.content.decode()


def test_a_confirmed_start_sends_and_the_status_badge_is_in_the_refreshed_block(
    client_for, director
):
    far_deadline(director.winddown)
    recipients(director.winddown, 3)
    campaign = campaign_create(by=director, name="N")
    client = client_for(director)
    _start(client, campaign, audience_size=3, confirm="on")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    fragment = client.get(
        reverse(
            "notices:campaign-progress",
            kwargs={"slug": campaign.winddown.slug, "pk": campaign.pk},
        )
    ).content.decode()
    assert 'id="campaign-status"' in fragment and "Sending" in fragment
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DONE)
    fragment = client.get(
        reverse(
            "notices:campaign-progress",
            kwargs={"slug": campaign.winddown.slug, "pk": campaign.pk},
        )
    ).content.decode()
    assert "Done" in fragment


def test_unapproved_decisions_about_the_audience_are_a_warning_before_start(
    client_for, director, member
):
    from compliance.models import Decision
    from compliance.services import decision_approve, decisions_evaluate
    from compliance.tests.factories import make_holding
    from windown.roles import Role

    far_deadline(director.winddown)
    recipients(director.winddown, 6)  # jurisdictions DE, FR, JP, CN, ES, US-CA
    make_holding(director.winddown, jurisdiction="DE")
    decisions_evaluate(winddown=director.winddown)
    campaign = campaign_create(by=director, name="N")
    page = _page(client_for(director), campaign)
    assert "has not approved every decision" in page and "DE 1 decision" in page
    decision = Decision.objects.get()
    decision_approve(
        by=member(Role.LEGAL),
        decision=decision,
        fingerprint=decision.fingerprint,
        reason="Checked: the archive duty prevails.",
    )
    assert "has not approved every decision" not in _page(client_for(director), campaign)
