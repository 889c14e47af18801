"""Signed, expiring links to a processor's confirmation form (no account, nothing stored).

The token carries the request's id and the last day it opens, signed with SECRET_KEY under its
own salt (django.core.signing): a changed character is a BadSignature (403), a genuine link
past its day is gone (410). Each email carries a fresh link, so a reminder extends the window.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

SALT = "destruction.processor-request"


class LinkExpired(Exception):
    """The link was genuine but is past its last day."""

    def __init__(self, request_id: int):
        super().__init__(request_id)
        self.request_id = request_id


def link_expiry(deadline: dt.date | None, today: dt.date | None = None) -> dt.date:
    """A link opens until the later of the deadline and today, plus the configured days."""
    today = today or timezone.localdate()
    start = max(deadline or today, today)
    return start + dt.timedelta(days=settings.DESTRUCTION_PROCESSOR_LINK_DAYS)


def make_token(request_id: int, expires: dt.date) -> str:
    return signing.dumps({"p": int(request_id), "e": expires.toordinal()}, salt=SALT)


def read_token(token: str) -> int:
    """Return the request id; raise BadSignature (tampered) or LinkExpired."""
    data = signing.loads(token, salt=SALT)
    if timezone.localdate().toordinal() > int(data["e"]):
        raise LinkExpired(int(data["p"]))
    return int(data["p"])


def confirmation_url(request, expires: dt.date) -> str:
    kwargs = {"slug": request.winddown.slug, "token": make_token(request.pk, expires)}
    return settings.SITE_URL + reverse("destruction:processor-confirm", kwargs=kwargs)
