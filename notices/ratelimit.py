"""A send-rate limit shared by every worker: one schedule of send slots per campaign.

Each message reserves the next free slot (GCRA, the token bucket written as a schedule) and
waits until it comes. With REDIS_URL the schedule lives in Redis and a Lua script reserves
atomically on Redis's clock; without Redis (a laptop on SQLite) a locked row holds it.
"""

from __future__ import annotations

import logging
import time
from functools import cache

from django.conf import settings
from django.db import transaction

from notices.models import RateLimitSlot

log = logging.getLogger(__name__)

_RESERVE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local interval = tonumber(ARGV[1])
local slot = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
redis.call('SET', KEYS[1], tostring(slot + interval), 'EX', 3600)
return tostring(slot - now)
"""


@cache
def _redis_script():
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    return client.register_script(_RESERVE)


def _reserve_in_db(campaign_id: int, interval: float) -> float:
    with transaction.atomic():
        row, _ = RateLimitSlot.objects.select_for_update().get_or_create(campaign_id=campaign_id)
        now = time.time()
        slot = max(row.next_at, now)
        row.next_at = slot + interval
        row.save(update_fields=["next_at"])
    return slot - now


def reserve(campaign_id: int, per_second: int) -> float:
    """Reserve the campaign's next send slot; return how many seconds to wait for it."""
    interval = 1.0 / max(per_second, 1)
    if settings.REDIS_URL:
        try:
            return float(
                _redis_script()(keys=[f"windown:notices:rate:{campaign_id}"], args=[interval])
            )
        except Exception:  # Redis unreachable: keep the limit through the database
            log.warning("Rate limiter: Redis unavailable, using the database", exc_info=True)
    return _reserve_in_db(campaign_id, interval)


def wait_for_slot(campaign_id: int, per_second: int) -> None:
    delay = reserve(campaign_id, per_second)
    if delay > 0:
        time.sleep(delay)
