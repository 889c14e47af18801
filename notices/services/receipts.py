"""The completion receipt: once a jurisdiction's destruction is certified, tell its notified
customers what was deleted and when, what is kept until when, the certificates that prove it,
and until when they may appeal.

Destruction decides that a jurisdiction is certified and hands over the facts it owns
(destruction.services.receipts); this module makes one receipt campaign per jurisdiction (a
database constraint: a second run sends nothing twice) and starts it on the notices' own
sending path, with the same guarantees and languages as the notice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from notices.defaults import default_receipt
from notices.models import Campaign, Language, NoticeTemplate, ReceiptTemplate
from notices.selectors import audience_of
from notices.services.campaigns import campaign_begin
from windown import roles
from windown.audit import audit_record
from windown.models import Membership, WindDown


def receipt_template(winddown: WindDown, language: str) -> dict[str, str]:
    """The wind-down's receipt in `language` as edited, else the shipped one."""
    edited = ReceiptTemplate.objects.filter(winddown=winddown, language=language).first()
    if edited is None:
        return default_receipt(language)
    return {
        "language": language,
        "subject": edited.subject,
        "text_body": edited.text_body,
        "html_body": edited.html_body,
    }


@transaction.atomic
def receipt_template_save(
    *, by: Membership, language: str, subject: str, text_body: str, html_body: str
) -> ReceiptTemplate:
    """Save the wind-down's receipt in one language; unsafe or unknown variables are refused."""
    roles.require(by, "notices.manage")
    template = ReceiptTemplate.objects.filter(winddown=by.winddown, language=language).first()
    template = template or ReceiptTemplate(winddown=by.winddown, language=language)
    template.subject, template.text_body, template.html_body = subject, text_body, html_body
    template.full_clean()
    template.save()
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="notices.receipt_template_saved",
        obj=template,
        payload={"language": language, "subject": subject},
    )
    return template


def appeal_until(today: dt.date | None = None) -> dt.date:
    """The last day of the appeal window of a receipt sent today (NOTICES_APPEAL_DAYS)."""
    return (today or timezone.localdate()) + dt.timedelta(days=settings.NOTICES_APPEAL_DAYS)


def receipts_send(
    *,
    winddown: WindDown,
    jurisdiction: str,
    certificates: list[dict[str, str]],
    deleted: list[dict[str, Any]],
    actor=None,
) -> Campaign | None:
    """Create and start the receipt campaign of a certified jurisdiction; None if it exists.

    `certificates`: [{"serial", "verify_url"}]; `deleted`: [{"key", "label_en", "label_zh",
    "destroyed_on" (ISO date)}]. The customers are those of the jurisdiction a notice was
    delivered to (notices.selectors.audience_of).
    """
    if Campaign.objects.filter(
        winddown=winddown, kind=Campaign.Kind.RECEIPT, receipt_jurisdiction=jurisdiction
    ).exists():
        return None
    campaign = Campaign(
        winddown=winddown,
        kind=Campaign.Kind.RECEIPT,
        name=f"Completion receipt · {jurisdiction}",
        audience_jurisdictions=[jurisdiction],
        receipt_jurisdiction=jurisdiction,
        receipt_facts={"deleted": deleted, "certificates": certificates},
        appeal_until=appeal_until(),
        support_email=winddown.support_email,
        support_phone=winddown.support_phone,
        reply_to=winddown.support_email,
    )
    if not audience_of(campaign).exists():
        return None  # nobody to tell yet: a later run, once someone was notified, sends it
    campaign.full_clean(validate_constraints=False)  # the unique receipt: the INSERT decides
    try:
        with transaction.atomic():
            campaign.save()
            NoticeTemplate.objects.bulk_create(
                NoticeTemplate(campaign=campaign, **receipt_template(winddown, language))
                for language in Language.values
            )
            audit_record(
                winddown=winddown,
                actor=actor,
                action="notices.receipts_started",
                obj=campaign,
                payload={
                    "jurisdiction": jurisdiction,
                    "certificates": [c["serial"] for c in certificates],
                    "appeal_until": campaign.appeal_until,
                },
            )
            campaign.winddown = winddown
            campaign_begin(campaign=campaign, actor=actor)
    except IntegrityError:  # a concurrent run made it first
        return None
    return campaign
