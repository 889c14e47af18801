"""Shared steps of the notices tests."""

from __future__ import annotations

import datetime as dt

from notices import sending
from notices.models import Campaign, Recipient
from notices.services.campaigns import campaign_create, campaign_start

LANGUAGES = ["en", "de", "fr", "ja", "zh-hans", "es"]
NAMES = {
    "en": "Olivia Brown",
    "de": "Jürgen Müller",
    "fr": "Amélie Dubois",
    "ja": "山田 花子",
    "zh-hans": "王小明",
    "es": "José Núñez",
}


def recipients(winddown, count: int, *, prefix: str = "customer") -> list[Recipient]:
    return Recipient.objects.bulk_create(
        Recipient(
            winddown=winddown,
            email=f"{prefix}{i}@example.com",
            name=NAMES[LANGUAGES[i % 6]],
            language=LANGUAGES[i % 6],
            jurisdiction=["DE", "FR", "JP", "CN", "ES", "US-CA"][i % 6],
        )
        for i in range(count)
    )


def far_deadline(winddown) -> None:
    """Move the deletion deadline so that sending now respects the notice lead time."""
    winddown.deletion_deadline = dt.date.today() + dt.timedelta(days=90)
    winddown.save(update_fields=["deletion_deadline"])


def started_campaign(director, *, rate_limit: int = 1000, **fields) -> Campaign:
    far_deadline(director.winddown)
    campaign = campaign_create(by=director, name="Closure notice", rate_limit=rate_limit, **fields)
    return campaign_start(by=director, campaign=campaign)


def drain(campaign: Campaign, *, worker: str = "test-worker", loops: int = 1000) -> None:
    """Work the campaign in this process as a worker would, until nothing is due."""
    for _ in range(loops):
        outcome = sending.run_batch(campaign.pk, worker=worker)
        if outcome is not sending.Batch.SENT:
            sending.campaign_finish_if_complete(campaign.pk)
            return
