"""Signed links for customers: the personal page and the one-click unsubscribe.

The token carries the recipient's id and an expiry day; it is signed with SECRET_KEY
(django.core.signing), so a changed character is a BadSignature (403) and a link used after
its expiry is gone (410). No account, nothing stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

PERSONAL_SALT = "notices.personal-page"
UNSUBSCRIBE_SALT = "notices.unsubscribe"


class TokenExpired(Exception):
    """The link was genuine but is past its expiry day."""

    def __init__(self, recipient_id: int):
        super().__init__(recipient_id)
        self.recipient_id = recipient_id


def link_expiry(recipient) -> dt.date:
    return links_expire(recipient.winddown)


def receipted_link_expiry(recipient) -> dt.date:
    """Like link_expiry, but as long as the link of a receipt the recipient was sent (a query:
    for single emails such as a request's confirmation, not for the sending loop)."""
    from notices.selectors import appeal_window_end  # the selectors build on the models only

    expires = link_expiry(recipient)
    appeal_until = appeal_window_end(recipient)
    if appeal_until is not None:
        expires = max(expires, _after_grace(appeal_until))
    return expires


def _after_grace(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=settings.NOTICES_LINK_GRACE_DAYS)


def links_expire(winddown) -> dt.date:
    """A personal link works until the deletion deadline plus a grace period."""
    return _after_grace(winddown.deletion_deadline)


def campaign_links_expire(campaign) -> dt.date:
    """A notice's links expire as links_expire says; a receipt's a grace period after its appeal
    window ends (so a late appeal is refused politely, with the date, rather than a dead link)."""
    expires = links_expire(campaign.winddown)
    if campaign.appeal_until is not None:
        expires = max(expires, _after_grace(campaign.appeal_until))
    return expires


def make_token(recipient, *, salt: str = PERSONAL_SALT, expires: dt.date | None = None) -> str:
    expires = expires or link_expiry(recipient)
    return signing.dumps({"r": recipient.pk, "e": expires.toordinal()}, salt=salt)


class Minter:
    """Makes the tokens `make_token` makes, byte for byte, at a fraction of the cost.

    A campaign signs two links per notice. django.core.signing derives the HMAC key from the
    salt and SECRET_KEY and builds a signer on every call; here the keyed HMAC is prepared
    once per salt and copied per token. The format is Django's TimestampSigner's
    (base64 JSON, base62 timestamp, base64 HMAC-SHA256), so `read_token` reads them (tested).
    """

    def __init__(self, expires: dt.date, *, salt: str = PERSONAL_SALT):
        secret = settings.SECRET_KEY.encode()
        key = hashlib.sha256((salt + "signer").encode() + secret).digest()
        self._mac = hmac.new(key, digestmod=hashlib.sha256)
        self._expires = expires.toordinal()
        self._second, self._stamp = -1, ""

    def token(self, recipient_id: int, now: float | None = None) -> str:
        second = int(time.time() if now is None else now)
        if second != self._second:
            self._second, self._stamp = second, signing.b62_encode(second)
        payload = f'{{"r":{int(recipient_id)},"e":{self._expires}}}'.encode()
        value = f"{signing.b64_encode(payload).decode()}:{self._stamp}"
        mac = self._mac.copy()
        mac.update(value.encode())
        return f"{value}:{signing.b64_encode(mac.digest()).decode()}"


def read_token(token: str, *, salt: str = PERSONAL_SALT) -> int:
    """Return the recipient id; raise BadSignature (tampered) or TokenExpired."""
    data = signing.loads(token, salt=salt)
    if timezone.localdate().toordinal() > int(data["e"]):
        raise TokenExpired(int(data["r"]))
    return int(data["r"])


def personal_url(recipient, *, expires: dt.date | None = None) -> str:
    kwargs = {"slug": recipient.winddown.slug, "token": make_token(recipient, expires=expires)}
    return settings.SITE_URL + reverse("notices:personal-page", kwargs=kwargs)


def unsubscribe_url(recipient, *, expires: dt.date | None = None) -> str:
    kwargs = {
        "slug": recipient.winddown.slug,
        "token": make_token(recipient, salt=UNSUBSCRIBE_SALT, expires=expires),
    }
    return settings.SITE_URL + reverse("notices:unsubscribe", kwargs=kwargs)
