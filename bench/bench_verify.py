"""Measure verifying a certificate with `manage.py verify_certificate`: p50 online and offline.

Run from the repository root: python bench/bench_verify.py [--runs 15] [--events 10000]
Uses DATABASE_URL if set (a throwaway database: the script migrates it and adds a wind-down),
otherwise a fresh SQLite file in /tmp. Prints seconds; asserts nothing.

Online the command reads the database: the record, the revocation, and the audit log, whose
hash chain it walks and whose Merkle tree it recomputes to prove the log still extends the
certificate's checkpoint, so its cost grows with the log (`--events` pads it first). Offline
(`--bundle`) it reads only the PDF and the bundle. "in-process" times call_command; "process"
times a fresh `python manage.py` (interpreter and Django start included), as a person runs it.
"""

import argparse
import io
import itertools
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "windown.settings")
os.environ.setdefault("DEBUG", "true")
SQLITE = Path("/tmp/windown-bench-verify.sqlite3")  # noqa: S108 - a throwaway bench file
if "DATABASE_URL" not in os.environ:
    SQLITE.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE}"
os.environ.setdefault("WINDOWN_SIGNING_DIR", tempfile.mkdtemp(prefix="windown-bench-signing-"))
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="windown-bench-media-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from destruction.services.certificate_bundle import verification_bundle  # noqa: E402
from destruction.services.certificates import certificate_issue  # noqa: E402
from destruction.tests import factories  # noqa: E402
from destruction.tests.factories_certificates import verified_job  # noqa: E402
from windown.audit import audit_record  # noqa: E402
from windown.localca import local_ca_create  # noqa: E402
from windown.models import AuditEvent  # noqa: E402
from windown.roles import Role  # noqa: E402
from windown.tests.factories import MembershipFactory, make_winddown  # noqa: E402


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (wall time on a shared box mostly
    measures the others)."""
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def p50(label: str, fn, runs: int) -> float:
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(cpu_seconds() - start_cpu)
    median = statistics.median(times)
    print(
        f"{label:<54} p50 {median:6.3f} s wall, {statistics.median(cpu):6.3f} s CPU "
        f"(wall min {min(times):.3f}, max {max(times):.3f}, n={runs})"
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--events", type=int, default=10_000, help="pad the audit log first")
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    # the test factories number notices from 1 in each process: start past earlier runs' rows
    factories._numbers = itertools.count(int(time.time()))
    local_ca_create(directory=Path(settings.WINDOWN_SIGNING_DIR), organization="Bench Ltd")
    winddown = make_winddown(slug=f"bench-{int(time.time())}")
    director = winddown.memberships.get(role=Role.DIRECTOR)
    it = MembershipFactory(winddown=winddown, role=Role.IT)
    legal = MembershipFactory(winddown=winddown, role=Role.LEGAL)
    with transaction.atomic():
        for i in range(options.events):
            audit_record(winddown=winddown, actor=None, action="bench.padding", payload={"i": i})
    certificate = certificate_issue(job=verified_job(winddown, it=it, legal=legal), actor=director)
    work = Path(tempfile.mkdtemp(prefix="windown-bench-verify-"))
    pdf = work / f"{certificate.serial}.pdf"
    with certificate.pdf.open("rb") as handle:
        pdf.write_bytes(handle.read())
    with zipfile.ZipFile(io.BytesIO(verification_bundle(certificate))) as archive:
        archive.extractall(work)
    bundle = work / certificate.serial
    log_size = AuditEvent.objects.filter(winddown=winddown).count()
    print(f"certificate {certificate.serial}, {pdf.stat().st_size} bytes; log of {log_size} events")

    def quiet(*args):
        call_command("verify_certificate", *args, stdout=io.StringIO())

    p50("verify_certificate (online, in-process)", lambda: quiet(str(pdf)), options.runs)
    p50(
        "verify_certificate --bundle (offline, in-process)",
        lambda: quiet(str(pdf), "--bundle", str(bundle)),
        options.runs,
    )
    manage = [sys.executable, str(ROOT / "manage.py"), "verify_certificate", str(pdf)]
    p50(
        "python manage.py verify_certificate (online, process)",
        lambda: subprocess.run(manage, check=True, capture_output=True),
        max(3, options.runs // 3),
    )
    p50(
        "python manage.py verify_certificate --bundle (process)",
        lambda: subprocess.run([*manage, "--bundle", str(bundle)], check=True, capture_output=True),
        max(3, options.runs // 3),
    )


if __name__ == "__main__":
    main()
