"""Every download is audited: the one helper that records who took which copy of what.

A download is recorded when it is requested, before the first byte is sent (a streamed export
that the client aborts was still handed out). Its action is always `<area>.<what>_downloaded`,
so the audit trail (and the test that an auditor changes nothing but this) can tell downloads
from every other event.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from windown.audit import audit_record
from windown.models import AuditEvent, Membership

DOWNLOADED = "_downloaded"


def download_record(
    *,
    by: Membership,
    what: str,
    obj: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record in the wind-down's audit trail that the member downloaded `what` (`area.thing`)."""
    with transaction.atomic():
        return audit_record(
            winddown=by.winddown,
            actor=by.user,
            action=f"{what}{DOWNLOADED}",
            obj=obj,
            payload={"role": by.role, **(payload or {})},
        )


def is_download(action: str) -> bool:
    """Say whether an audit action records a download."""
    return action.endswith(DOWNLOADED)
