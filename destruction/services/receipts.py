"""Send the completion receipt of every jurisdiction whose destruction is certified, once.

Destruction owns the facts (which jurisdictions are certified, which categories were destroyed
when, which certificates prove it); notices owns the customers and the sending. Safe to run
again and again: a jurisdiction's receipt is made once (notices.services.receipts).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from destruction.selectors.receipts import certified_jurisdictions
from notices.models import Campaign
from notices.services.receipts import receipts_send
from windown import roles
from windown.models import Membership, WindDown


def verify_url(serial: str) -> str:
    """The public verification page of a certificate (destruction/verify_urls.py)."""
    return settings.SITE_URL + reverse("verify:serial", kwargs={"serial": serial})


def receipts_send_certified(*, winddown: WindDown, actor=None) -> list[Campaign]:
    """Start the receipt of each certified jurisdiction that has none yet; return the new ones."""
    started = []
    for entry in certified_jurisdictions(winddown):
        campaign = receipts_send(
            winddown=winddown,
            jurisdiction=entry.jurisdiction,
            certificates=[{"serial": s, "verify_url": verify_url(s)} for s in entry.serials],
            deleted=entry.deleted,
            actor=actor,
        )
        if campaign is not None:
            started.append(campaign)
    return started


def receipts_send_now(*, by: Membership) -> list[Campaign]:
    """The director's (or IT's) "send receipts" step: re-runs the above, sending nothing twice."""
    roles.require(by, "destruction.certificate.issue")
    return receipts_send_certified(winddown=by.winddown, actor=by.user)


def receipts_check_later(winddown_id: int) -> None:
    """Once the current transaction commits, check for newly certified jurisdictions (a task:
    a failure to start receipts never undoes the certificate or archive that triggered it)."""
    from destruction.tasks import receipts_send  # the task module imports this one

    transaction.on_commit(lambda: receipts_send.delay(winddown_id))
