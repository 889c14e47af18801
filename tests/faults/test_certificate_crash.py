"""A worker killed with SIGKILL twice during bulk certificate issuance.

Each kill comes while a certificate's transaction is open (its serial taken, its PDF being
rendered) and takes the tasks in flight with it. Their messages stay
unacknowledged in Redis and are delivered again once the visibility timeout has passed (an hour
in production, 15 s here). Afterwards every job has exactly one certificate, every serial is
either a certificate or one a dead transaction took (a PostgreSQL sequence never gives a number
twice), and every stored PDF is whole: its SHA-256 is the row's and its signature is valid.
"""

import hashlib
import time
from pathlib import Path

import pytest
import redis

from destruction.services.certificate_signature import signature_verify
from tests.faults.harness import RESULTS, wait_until

pytestmark = pytest.mark.faults
JOBS = 10
CONCURRENCY = 2
KILL_AT = (2, 6)  # certificates stored before each kill
VISIBILITY_TIMEOUT = 15


def test_sigkills_during_bulk_issuance_lose_and_duplicate_no_certificate(stack, sink, workers):
    signing = stack.media / "signing"
    env = {
        "WINDOWN_SIGNING_DIR": str(signing),
        "CELERY_VISIBILITY_TIMEOUT": f"{VISIBILITY_TIMEOUT}",
    }
    started = time.monotonic()
    winddown = stack.scenario("certificates", JOBS, WINDOWN_SIGNING_DIR=str(signing))

    def issued() -> int:
        return stack.pg.query(
            "SELECT count(*) FROM destruction_certificate WHERE winddown_id = %s", [winddown]
        )[0][0]

    def serial_taken() -> int:
        return stack.pg.query("SELECT last_value FROM destruction_certificate_serial")[0][0]

    def newest() -> int:  # the highest serial number committed
        serial = stack.pg.query("SELECT max(serial) FROM destruction_certificate")[0][0]
        return int(serial.rsplit("-", 1)[1]) if serial else 0

    broker = redis.Redis.from_url(stack.redis.url(0))
    worker = workers(sink, concurrency=CONCURRENCY, **env)
    in_flight: list[set[bytes]] = []  # messages the dead worker had taken and not acknowledged
    for threshold in KILL_AT:
        # killed mid-transaction: a serial is taken whose certificate is not committed yet
        assert wait_until(lambda t=threshold: issued() >= t and serial_taken() > newest(), 240)
        worker.kill()
        in_flight.append(set(broker.hkeys("unacked")) - set().union(*in_flight))
        worker = workers(sink, concurrency=CONCURRENCY, **env)  # restarted, as systemd would
    assert wait_until(lambda: issued() >= JOBS, 300), issued()
    finish = time.monotonic() - started

    rows = stack.pg.query(
        "SELECT c.serial, c.sha256, c.pdf, j.status FROM destruction_certificate c "
        "JOIN destruction_destructionjob j ON j.id = c.job_id WHERE c.winddown_id = %s",
        [winddown],
    )
    jobs = stack.pg.query(
        "SELECT j.id, count(c.id) FROM destruction_destructionjob j LEFT JOIN "
        "destruction_certificate c ON c.job_id = j.id WHERE j.winddown_id = %s GROUP BY j.id",
        [winddown],
    )
    root = (signing / "root.pem").read_bytes()
    broken = []
    for serial, sha256, name, _status in rows:
        pdf = (stack.media / name).read_bytes()
        checks = signature_verify(pdf, root_pem=root).checks
        if hashlib.sha256(pdf).hexdigest() != sha256 or not all(c.ok for c in checks):
            broken.append(serial)
    numbers = sorted(int(serial.rsplit("-", 1)[1]) for serial, *_ in rows)
    gaps = sorted(set(range(1, serial_taken() + 1)) - set(numbers))
    stored = {p.name for p in (stack.media / "destruction" / "certificates").rglob("*.pdf")}
    orphans = stored - {Path(name).name for *_, name, _status in rows}
    line = (
        f"FAULT certificate worker SIGKILL x{len(KILL_AT)}: {JOBS} jobs, "
        f"certificates={len(rows)} jobs_without={sum(1 for _, n in jobs if n == 0)} "
        f"duplicates={sum(n - 1 for _, n in jobs if n > 1)} serial_gaps={len(gaps)} "
        f"in_flight_at_kills={'/'.join(str(len(k)) for k in in_flight)} broken_pdfs={len(broken)} "
        f"orphan_files={len(orphans)} finish={finish:.1f}s"
    )
    RESULTS.append(line)
    print("\n" + line)

    assert len(jobs) == JOBS and all(n == 1 for _, n in jobs), jobs
    assert {status for *_, status in rows} == {"certified"}
    assert len(set(numbers)) == len(numbers) == JOBS
    # a serial missing from the records is one a transaction killed in flight had taken
    assert len(gaps) <= sum(len(k) for k in in_flight), (gaps, in_flight)
    assert broken == []
