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

from notices.facts import kept_facts
from notices.messages import (
    LOCAL_SCRIPT_LANGUAGES,
    format_date,
    from_address,
    template_for,
)
from notices.models import Campaign, Delivery, Language, NoticeTemplate
from notices.receipt_facts import receipt_context
from notices.rendering import render_notice
from notices.tokens import UNSUBSCRIBE_SALT, Minter, campaign_links_expire
from windown.headers import ascii_domain

CRLF = "\r\n"


def encode_header(name: str, value: str) -> str:
    """`Name: value` folded, RFC 2047-encoded in UTF-8 when not ASCII (no trailing CRLF).

    ASCII text that contains "=?" is encoded too: written raw, a reader would decode what
    looks like an encoded word (a customer named "=?utf-8?q?...?=").
    """
    if "\r" in value or "\n" in value:  # from a rendered variable (a customer's name)
        value = value.replace("\r", " ").replace("\n", " ")  # never a new header line
    if value.isascii() and "=?" not in value and len(name) + len(value) < 76:
        return f"{name}: {value}"
    folded = Header(value, "utf-8", header_name=name).encode(linesep=CRLF)
    return f"{name}: {folded}"


def address_header(name: str, address: str) -> str:
    """The header line; an IDN domain as punycode, a UTF-8 local part as is (SMTPUTF8)."""
    display, addr = parseaddr(address)
    addr = ascii_domain(addr)
    if addr.isascii():
        return f"{name}: {formataddr((display, addr), charset='utf-8')}"
    # formataddr refuses a UTF-8 local part: encode the display name with a stand-in
    shown = formataddr((display, "x@x"), charset="utf-8").removesuffix("x@x")
    return f"{name}: {shown}{addr}>" if display else f"{name}: {addr}"


def envelope_address(address: str) -> str:
    """The bare address for MAIL FROM: punycode domain; a UTF-8 local part kept (SMTPUTF8)."""
    addr = parseaddr(address)[1]
    if addr.rpartition("@")[0].isascii():
        return sanitize_address(addr, "utf-8")
    return ascii_domain(addr)


def mime_part(content_type: str, body: str) -> str:
    """A UTF-8 text part: 7bit when ASCII with short lines, else base64.

    Line breaks (CR, LF or CRLF) become CRLF and the body ends with one, as the standard
    library's `set_content` writes it (test_composer holds the two to the same bytes read).
    """
    canonical = b"\r\n".join(body.encode().splitlines()) + b"\r\n"
    if canonical.isascii() and max(map(len, canonical.split(b"\r\n"))) <= 998:
        encoded, cte = canonical.decode("ascii"), "7bit"
    else:
        encoded = base64.encodebytes(canonical).decode("ascii").replace("\n", CRLF)
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
            **receipt_context(campaign, language),
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
        campaign.kind,
        repr(campaign.receipt_facts),
        campaign.appeal_until,
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
        self.sender = envelope_address(from_address(campaign))
        self._languages: dict[str, _Language] = {}
        # The links differ only in their token: resolve the URL pattern once.
        slug = campaign.winddown.slug
        self._personal = _link("notices:personal-page", slug)
        self._unsubscribe = _link("notices:unsubscribe", slug)
        expires = campaign_links_expire(campaign)
        self._personal_tokens = Minter(expires)
        self._unsubscribe_tokens = Minter(expires, salt=UNSUBSCRIBE_SALT)
        # kept-until facts per (jurisdiction, language) of the batch being sent (batch_facts)
        self.facts: dict[tuple[str, str], str] = {}

    def _language(self, language: str) -> _Language:
        if language not in self._languages:
            template = template_for(self.templates, language)
            self._languages[language] = _Language(self.campaign, template, language)
        return self._languages[language]

    def _kept(self, recipient) -> str:
        key = (recipient.jurisdiction, recipient.language)
        if key not in self.facts:  # sending reads a batch's facts before it starts (batch_facts)
            self.facts[key] = kept_facts(self.campaign.winddown_id, *key)
        return self.facts[key]

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
            "kept_facts": self._kept(recipient),
        }
        rendered = render_notice(shared.template, context)
        to = recipient.email
        if not to.isascii():  # rare: an IDN domain in punycode, as Django writes it
            to = sanitize_address(to, "utf-8")
        boundary = f"==windown-{secrets.token_hex(12)}=="
        headers = [
            f'Content-Type: multipart/alternative; boundary="{boundary}"',
            shared.subject(rendered.subject),
            shared.fixed,
            f"To: {to}",
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
        # ASCII unless From or Reply-To has a UTF-8 local part (saved only if SMTPUTF8 works)
        return Outgoing(self.sender, to, message.encode("utf-8"))
