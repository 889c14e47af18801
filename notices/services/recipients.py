"""Recipients: one-click unsubscribe, preview and test sends of a campaign's notice."""

from __future__ import annotations

from email.utils import make_msgid

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from notices.messages import build_email, render_for
from notices.models import Campaign, Language, Recipient
from notices.rendering import RenderedNotice
from windown import roles
from windown.audit import audit_record
from windown.models import Membership


@transaction.atomic
def recipient_unsubscribe(*, recipient: Recipient) -> Recipient:
    """Opt the recipient out of further reminders (RFC 8058 one-click); idempotent."""
    if Recipient.objects.filter(pk=recipient.pk, unsubscribed_at=None).update(
        unsubscribed_at=timezone.now()
    ):
        audit_record(
            winddown=recipient.winddown,
            actor=None,
            actor_label=f"customer:{recipient.pk}",
            action="notices.recipient_unsubscribed",
            obj=recipient,
        )
    recipient.refresh_from_db()
    return recipient


SAMPLE_NAME = "Sample Customer"
SAMPLE_EMAIL = "sample.customer@example.com"


def sample_recipient(campaign: Campaign, language: str) -> Recipient:
    """An unsaved sample customer to preview and test-send with: never a real customer's name,
    address or working personal-page and unsubscribe links (its links lead nowhere)."""
    jurisdictions = campaign.audience_jurisdictions or [""]
    return Recipient(
        pk=0,
        winddown=campaign.winddown,
        email=SAMPLE_EMAIL,
        name=SAMPLE_NAME,
        language=language,
        jurisdiction=jurisdictions[0],
        customer_ref="SAMPLE-0001",
    )


def notice_preview(*, by: Membership, campaign: Campaign, language: str) -> RenderedNotice:
    roles.require(by, "notices.view")
    if language not in Language.values:
        raise ValidationError(_("Unknown language."))
    if not campaign.templates.filter(language__in=[language, Language.EN]).exists():
        # nothing to show (a campaign recorded without its notices, as the demo's sent ones)
        raise Http404("The campaign has no notice in this language or in English.")
    return render_for(campaign, sample_recipient(campaign, language))


@transaction.atomic
def notice_test_send(*, by: Membership, campaign: Campaign, language: str, to: str) -> str:
    """Send the notice in `language`, rendered for the sample customer, to any address; the
    subject starts with [TEST] so nobody takes it for the real notice."""
    roles.require(by, "notices.manage")
    validate_email(to)
    recipient = sample_recipient(campaign, language)
    rendered = render_for(campaign, recipient)
    email = build_email(
        campaign=campaign,
        recipient=recipient,
        rendered=rendered,
        message_id=make_msgid("notice-test"),
        to=to,
    )
    email.subject = f"[TEST] {rendered.subject}"
    email.extra_headers["X-Windown-Test"] = "yes"
    email.send(fail_silently=False)
    audit_record(
        winddown=campaign.winddown,
        actor=by.user,
        action="notices.test_sent",
        obj=campaign,
        payload={"language": language, "to": to},
    )
    return rendered.subject
