"""A worker killed with SIGKILL three times during a 10,000-notice campaign.

The worker is restarted at once, as a supervisor would. Measured per kill: how long the sink
stayed silent (sending resumes within 15 s) and when the rows the dead worker had leased went
out again (within 30 s: short leases renewed by a heartbeat, notices/recovery.py).
"""

import datetime as dt
import time

import pytest

from tests.faults.harness import IN_FLIGHT_PER_TASK, OUTCOME_CHUNK, measure, wait_until

pytestmark = pytest.mark.faults
TOTAL = 10_000
CONCURRENCY = 2
KILL_AT = (1500, 4000, 6500)  # notices received before each kill


def test_three_sigkills_lose_nothing_and_resume_quickly(stack, sink, workers):
    worker = workers(sink, concurrency=CONCURRENCY)
    campaign = stack.scenario("campaign", TOTAL, 400)
    started = time.monotonic()
    kills = []
    for threshold in KILL_AT:
        assert wait_until(lambda t=threshold: sink.count() >= t, 120), sink.count()
        worker.kill()
        killed_at, killed_wall = time.monotonic(), dt.datetime.now(dt.UTC)
        leased = stack.leased(campaign) - set().union(*(k[2] for k in kills))
        worker = workers(sink, concurrency=CONCURRENCY)  # restarted, as systemd would
        assert wait_until(lambda k=killed_at: sink.first_after(k + 0.5) is not None, 60)
        kills.append((killed_at, killed_wall, leased))
    assert wait_until(lambda: stack.campaign_status(campaign) == "done", 240)

    expected = stack.message_ids(campaign)
    resumed, resent = [], []
    for killed_at, killed_wall, leased in kills:
        # the first notice after the kill that is not one already on the wire when it came
        resumed.append(sink.first_after(killed_at + 0.5) - killed_at)
        rows = stack.pg.query(
            "SELECT max(sent_at) FROM notices_delivery WHERE id = ANY(%s)", [list(leased)]
        )
        resent.append((rows[0][0] - killed_wall).total_seconds() if leased else 0.0)
    bound = len(kills) * CONCURRENCY * IN_FLIGHT_PER_TASK  # kills x tasks x in flight
    outcome = measure(
        "worker SIGKILL x3",
        sink,
        expected,
        started,
        resume_s="/".join(f"{r:.1f}" for r in resumed),
        leased_rows="/".join(str(len(k[2])) for k in kills),
        leased_resent_s="/".join(f"{r:.1f}" for r in resent),
        outcome_chunk=OUTCOME_CHUNK,
        duplicate_bound=bound,
    )
    assert outcome.lost == 0
    assert outcome.duplicates <= bound
    assert stack.delivery_statuses(campaign) == {"sent": TOTAL}
    assert max(resumed) <= 15, resumed
    assert max(resent) <= 30, resent
