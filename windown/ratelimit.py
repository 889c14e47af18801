"""One rate limit for the public pages a link opens without an account (the notices' personal
page, the processor's confirmation form): hits per client address in a one-minute window,
counted in the cache (shared through Redis when there is one)."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone


def over_rate(request, *, scope: str, rate: str) -> bool:
    """Count this client's hit on `scope`; say whether it is over `rate` ("30/m")."""
    limit = int(rate.split("/")[0])
    minute = int(timezone.now().timestamp() // 60)
    key = f"{scope}:{request.META.get('REMOTE_ADDR', '')}:{minute}"
    cache.add(key, 0, timeout=61)
    try:
        return cache.incr(key) > limit
    except ValueError:  # the key expired between add and incr
        return False
