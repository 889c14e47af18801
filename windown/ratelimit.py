"""One rate limit for the public pages a link opens without an account (the notices' personal
page, the processor's confirmation form): hits per client address (or per another key, such as
the link's token) in a one-minute window, counted in the cache (shared through Redis when there
is one)."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone


def over_rate(request, *, scope: str, rate: str, key: str | None = None) -> bool:
    """Count a hit on `scope` by `key` (default: the client's address); say if over `rate`."""
    limit = int(rate.split("/")[0])
    minute = int(timezone.now().timestamp() // 60)
    who = key if key is not None else request.META.get("REMOTE_ADDR", "")
    key = f"{scope}:{who}:{minute}"
    cache.add(key, 0, timeout=61)
    try:
        return cache.incr(key) > limit
    except ValueError:  # the key expired between add and incr
        return False


def seconds_to_retry() -> int:
    """Seconds until the current one-minute window ends (for Retry-After)."""
    return 60 - int(timezone.now().timestamp()) % 60
