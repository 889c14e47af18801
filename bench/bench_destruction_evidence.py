"""Measure an evidence upload of 1 GiB through the service (streamed SHA-256 + storage write)
against `sha256sum` of the same file in the same run, and the process RSS while it runs.

Run from the repository root: python bench/bench_destruction_evidence.py [--mib 1024]
Uses DATABASE_URL if set, otherwise a fresh SQLite file in /tmp. Prints figures; asserts
nothing. Target: service MB/s ≥ 0.8 x sha256sum MB/s; RSS flat (independent of file size).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "windown.settings")
os.environ.setdefault("DEBUG", "true")
SQLITE = Path("/tmp/windown-bench-evidence.sqlite3")  # noqa: S108 - a throwaway bench file
if "DATABASE_URL" not in os.environ:
    SQLITE.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE}"
WORK = Path(tempfile.mkdtemp(prefix="windown-bench-evidence-"))
os.environ["MEDIA_ROOT"] = str(WORK / "media")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from destruction.services.evidence import evidence_add  # noqa: E402
from destruction.services.jobs import job_create  # noqa: E402
from windown.models import Membership, User  # noqa: E402
from windown.services import winddown_create  # noqa: E402


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class RssSampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.peak, self.running = 0.0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_mib())
            time.sleep(0.05)


def make_file(path: Path, mib: int) -> None:
    block = os.urandom(16 * 1024 * 1024)
    with path.open("wb") as out:
        for i in range(mib // 16):
            out.write(block[i % 7 :] + block[: i % 7])  # vary the blocks a little


def sha256sum_seconds(path: Path) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, out.stdout.split()[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=1024)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    stamp = time.time_ns()
    director = User.objects.create_user(email=f"director{stamp}@example.com", password=None)
    winddown = winddown_create(
        creator=director,
        slug=f"bench-{stamp}",
        company_legal_name="Bench Ltd",
        registration_country="CN",
        company_form="CN_enterprise",
        deletion_deadline=date(2027, 1, 31),
    )
    person = User.objects.create_user(email=f"it{stamp}@example.com", password=None)
    it = Membership.objects.create(winddown=winddown, user=person, role="it")
    job = job_create(by=it, title="Bench")
    source = WORK / "video.bin"
    make_file(source, args.mib)
    size_mb = source.stat().st_size / 1e6
    sha256sum_seconds(source)  # warm the page cache for both readers
    floor_s, floor_hash = sha256sum_seconds(source)
    rss_before = rss_mib()
    sampler = RssSampler()
    sampler.start()
    start = time.perf_counter()
    with source.open("rb") as upload:
        evidence = evidence_add(by=it, job=job, upload=upload, kind="video")
    service_s = time.perf_counter() - start
    sampler.running = False
    sampler.join()
    floor_again_s, _ = sha256sum_seconds(source)
    floor_s = min(floor_s, floor_again_s)
    print(f"file: {size_mb:,.0f} MB")
    print(f"sha256sum: {size_mb / floor_s:,.0f} MB/s ({floor_s:.2f} s, best of 2)")
    print(f"evidence_add (hash + store): {size_mb / service_s:,.0f} MB/s ({service_s:.2f} s)")
    print(f"ratio: {floor_s / service_s:.2f}x of sha256sum (target >= 0.8)")
    print(f"hash equal to sha256sum: {evidence.sha256 == floor_hash}")
    print(f"RSS: {rss_before:.0f} MiB before, peak {sampler.peak:.0f} MiB during the upload")
    for path in sorted(WORK.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    WORK.rmdir()


if __name__ == "__main__":
    main()
