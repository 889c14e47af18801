"""Where events about an account (not about one wind-down's data) are audited.

The audit trail is per wind-down. An account's lockout, unlock or second-factor change matters
to every wind-down the person can act in, so it is recorded in each of their wind-downs'
chains; an account with no membership (or an address alone) leaves its trace in the log
and in django-axes' attempt tables, which the admin shows.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from windown.audit import audit_record
from windown.models import User, WindDown

log = logging.getLogger("windown.security")


def audit_account_event(
    *,
    user: User | None,
    action: str,
    actor: User | None,
    payload: dict[str, Any],
    actor_label: str | None = None,
) -> int:
    """Record `action` about `user` in each of their wind-downs; return how many chains."""
    log.info("%s %s", action, payload)
    if user is None:
        return 0
    winddowns = list(WindDown.objects.filter(memberships__user=user).distinct().order_by("pk"))
    with transaction.atomic():
        for winddown in winddowns:
            audit_record(
                winddown=winddown,
                actor=actor,
                action=action,
                obj=user,
                payload=payload,
                actor_label=actor_label,
            )
    return len(winddowns)
