"""Build a campaign's notices as SMTP-ready bytes, cheaply, one recipient after another.

`messages.build_email` (Django's EmailMultiAlternatives) costs several milliseconds of CPU per
notice, mostly in the email package's generic header folding. A campaign sends the same
notice in a handful of languages, so a Composer prepares per language, once, everything that
does not depend on the recipient (company, deletion date in that language's format, From,
Reply-To, encoded subject when it has no per-recipient variable) and per recipient only
renders the sandboxed templates, signs the two links and joins the MIME parts: headers
RFC 2047-encoded where not ASCII, bodies in UTF-8 (7bit when ASCII, else base64).
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr

from django.conf import settings
from django.core.mail.message import sanitize_address
from django.urls import reverse

from notices.messages import (
    LOCAL_SCRIPT_LANGUAGES,
    build_email,
    format_date,
    from_address,
    template_for,
)
from notices.models import Campaign, Delivery, Language, NoticeTemplate
from notices.rendering import RenderedNotice, render_notice
from notices.tokens import UNSUBSCRIBE_SALT, Minter, links_expire

CRLF = "\r\n"


def encode_header(name: str, value: str) -> str:
    """`Name: value` folded, RFC 2047-encoded in UTF-8 when not ASCII (no trailing CRLF)."""
    if value.isascii() and len(name) + len(value) < 76:
        return f"{name}: {value}"
    folded = Header(value, "utf-8", header_name=name).encode(linesep=CRLF)
    return f"{name}: {folded}"


def address_header(name: str, address: str) -> str:
    display, addr = parseaddr(address)
    return f"{name}: {formataddr((display, addr), charset='utf-8')}"


def mime_part(content_type: str, body: str) -> str:
    if body.isascii() and max(map(len, body.splitlines()), default=0) < 990:
        encoded = body.replace("\r\n", "\n").replace("\n", CRLF)
        cte = "7bit"
    else:
        encoded = base64.encodebytes(body.encode()).decode("ascii").replace("\n", CRLF) or CRLF
        cte = "base64"
    return (
        f'Content-Type: {content_type}; charset="utf-8"{CRLF}'
        f"Content-Transfer-Encoding: {cte}{CRLF}{CRLF}{encoded}"
    )


@dataclass(frozen=True)
class Outgoing:
    sender: str  # envelope sender (bare address)
    to: str  # envelope recipient
    data: bytes  # the whole message, CRLF line ends


class _Language:
    """What the notices of one campaign in one language share."""

    def __init__(self, campaign: Campaign, template: NoticeTemplate, language: str):
        winddown = campaign.winddown
        company = winddown.company_legal_name
        if language in LOCAL_SCRIPT_LANGUAGES and winddown.company_local_name:
            company = winddown.company_local_name
        self.template = template
        self.context = {
            "company_name": company,
            "deletion_date": format_date(winddown.deletion_deadline, language),
            "support_email": campaign.support_email or winddown.support_email,
            "support_phone": campaign.support_phone or winddown.support_phone,
        }
        reply_to = campaign.reply_to or campaign.support_email or winddown.support_email
        content_language = "zh-Hans" if language == Language.ZH_HANS else language
        fixed = [
            address_header("From", from_address(campaign)),
            address_header("Reply-To", reply_to) if reply_to else "",
            "MIME-Version: 1.0",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            f"Content-Language: {content_language}",
        ]
        self.fixed = CRLF.join(line for line in fixed if line)
        self._subjects: dict[str, str] = {}

    def subject(self, subject: str) -> str:
        if subject not in self._subjects:
            if len(self._subjects) > 64:  # per-recipient subjects: do not hoard them
                self._subjects.clear()
            self._subjects[subject] = encode_header("Subject", subject)
        return self._subjects[subject]


def _link(name: str, slug: str) -> str:
    """The absolute URL of a token link with `{}` where the token goes."""
    marker = "TOKEN-MARKER"
    url = settings.SITE_URL + reverse(name, kwargs={"slug": slug, "token": marker})
    return url.replace("{", "{{").replace("}", "}}").replace(marker, "{}")


def _fingerprint(campaign: Campaign, templates: dict[str, NoticeTemplate]) -> tuple:
    """Everything a Composer prepares once depends on (compared, so a change builds anew)."""
    winddown = campaign.winddown
    return (
        campaign.pk,
        campaign.from_email,
        campaign.reply_to,
        campaign.support_email,
        campaign.support_phone,
        winddown.pk,
        winddown.slug,
        winddown.company_legal_name,
        winddown.company_local_name,
        winddown.deletion_deadline,
        winddown.support_email,
        winddown.support_phone,
        tuple((lang, t.subject, t.text_body, t.html_body) for lang, t in sorted(templates.items())),
        settings.SITE_URL,
        settings.DEFAULT_FROM_EMAIL,
        settings.NOTICES_LINK_GRACE_DAYS,
        settings.SECRET_KEY,  # the links' Minters are keyed with it
    )


_composers: dict[tuple, Composer] = {}


def composer_for(campaign: Campaign, templates: dict[str, NoticeTemplate]) -> Composer:
    """The worker process's Composer for the campaign as it is now, kept across batches.

    Preparing a language (encoded subject, addresses, the links' URL pattern) costs a few
    milliseconds; a campaign sends thousands of batches with the same texts.
    """
    key = _fingerprint(campaign, templates)
    composer = _composers.get(key)
    if composer is None:
        if len(_composers) >= 16:
            _composers.clear()
        composer = _composers[key] = Composer(campaign, templates)
    composer.campaign, composer.templates = campaign, templates
    return composer


class Composer:
    """Turns a campaign's deliveries into Outgoing messages (SMTP backend fast path)."""

    def __init__(self, campaign: Campaign, templates: dict[str, NoticeTemplate]):
        self.campaign = campaign
        self.templates = templates
        self.sender = sanitize_address(parseaddr(from_address(campaign))[1], "utf-8")
        self._languages: dict[str, _Language] = {}
        # The links differ only in their token: resolve the URL pattern once.
        slug = campaign.winddown.slug
        self._personal = _link("notices:personal-page", slug)
        self._unsubscribe = _link("notices:unsubscribe", slug)
        expires = links_expire(campaign.winddown)
        self._personal_tokens = Minter(expires)
        self._unsubscribe_tokens = Minter(expires, salt=UNSUBSCRIBE_SALT)

    def _language(self, language: str) -> _Language:
        if language not in self._languages:
            template = template_for(self.templates, language)
            self._languages[language] = _Language(self.campaign, template, language)
        return self._languages[language]

    def compose(self, delivery: Delivery) -> Outgoing:
        recipient = delivery.recipient
        shared = self._language(recipient.language)
        unsubscribe = self._unsubscribe.format(self._unsubscribe_tokens.token(recipient.pk))
        context = {
            **shared.context,
            "customer_name": recipient.name,
            "customer_email": recipient.email,
            "customer_ref": recipient.customer_ref,
            "personal_link": self._personal.format(self._personal_tokens.token(recipient.pk)),
            "unsubscribe_link": unsubscribe,
        }
        rendered = render_notice(shared.template, context)
        if not recipient.email.isascii():  # rare: let Django encode the address
            return self._compose_with_django(delivery, rendered)
        boundary = f"==windown-{secrets.token_hex(12)}=="
        headers = [
            f'Content-Type: multipart/alternative; boundary="{boundary}"',
            shared.subject(rendered.subject),
            shared.fixed,
            f"To: {recipient.email}",
            f"Date: {formatdate(localtime=settings.EMAIL_USE_LOCALTIME)}",
            f"Message-ID: {delivery.message_id}",
            f"List-Unsubscribe: <{unsubscribe}>",
        ]
        message = (
            CRLF.join(headers)
            + CRLF
            + CRLF
            + f"--{boundary}{CRLF}"
            + mime_part("text/plain", rendered.text)
            + f"{CRLF}--{boundary}{CRLF}"
            + mime_part("text/html", rendered.html)
            + f"{CRLF}--{boundary}--{CRLF}"
        )
        return Outgoing(self.sender, recipient.email, message.encode("ascii"))

    def _compose_with_django(self, delivery: Delivery, rendered: RenderedNotice) -> Outgoing:
        delivery.recipient.winddown = self.campaign.winddown
        email = build_email(
            campaign=self.campaign,
            recipient=delivery.recipient,
            rendered=rendered,
            message_id=delivery.message_id,
        )
        data = email.message().as_bytes(linesep=CRLF)
        return Outgoing(self.sender, sanitize_address(delivery.recipient.email, "utf-8"), data)
