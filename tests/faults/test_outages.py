"""Redis restarted, PostgreSQL stopped for 10 s, the workers' connections terminated — during a
campaign and during an import: nothing lost, nothing half-written, and the work resumes."""

import time

import pytest

from tests.faults.harness import IN_FLIGHT_PER_TASK, OUTCOME_CHUNK, RESULTS, measure, wait_until

pytestmark = pytest.mark.faults
TOTAL = 2000
TASKS = 2  # NOTICES_PARALLEL_TASKS: the send tasks that can have notices in flight
RATE = 400
OUTAGE_SECONDS = 10
# Duplicates allowed: the messages in flight of every sending task (computed from the chunk).
BOUND = TASKS * IN_FLIGHT_PER_TASK


def start_campaign(stack, sink, workers) -> tuple[int, float]:
    workers(sink)
    campaign = stack.scenario("campaign", TOTAL, RATE)
    return campaign, time.monotonic()


def finish(stack, campaign: int, timeout: float = 180) -> None:
    assert wait_until(lambda: stack.campaign_status(campaign) == "done", timeout)
    assert stack.delivery_statuses(campaign) == {"sent": TOTAL}


def test_redis_restarted_mid_campaign(stack, sink, workers):
    campaign, started = start_campaign(stack, sink, workers)
    assert wait_until(lambda: sink.count() >= TOTAL // 4, 120)
    stack.redis.kill()  # broker, rate limiter and cache at once; no persistence: queue lost
    restarted_at = time.monotonic()
    time.sleep(1)
    stack.redis.start()
    finish(stack, campaign)
    stack.ensure_beat()
    outcome = measure(
        "redis restarted",
        sink,
        stack.message_ids(campaign),
        started,
        sent_after_restart=sink.count_after(restarted_at),
        outcome_chunk=OUTCOME_CHUNK,
        duplicate_bound=BOUND,
    )
    assert outcome.lost == 0
    assert outcome.duplicates <= BOUND


def test_postgres_stopped_10_seconds_mid_campaign(stack, sink, workers):
    campaign, started = start_campaign(stack, sink, workers)
    assert wait_until(lambda: sink.count() >= TOTAL // 4, 120)
    stack.pg.stop("fast")
    time.sleep(OUTAGE_SECONDS)
    stack.pg.start()
    back_at = time.monotonic()
    finish(stack, campaign)
    beat_survived = stack.beat.alive()
    stack.ensure_beat()
    resumed = sink.first_after(back_at)
    outcome = measure(
        "postgres stopped 10 s (sending)",
        sink,
        stack.message_ids(campaign),
        started,
        resume_after_restart_s=f"{resumed - back_at:.1f}",
        beat_survived=beat_survived,
        outcome_chunk=OUTCOME_CHUNK,
        duplicate_bound=BOUND,
    )
    assert outcome.lost == 0
    assert outcome.duplicates <= BOUND
    assert resumed - back_at <= 15
    stack.manage("verify_audit")  # the audit chain was not half-written either


def test_worker_connections_terminated_mid_campaign(stack, sink, workers):
    campaign, started = start_campaign(stack, sink, workers)
    assert wait_until(lambda: sink.count() >= TOTAL // 4, 120)
    terminated = stack.pg.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'windown' "
        "AND pid <> pg_backend_pid() AND query ILIKE '%notices_%'"
    )
    dropped_at = time.monotonic()
    finish(stack, campaign)
    # the longest silence at the sink from the drop on (two notices may already be on the wire)
    after = [t for t in sink.arrivals() if t > dropped_at]
    silence = max(b - a for a, b in zip([dropped_at, *after], after, strict=False))
    outcome = measure(
        "worker DB connections terminated",
        sink,
        stack.message_ids(campaign),
        started,
        connections=len(terminated),
        silence_after_drop_s=f"{silence:.1f}",
        outcome_chunk=OUTCOME_CHUNK,
        duplicate_bound=BOUND,
    )
    assert terminated
    assert outcome.lost == 0
    assert outcome.duplicates <= BOUND
    assert silence <= 5


IMPORT_ROWS = 50_000


def test_postgres_stopped_10_seconds_mid_import(stack, workers, sink):
    workers(sink)
    job = stack.scenario("import", IMPORT_ROWS)
    started = time.monotonic()

    def status():
        return stack.pg.query(
            "SELECT status, winddown_id FROM notices_recipientimport WHERE id = %s", [job]
        )[0]

    assert wait_until(lambda: status()[0] == "running", 60, step=0.02)
    stack.pg.stop("fast")
    stopped_at = time.monotonic()
    time.sleep(OUTAGE_SECONDS)
    stack.pg.start()
    back_at = time.monotonic()
    seen = set()

    def done():
        count = stack.pg.query(
            "SELECT count(*) FROM notices_recipient WHERE winddown_id = %s", [status()[1]]
        )[0][0]
        seen.add(count)
        return status()[0] == "done"

    assert wait_until(done, 120, step=0.05)
    finished = time.monotonic() - back_at
    winddown = status()[1]
    done()  # the count once the job is marked done
    events = stack.pg.query(
        "SELECT count(*) FROM windown_auditevent WHERE winddown_id = %s "
        "AND action = 'notices.recipients_imported'",
        [winddown],
    )[0][0]
    line = (
        f"FAULT postgres stopped 10 s (import): {IMPORT_ROWS} rows, lost="
        f"{IMPORT_ROWS - max(seen)} duplicates=0 stall={back_at - stopped_at:.1f}s "
        f"finish={time.monotonic() - started:.1f}s done_after_restart_s={finished:.1f} "
        f"recipient_counts_seen={sorted(seen)} import_events={events}"
    )
    RESULTS.append(line)
    print("\n" + line)
    assert seen <= {0, IMPORT_ROWS}, "a half-written import was visible"
    assert max(seen) == IMPORT_ROWS
    assert events >= 1
    stack.ensure_beat()
    stack.manage("verify_audit")
