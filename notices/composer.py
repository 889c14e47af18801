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
from notices.tokens import UNSUBSCRIBE_SALT, link_expiry, make_token

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
    if body.isascii() and all(len(line) < 990 for line in body.splitlines()):
        encoded = body.replace("\r\n", "\n").replace("\n", CRLF)
        cte = "7bit"
    else:
        flat = base64.b64encode(body.encode()).decode("ascii")
        encoded = CRLF.join(flat[i : i + 76] for i in range(0, len(flat), 76)) + CRLF
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


class Composer:
    """Turns a campaign's deliveries into Outgoing messages (SMTP backend fast path)."""

    def __init__(self, campaign: Campaign, templates: dict[str, NoticeTemplate]):
        self.campaign = campaign
        self.templates = templates
        self.sender = sanitize_address(parseaddr(from_address(campaign))[1], "utf-8")
        self._languages: dict[str, _Language] = {}
        # The links differ only in their token: resolve the URL pattern once.
        slug = campaign.winddown.slug
        self._expires = None
        self._personal = _link("notices:personal-page", slug)
        self._unsubscribe = _link("notices:unsubscribe", slug)

    def _language(self, language: str) -> _Language:
        if language not in self._languages:
            template = template_for(self.templates, language)
            self._languages[language] = _Language(self.campaign, template, language)
        return self._languages[language]

    def compose(self, delivery: Delivery) -> Outgoing:
        recipient = delivery.recipient
        shared = self._language(recipient.language)
        recipient.winddown = self.campaign.winddown  # the same for all: not a query each
        expires = self._expires = self._expires or link_expiry(recipient)
        token = make_token(recipient, salt=UNSUBSCRIBE_SALT, expires=expires)
        unsubscribe = self._unsubscribe.format(token)
        context = {
            **shared.context,
            "customer_name": recipient.name,
            "customer_email": recipient.email,
            "customer_ref": recipient.customer_ref,
            "personal_link": self._personal.format(make_token(recipient, expires=expires)),
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
        email = build_email(
            campaign=self.campaign,
            recipient=delivery.recipient,
            rendered=rendered,
            message_id=delivery.message_id,
        )
        data = email.message().as_bytes(linesep=CRLF)
        return Outgoing(self.sender, sanitize_address(delivery.recipient.email, "utf-8"), data)
