"""Signed links for customers: the personal page and the one-click unsubscribe.

The token carries the recipient's id and an expiry day; it is signed with SECRET_KEY
(django.core.signing), so a changed character is a BadSignature (403) and a link used after
its expiry is gone (410). No account, nothing stored.
"""

from __future__ import annotations

import datetime as dt

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
    """A personal link works until the deletion deadline plus a grace period."""
    grace = dt.timedelta(days=settings.NOTICES_LINK_GRACE_DAYS)
    return recipient.winddown.deletion_deadline + grace


def make_token(recipient, *, salt: str = PERSONAL_SALT, expires: dt.date | None = None) -> str:
    expires = expires or link_expiry(recipient)
    return signing.dumps({"r": recipient.pk, "e": expires.toordinal()}, salt=salt, compress=True)


def read_token(token: str, *, salt: str = PERSONAL_SALT) -> int:
    """Return the recipient id; raise BadSignature (tampered) or TokenExpired."""
    data = signing.loads(token, salt=salt)
    if timezone.localdate().toordinal() > int(data["e"]):
        raise TokenExpired(int(data["r"]))
    return int(data["r"])


def personal_url(recipient) -> str:
    kwargs = {"slug": recipient.winddown.slug, "token": make_token(recipient)}
    return settings.SITE_URL + reverse("notices:personal-page", kwargs=kwargs)


def unsubscribe_url(recipient) -> str:
    kwargs = {
        "slug": recipient.winddown.slug,
        "token": make_token(recipient, salt=UNSUBSCRIBE_SALT),
    }
    return settings.SITE_URL + reverse("notices:unsubscribe", kwargs=kwargs)
