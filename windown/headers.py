"""Values that end up in email headers (From, Reply-To, display names, subjects) are checked
when they are saved: model field validators, so the form, the API and the services refuse
the same values in one place.

A CR or LF would start a new header (header injection); other control characters have no
business in a header either. Internationalised addresses: an IDN domain is written as
punycode on the wire and needs nothing from the transport; a UTF-8 local part (RFC 6531)
needs a transport that offers SMTPUTF8. For Django's SMTP backend that is asked of the
server itself (EHLO); for other backends the WINDOWN_EMAIL_SMTPUTF8 setting says.
"""

from __future__ import annotations

import smtplib
import ssl
import time
import unicodedata
from email.header import Header
from email.utils import parseaddr

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_checked: dict[tuple, tuple[float, bool]] = {}
CHECK_SECONDS = 300


def validate_header_text(value: str) -> None:
    """Refuse CR, LF and other control characters (and line/paragraph separators)."""
    bad = [ch for ch in value or "" if unicodedata.category(ch) in ("Cc", "Zl", "Zp")]
    if bad:
        raise ValidationError(
            _(
                "Line breaks and control characters are not allowed here (found %(chars)s): "
                "the value goes into an email header."
            )
            % {"chars": ", ".join(sorted({f"U+{ord(ch):04X}" for ch in bad}))},
            code="header_control",
        )


def transport_supports_smtputf8() -> bool:
    """Whether the configured mail transport accepts UTF-8 local parts (SMTPUTF8)."""
    if settings.EMAIL_BACKEND != SMTP_BACKEND:
        return bool(settings.WINDOWN_EMAIL_SMTPUTF8)
    key = (settings.EMAIL_HOST, int(settings.EMAIL_PORT), settings.EMAIL_USE_SSL)
    known = _checked.get(key)
    if known and time.monotonic() - known[0] < CHECK_SECONDS:
        return known[1]
    try:
        if settings.EMAIL_USE_SSL:
            smtp = smtplib.SMTP_SSL(
                key[0], key[1], timeout=10, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(key[0], key[1], timeout=10)
        with smtp:
            smtp.ehlo()
            supported = smtp.has_extn("smtputf8")
    except (OSError, smtplib.SMTPException):
        return bool(settings.WINDOWN_EMAIL_SMTPUTF8)  # cannot ask now: the setting says
    _checked[key] = (time.monotonic(), supported)
    return supported


@deconstructible
class HeaderAddressValidator:
    """An address for From or Reply-To: "Name <user@domain>" if `display_name`, else bare."""

    def __init__(self, display_name: bool = False):
        self.display_name = display_name

    def __call__(self, value: str) -> None:
        if not value:
            return
        validate_header_text(value)
        name, address = parseaddr(value)
        if not address or (name and not self.display_name) or "@" not in address:
            raise ValidationError(_("Enter a valid email address."), code="invalid")
        local, _at, domain = address.rpartition("@")
        try:
            ascii_domain = domain.encode("idna").decode("ascii")
        except UnicodeError as error:
            raise ValidationError(
                _("The domain “%(domain)s” is not a valid internationalised domain name.")
                % {"domain": domain},
                code="idn",
            ) from error
        if not local.isascii():
            if not transport_supports_smtputf8():
                raise ValidationError(
                    _(
                        "“%(address)s” has non-ASCII characters before the @, which needs "
                        "SMTPUTF8 (RFC 6531); the configured mail transport does not offer it. "
                        "Use an ASCII address."
                    )
                    % {"address": address},
                    code="smtputf8",
                )
            local = "user"  # checked as UTF-8 by the transport; the form is checked below
        EmailValidator()(f"{local}@{ascii_domain}")

    def __eq__(self, other) -> bool:
        return isinstance(other, HeaderAddressValidator) and other.display_name == (
            self.display_name
        )


def ascii_domain(address: str) -> str:
    """The address with an internationalised domain written as punycode."""
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return address
    return f"{local}@{domain.encode('idna').decode('ascii')}"


class _SubjectFoldedAfterName:
    """Fold a non-ASCII subject after "Subject: ", as a mail client writes it.

    Django encodes the subject without the header's name, and the email package then folds
    the encoded words onto the next line, leaving "Subject:" empty; a reader that unfolds the
    header (Python's default policy among them) shows the subject with a leading space.
    """

    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        subject = str(self.subject)
        if not subject.isascii():
            msg.replace_header("Subject", Header(subject, "utf-8", header_name="Subject"))
        return msg


class EmailMessage(_SubjectFoldedAfterName, mail.EmailMessage):
    """Django's EmailMessage with the subject folded after its name."""


class EmailMultiAlternatives(_SubjectFoldedAfterName, mail.EmailMultiAlternatives):
    """Django's EmailMultiAlternatives with the subject folded after its name."""
