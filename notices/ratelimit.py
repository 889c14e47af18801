"""A send-rate limit shared by every worker: one schedule of send slots per campaign.

Each message reserves the next free slot (GCRA, the token bucket written as a schedule) and
waits until it comes. At high limits a worker reserves a few consecutive slots in one round
trip (a Pacer) and spaces its messages over them, so the limit costs no round trip per
message. With REDIS_URL the schedule lives in Redis and a Lua script reserves
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
redis.call('SET', KEYS[1], tostring(slot + interval * tonumber(ARGV[2])), 'EX', 3600)
return tostring(slot - now)
"""


@cache
def _redis_script():
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    return client.register_script(_RESERVE)


def _reserve_in_db(campaign_id: int, interval: float, count: int) -> float:
    with transaction.atomic():
        row, _ = RateLimitSlot.objects.select_for_update().get_or_create(campaign_id=campaign_id)
        now = time.time()
        slot = max(row.next_at, now)
        row.next_at = slot + interval * count
        row.save(update_fields=["next_at"])
    return slot - now


def reserve(campaign_id: int, per_second: int, count: int = 1) -> float:
    """Reserve the campaign's next `count` send slots; return the wait for the first."""
    interval = 1.0 / max(per_second, 1)
    if settings.REDIS_URL:
        try:
            key = f"windown:notices:rate:{campaign_id}"
            return float(_redis_script()(keys=[key], args=[interval, count]))
        except Exception:  # Redis unreachable: keep the limit through the database
            log.warning("Rate limiter: Redis unavailable, using the database", exc_info=True)
    return _reserve_in_db(campaign_id, interval, count)


class Pacer:
    """Spaces one worker's messages over slots it reserved a few at a time.

    Up to one fiftieth of a second's worth of slots (at most 20) is reserved per round trip,
    so at low limits every message still reserves its own slot; slots reserved and not used
    (the batch ended, the campaign paused) are simply lost, which errs on the slow side.
    """

    def __init__(self, campaign_id: int, per_second: int):
        self.campaign_id, self.per_second = campaign_id, max(per_second, 1)
        self.interval = 1.0 / self.per_second
        self.take = max(1, min(20, self.per_second // 50))
        self.slots: list[float] = []

    def wait(self, remaining: int = 1_000_000) -> None:
        if not self.slots:
            count = max(1, min(self.take, remaining))
            first = time.monotonic() + reserve(self.campaign_id, self.per_second, count)
            self.slots = [first + i * self.interval for i in range(count - 1, -1, -1)]
        delay = self.slots.pop() - time.monotonic()
        if delay > 0:
            time.sleep(delay)
