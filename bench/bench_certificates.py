"""Certificates: render + sign one bilingual certificate against a bare WeasyPrint render of the
same HTML (same run), then 200 certificates through a real Celery worker (prefork, 2 processes):
certificates per second and the worker's RSS as it goes (it should stay flat).

Run from the repository root with PostgreSQL and Redis:
    DATABASE_URL=postgres://… CELERY_BROKER_URL=redis://…/0 python bench/bench_certificates.py
Options: --renders N (default 20), --certificates N (default 200). Prints figures; asserts
nothing. Targets: render + sign ≤ 1.5 x the bare render, and its p50 < 0.5 s.
"""

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "windown.settings")
os.environ.setdefault("DEBUG", "true")
WORK = Path(tempfile.mkdtemp(prefix="windown-bench-certificates-"))
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ["WINDOWN_SIGNING_DIR"] = str(WORK / "signing")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from destruction.models import Certificate  # noqa: E402
from destruction.services.certificates import certificate_issue  # noqa: E402
from destruction.services.certificates.bulk import certificates_issue_bulk  # noqa: E402
from destruction.services.certificates.pdf import (  # noqa: E402
    certificate_html,
    render_pdf,
    sign_pdf,
)
from destruction.services.certificates.record import record_json  # noqa: E402
from destruction.tasks import certificate_issue_job  # noqa: E402
from destruction.tests import factories as destruction_factories  # noqa: E402
from destruction.tests.factories_certificates import verified_job  # noqa: E402
from windown.localca import local_ca_create  # noqa: E402
from windown.pdf import font_configuration, url_fetcher  # noqa: E402
from windown.roles import Role  # noqa: E402
from windown.tests.factories import MembershipFactory, make_winddown  # noqa: E402


def p50(values):
    return statistics.median(values)


def rss_mib(pids) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total / 1024


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, text=False)
    return next(
        (int(line.split()[1]) for line in out.stdout.decode().splitlines() if "Pages:" in line),
        0,
    )


def child_rss(parent: int) -> str:
    return "/".join(f"{rss_mib([pid]):.0f}" for pid in worker_pids(parent)[1:])


def worker_pids(parent: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True)
    return [parent, *(int(p) for p in out.stdout.split())]


def render_versus_sign(record: dict, runs: int) -> None:
    from weasyprint import HTML

    html, data = certificate_html(record), record_json(record)
    # The bare render gets the same fonts set-up the certificate's render reuses (one per
    # process): what is compared is the certificate's own work, not fontconfig's.
    fetcher, fonts = url_fetcher(), font_configuration()
    bare, full, bare_cpu, full_cpu = [], [], [], []
    for i in range(runs + 2):  # two warm-up rounds, alternating so both see the same load
        start, start_cpu = time.perf_counter(), time.process_time()
        HTML(string=html, url_fetcher=fetcher).write_pdf(font_config=fonts)
        middle, middle_cpu = time.perf_counter(), time.process_time()
        signed = sign_pdf(render_pdf(html, data))
        end, end_cpu = time.perf_counter(), time.process_time()
        if i >= 2:
            bare.append(middle - start)
            full.append(end - middle)
            bare_cpu.append(middle_cpu - start_cpu)
            full_cpu.append(end_cpu - middle_cpu)
    ratio = p50(full) / p50(bare)
    print(
        f"render+sign vs bare render, {runs} runs each, {len(record['items'])} items, "
        f"{len(signed) // 1024} KiB signed PDF, {pages(signed)} pages"
    )
    print(
        f"  bare WeasyPrint render  p50 {p50(bare):.3f} s  max {max(bare):.3f} s  "
        f"(CPU p50 {p50(bare_cpu):.3f} s)"
    )
    print(
        f"  PDF/A-3b + record.json + PAdES-B-LT  p50 {p50(full):.3f} s  max {max(full):.3f} s  "
        f"(CPU p50 {p50(full_cpu):.3f} s)"
    )
    print(f"  ratio {ratio:.2f}x (target <= 1.5x), p50 {'<' if p50(full) < 0.5 else '>='} 0.5 s")
    print(f"  load average {load()} (2 cores shared: wall time above CPU time is waiting)")


def through_worker(winddown, director, it, legal, count: int) -> None:
    from windown.celery import app

    print(f"creating {count} verified jobs …", flush=True)
    for i in range(count):
        verified_job(winddown, it=it, legal=legal, items=2, title=f"Bench job {i}")
    # No recycling by memory during the run: what is measured is whether RSS stays flat.
    env = {**os.environ, "DEBUG": "true", "CELERY_WORKER_MAX_MEMORY_PER_CHILD": "4000000"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "windown",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--max-tasks-per-child=200",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(6)  # let the worker start
        before = Certificate.objects.filter(winddown=winddown).count()
        samples = [(0, rss_mib(worker_pids(worker.pid)), child_rss(worker.pid))]
        start = time.perf_counter()
        with app.connection_for_write() as conn:
            certificates_issue_bulk(
                actor=director,
                enqueue=lambda job, member: certificate_issue_job.apply_async(
                    args=[job, member], connection=conn
                ),
            )
        done, next_sample = 0, count // 8
        while done < count and time.perf_counter() - start < 1800:
            time.sleep(0.5)
            done = Certificate.objects.filter(winddown=winddown).count() - before
            if done >= next_sample:
                samples.append((done, rss_mib(worker_pids(worker.pid)), child_rss(worker.pid)))
                next_sample += count // 8
        elapsed = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    print(
        f"{done} certificates through a real Celery worker (prefork, 2 processes) in "
        f"{elapsed:.1f} s: {done / elapsed:.2f} certificates/s"
    )
    print(
        "  worker RSS by certificates issued, total (children): "
        + ", ".join(f"{n}: {mib:.0f} MiB ({kids})" for n, mib, kids in samples)
    )
    print(f"  load average {load()}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--certificates", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    destruction_factories._numbers = itertools.count(time.time_ns() % 10**12)  # fresh ids per run
    local_ca_create(directory=WORK / "signing", organization="Bench")
    winddown = make_winddown(slug=f"bench-cert-{time.time_ns()}")
    director = winddown.memberships.get(role=Role.DIRECTOR)
    it = MembershipFactory(winddown=winddown, role=Role.IT)
    legal = MembershipFactory(winddown=winddown, role=Role.LEGAL)
    sample = certificate_issue(
        job=verified_job(winddown, it=it, legal=legal, items=5), actor=director
    )
    render_versus_sign(sample.record, args.renders)
    if args.certificates:
        through_worker(winddown, director, it, legal, args.certificates)


if __name__ == "__main__":
    main()
