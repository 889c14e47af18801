"""Sign-in lockout (django-axes): who is counted, what a locked-out client sees, and unlocking.

Failures count per account (the e-mail address in any letter case) and per client address;
either reaching LOGIN_FAILURE_LIMIT locks it for LOGIN_LOCKOUT_MINUTES. The lock is audited
once (see account_audit); the director of a wind-down unlocks its members on the team page,
an administrator anyone with `manage.py unlock_login`.
"""

from __future__ import annotations

from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from windown.models import User
from windown.security.account_audit import audit_account_event

_AUDITED = "windown:lockout-audited:{}"


def username_of(request: HttpRequest, credentials: dict | None) -> str:
    """The account an attempt is counted against: the e-mail address, lower-cased."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field) or (credentials or {}).get("username")
    if value is None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get(field, "") if hasattr(data, "get") else ""
    return str(value).strip().lower()


def client_address(request: HttpRequest) -> str:
    """The client's address as the page rate limits count it (REMOTE_ADDR, never a header)."""
    return request.META.get("REMOTE_ADDR", "")


def retry_seconds(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 3600


def locked_out_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The 429 a locked-out client gets: JSON for the API, a page for the browser."""
    seconds = retry_seconds(request)
    minutes = max(1, seconds // 60)
    message = _(
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes, or ask your "
        "wind-down's director or an administrator to unlock your account."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def record_lockout(*, username: str, ip_address: str) -> None:
    """Audit a new lockout once per lock (axes signals again on every refused attempt)."""
    if not cache.add(_AUDITED.format(username or ip_address), 1, timeout=retry_seconds()):
        return
    user = User.objects.filter(email__iexact=username).first() if username else None
    audit_account_event(
        user=user,
        action="account.locked_out",
        actor=None,
        payload={"email": username, "ip_address": ip_address},
        actor_label="axes",
    )


def locked_emails(emails: list[str]) -> set[str]:
    """The accounts among `emails` whose sign-in is locked now (one query)."""
    since = timezone.now() - timedelta(seconds=retry_seconds())
    rows = (
        AccessAttempt.objects.filter(username__in=[e.lower() for e in emails])
        .filter(attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    return {row["username"] for row in rows}


def login_unlock(
    *, email: str = "", ip_address: str = "", by: User | None, actor_label: str | None = None
) -> int:
    """Lift the lock of an account and/or an address; audit it; return the attempts removed."""
    email = email.strip().lower()
    removed = 0
    if email:
        removed += reset(username=email)
        cache.delete(_AUDITED.format(email))
    if ip_address:
        removed += reset(ip=ip_address)
        cache.delete(_AUDITED.format(ip_address))
    user = User.objects.filter(email__iexact=email).first() if email else None
    audit_account_event(
        user=user,
        action="account.unlocked",
        actor=by,
        payload={"email": email, "ip_address": ip_address, "attempts_removed": removed},
        actor_label=actor_label,
    )
    return removed
