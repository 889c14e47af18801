"""The dashboard on the demo wind-down: blockers with their owner and a link that opens for that
owner, progress bars that link to their lists, and a query count that does not grow with data."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_countries import countries

from inventory.models import Holding
from windown.audit import audit_record
from windown.models import Membership
from windown.roles import Role

SLUG = "lumen-electronics"


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True)
    return {m.role: m for m in Membership.objects.filter(winddown__slug=SLUG)}


def _get(client, membership):
    client.force_login(membership.user)
    return client.get(reverse("dashboard:home", kwargs={"slug": SLUG}))


def test_every_blocker_names_its_owner_and_links_to_a_page_that_owner_can_open(client, demo):
    response = _get(client, demo[Role.DIRECTOR])
    blockers = response.context["blockers"]
    assert blockers, "the demo is mid-way: something still blocks it"
    texts = " | ".join(b.text for b in blockers)
    assert "department has not attested" in texts or "departments have not attested" in texts
    for blocker in blockers:
        owner = demo.get(blocker.owner) or demo[Role.DIRECTOR]
        client.force_login(owner.user)
        assert client.get(blocker.url).status_code == 200, blocker
    page = response.content.decode()
    assert "What stops the company from finishing" in page and blockers[0].url in page


def test_progress_bars_link_to_their_lists_and_add_up(client, demo):
    response = _get(client, demo[Role.DIRECTOR])
    bars = response.context["progress_bars"]
    assert {b.label for b in bars} >= {
        "Departments attested",
        "Decisions in force",
        "Notices delivered",
        "Records destroyed",
    }
    for bar in bars:
        assert 0 <= bar.done <= bar.total or bar.total == 0
        assert client.get(bar.url).status_code == 200
    assert 0 <= response.context["overall_percent"] <= 100


def test_the_charts_are_drawn_on_the_page_without_script(client, demo):
    response = _get(client, demo[Role.DIRECTOR])
    titles = [d.chart.title for d in response.context["charts"]]
    assert titles == [
        "Records by jurisdiction",
        "Records by data category",
        "Decisions by disposition",
        "Notices sent over time",
        "Records remaining against the deletion deadline",
    ]
    page = response.content.decode()
    assert page.count("<svg") >= len(titles) and "<script" not in page.split("<main")[1]
    jurisdictions = response.context["charts"][0]
    assert jurisdictions.bars[0].value == max(b.value for b in jurisdictions.bars[:-1])


def test_the_dashboard_reads_in_chinese(client, demo):
    client.force_login(demo[Role.DIRECTOR].user)
    response = client.get(
        reverse("dashboard:home", kwargs={"slug": SLUG}), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    page = response.content.decode()
    assert "时间线" in page and "进度" in page
    assert "What stops the company from finishing" not in page


def test_the_query_count_does_not_depend_on_the_amount_of_data(client, demo):
    client.force_login(demo[Role.DIRECTOR].user)
    url = reverse("dashboard:home", kwargs={"slug": SLUG})
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    first = Holding.objects.filter(winddown__slug=SLUG).first()
    taken = set(
        Holding.objects.filter(
            system_id=first.system_id, category_id=first.category_id
        ).values_list("source", "jurisdiction")
    )
    extra = [
        (source, code)
        for source in Holding.Source.values
        for code in [country.code for country in countries][:60]
        if (source, code) not in taken
    ]
    Holding.objects.bulk_create(
        Holding(
            winddown_id=first.winddown_id,
            system_id=first.system_id,
            category_id=first.category_id,
            source=source,
            jurisdiction=code,
            records_total=10,
        )
        for source, code in extra
    )
    assert len(extra) > 100
    winddown = Holding.objects.filter(winddown__slug=SLUG).first().winddown
    _add_sent_notices(winddown, 300)
    # the data map import that adds holdings appends to the audit chain, so the figures kept
    # while it stays (destruction's deletion progress) are read again, as in the first request
    audit_record(winddown=winddown, actor=None, action="inventory.datamap_imported")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def _add_sent_notices(winddown, count: int) -> None:
    """A campaign of `count` notices, sent over the past days, some bounced, some still queued."""
    from notices.models import Campaign, Delivery, Recipient

    campaign = Campaign.objects.create(
        winddown=winddown, name="Second notice", status=Campaign.Status.DONE
    )
    people = Recipient.objects.bulk_create(
        Recipient(winddown=winddown, email=f"more{i}@customers.example", name=f"Customer {i}")
        for i in range(count)
    )
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(
            campaign=campaign,
            recipient=person,
            message_id=f"<more{i}@test.example>",
            status=[Delivery.Status.DELIVERED, Delivery.Status.BOUNCED, Delivery.Status.QUEUED][
                i % 3
            ],
            sent_at=None if i % 3 == 2 else now - dt.timedelta(days=i % 20),
        )
        for i, person in enumerate(people)
    )


def test_the_figures_poll_for_updates_only_while_a_campaign_is_sending(client, demo):
    from notices.models import Campaign

    director = demo[Role.DIRECTOR]
    page = _get(client, director).content.decode()
    assert 'id="live"' in page and "hx-trigger" not in page
    Campaign.objects.filter(winddown__slug=SLUG).update(status=Campaign.Status.SENDING)
    page = _get(client, director).content.decode()
    live_url = reverse("dashboard:live", kwargs={"slug": SLUG})
    assert f'hx-get="{live_url}"' in page and 'hx-trigger="every 5s"' in page
    fragment = client.get(live_url)
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert body.startswith('<div id="live"') and "<html" not in body
    assert "refresh every few seconds" in body


def test_a_campaign_that_names_no_support_email_blocks_and_says_why(client, demo):
    from notices.models import Campaign
    from windown.models import WindDown

    response = _get(client, demo[Role.DIRECTOR])
    assert "name no support email" not in response.content.decode()
    WindDown.objects.filter(slug=SLUG).update(support_email="")
    Campaign.objects.filter(winddown__slug=SLUG, status=Campaign.Status.DRAFT).update(
        support_email=""
    )
    response = _get(client, demo[Role.DIRECTOR])
    (blocker,) = [b for b in response.context["blockers"] if "support email" in b.text]
    assert blocker.text.startswith("1 notice campaign cannot be sent")
    assert blocker.owner == Role.SUPPORT
    client.force_login(demo[Role.SUPPORT].user)
    page = client.get(blocker.url)
    assert page.status_code == 200 and "Closure notice — all customers" in page.content.decode()
