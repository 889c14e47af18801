"""Registering, changing and re-keying webhook endpoints (the director's work)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from windown import roles
from windown.audit import audit_record
from windown.models import Membership
from windown.updates import update_audited
from windown.webhooks.events import EVENT_TYPES
from windown.webhooks.models import WebhookEndpoint
from windown.webhooks.secrets import secret_encrypt, secret_generate

PERM = "webhooks.manage"
EDITABLE = ("url", "description", "events", "is_active")


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and settings.WEBHOOKS_ALLOW_HTTP):
        raise ValidationError({"url": _("Webhook URLs must use https.")})
    if parts.username or parts.password:
        raise ValidationError({"url": _("Put no user name or password in the URL.")})
    if settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        return
    host = (parts.hostname or "").lower()
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if (
        host == "localhost"
        or host.endswith(".localhost")
        or (literal is not None and (not literal.is_global or literal.is_multicast))
    ):
        raise ValidationError({"url": _("Webhooks may not be sent to private or local addresses.")})


def _check_events(events: Iterable[str]) -> list[str]:
    events = sorted(set(events))
    unknown = [e for e in events if e not in EVENT_TYPES]
    if unknown or not events:
        raise ValidationError({"events": _("Choose one or more of the listed events.")})
    return events


def _validate(endpoint: WebhookEndpoint) -> None:
    _check_url(endpoint.url)
    endpoint.events = _check_events(endpoint.events)
    endpoint.full_clean()


@transaction.atomic
def endpoint_create(
    *, by: Membership, url: str, events: Iterable[str], description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; return it and its signing secret (shown once, never again)."""
    roles.require(by, PERM)
    secret = secret_generate()
    endpoint = WebhookEndpoint(
        winddown=by.winddown,
        url=url.strip(),
        description=description.strip(),
        events=list(events),
        secret_encrypted=secret_encrypt(secret),
        secret_prefix=secret[:10],
        created_by=by.user,
    )
    _validate(endpoint)
    endpoint.save()
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="webhooks.endpoint_created",
        obj=endpoint,
        payload={"url": endpoint.url, "events": endpoint.events},
    )
    return endpoint, secret


@transaction.atomic
def endpoint_update(
    *, by: Membership, endpoint: WebhookEndpoint, **changes: Any
) -> WebhookEndpoint:
    """Change an endpoint's URL, description, events, or enable/disable it."""
    roles.require(by, PERM)
    endpoint = WebhookEndpoint.objects.select_for_update().get(
        pk=endpoint.pk, winddown_id=by.winddown_id
    )
    update_audited(
        instance=endpoint,
        changes=changes,
        editable=EDITABLE,
        winddown=by.winddown,
        actor=by.user,
        action="webhooks.endpoint_updated",
        payload={"url": endpoint.url},
        validate=_validate,
    )
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, by: Membership, endpoint: WebhookEndpoint) -> str:
    """Replace the endpoint's signing secret; return the new one (shown once)."""
    roles.require(by, PERM)
    endpoint = WebhookEndpoint.objects.select_for_update().get(
        pk=endpoint.pk, winddown_id=by.winddown_id
    )
    secret = secret_generate()
    endpoint.secret_encrypted = secret_encrypt(secret)
    endpoint.secret_prefix = secret[:10]
    endpoint.save(update_fields=["secret_encrypted", "secret_prefix"])
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="webhooks.endpoint_secret_rotated",
        obj=endpoint,
        payload={"url": endpoint.url},
    )
    return secret
