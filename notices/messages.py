"""Build the notice email of one delivery: context, rendering, headers."""

from __future__ import annotations

from email.utils import formataddr, parseaddr

from django.conf import settings

from notices.dates import format_date
from notices.facts import kept_facts
from notices.models import Campaign, Delivery, Language, NoticeTemplate, Recipient
from notices.receipt_facts import receipt_context
from notices.rendering import RenderedNotice, render_notice
from notices.tokens import campaign_links_expire, personal_url, unsubscribe_url
from windown.headers import EmailMultiAlternatives

LOCAL_SCRIPT_LANGUAGES = {Language.ZH_HANS, Language.JA}


def notice_context(
    campaign: Campaign, recipient: Recipient, kept: str | None = None
) -> dict[str, str]:
    """The whitelisted variables of one recipient's notice, as plain strings."""
    winddown = campaign.winddown
    company = winddown.company_legal_name
    if recipient.language in LOCAL_SCRIPT_LANGUAGES and winddown.company_local_name:
        company = winddown.company_local_name
    expires = campaign_links_expire(campaign)  # no query: this runs in the sending loop
    context = {
        "customer_name": recipient.name,
        "customer_email": recipient.email,
        "customer_ref": recipient.customer_ref,
        "company_name": company,
        "deletion_date": format_date(winddown.deletion_deadline, recipient.language),
        "personal_link": personal_url(recipient, expires=expires),
        "unsubscribe_link": unsubscribe_url(recipient, expires=expires),
        "kept_facts": kept
        if kept is not None
        else kept_facts(winddown.pk, recipient.jurisdiction, recipient.language),
        "support_email": campaign.support_email or winddown.support_email,
        "support_phone": campaign.support_phone or winddown.support_phone,
        **receipt_context(campaign, recipient.language),
    }
    return context


def template_for(templates: dict[str, NoticeTemplate], language: str) -> NoticeTemplate:
    """Pick the notice in the recipient's language, or the English one."""
    return templates.get(language) or templates[Language.EN]


def from_address(campaign: Campaign) -> str:
    return campaign.from_email or from_address_for(campaign.winddown)


def from_address_for(winddown) -> str:
    """The company's name on the installation's sending address."""
    return formataddr((winddown.company_legal_name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def build_email(
    *,
    campaign: Campaign,
    recipient: Recipient,
    rendered: RenderedNotice,
    message_id: str,
    to: str | None = None,
) -> EmailMultiAlternatives:
    """Assemble the multipart/alternative message with the delivery's stable Message-ID."""
    reply_to = campaign.reply_to or campaign.support_email or campaign.winddown.support_email
    expires = campaign_links_expire(campaign)
    headers = {
        "Message-ID": message_id,
        "List-Unsubscribe": f"<{unsubscribe_url(recipient, expires=expires)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Content-Language": "zh-Hans"
        if recipient.language == Language.ZH_HANS
        else recipient.language,
    }
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=from_address(campaign),
        to=[to or recipient.email],
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def render_for(
    campaign: Campaign, recipient: Recipient, templates=None, kept: str | None = None
) -> RenderedNotice:
    templates = templates or {t.language: t for t in campaign.templates.all()}
    return render_notice(
        template_for(templates, recipient.language), notice_context(campaign, recipient, kept)
    )


def delivery_email(delivery: Delivery, templates: dict[str, NoticeTemplate], facts=None):
    recipient = delivery.recipient
    kept = (facts or {}).get((recipient.jurisdiction, recipient.language))
    rendered = render_for(delivery.campaign, recipient, templates, kept)
    email = build_email(
        campaign=delivery.campaign,
        recipient=delivery.recipient,
        rendered=rendered,
        message_id=delivery.message_id,
    )
    # An ESP (through anymail) echoes this in its tracking webhooks; SMTP ignores it.
    email.metadata = {"delivery_id": str(delivery.pk)}
    return email
