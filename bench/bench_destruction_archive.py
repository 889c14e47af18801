"""Archive an export of 1,000,000 rows (~150 MB CSV) vs the csv module's floor, same run.

Generates the CSV, then measures, each on the same file:
- the floor: Python's csv module reading it and writing the same columns the decision's field
  plan keeps to a plain file (no hashing, no encryption);
- the archive: `archive_create` (field plan, SHA-256 of source, plaintext and ciphertext, age
  encryption with pyrage, the key envelope, storage, manifest, audit).
Prints rows/s for both, the ratio (target >= 0.7) and this process's RSS before and at its
peak while archiving (sampled every 20 ms; target: flat, < 150 MB). Asserts nothing.

    python bench/bench_destruction_archive.py --rows 1000000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "windown.settings")

FIELDS = [
    "invoice_number",
    "invoice_date",
    "net_amount",
    "vat_amount",
    "vat_rate",
    "currency",
    "buyer_name",
    "buyer_address",
    "email",
    "phone",
]
NAMES = ["Olivia Brown", "Jürgen Müller", "Amélie Dubois", "山田 花子", "王小明", "José Núñez"]


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(FIELDS)
        for i in range(rows):
            writer.writerow(
                [
                    f"INV-2024-{i:08d}",
                    f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                    f"{i % 99991}.{i % 100:02d}",
                    f"{i % 9973}.{i % 100:02d}",
                    "0.13",
                    "CNY",
                    NAMES[i % 6],
                    f"Room {i % 3000}, Building {i % 97}, Nanshan District, Shenzhen 5180{i % 90:02d}",
                    f"customer{i}@example.com",
                    f"+86 755 {i:08d}",
                ]
            )


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


class PeakRSS:
    """Sample this process's resident set every 20 ms while the block runs."""

    def __enter__(self):
        self.peak, self._stop = rss_mb(), threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def floor(path: Path, keep: list[str], out: Path) -> int:
    """The csv module alone: read the file, write the kept columns, nothing else."""
    with path.open(newline="", encoding="utf-8") as source, out.open("w", newline="") as sink:
        reader, writer = csv.reader(source), csv.writer(sink)
        header = next(reader)
        indexes = [header.index(k) for k in keep]
        writer.writerow(keep)
        rows = 0
        for row in reader:
            writer.writerow([row[i] for i in indexes])
            rows += 1
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from pyrage import x25519

    from compliance.models import Decision
    from compliance.services import decision_approve, decisions_evaluate
    from destruction.services.archives import archive_create, custodian_key_register
    from inventory.models import DataCategory, DataSystem, Holding
    from windown import services
    from windown.models import Membership, User
    from windown.roles import Role

    call_command("migrate", verbosity=0)
    work = Path(tempfile.mkdtemp(prefix="windown-bench-archive-"))
    settings.MEDIA_ROOT = str(work / "media")
    csv_path = work / "invoices.csv"
    started = time.perf_counter()
    write_csv(csv_path, args.rows)
    size_mb = csv_path.stat().st_size / 1e6
    print(
        f"generated {args.rows:,} rows, {size_mb:.0f} MB in {time.perf_counter() - started:.1f} s"
    )

    director_user, _ = User.objects.get_or_create(email="bench-director@windown.example")
    winddown = services.winddown_create(
        creator=director_user,
        slug=f"bench-archive-{int(time.time())}",
        company_legal_name="Bench Archive Ltd",
        registration_country="CN",
        company_form="CN_enterprise",
        deletion_deadline=dt.date.today() + dt.timedelta(days=120),
    )
    director = Membership.objects.get(winddown=winddown, role=Role.DIRECTOR)
    people = {}
    for role in (Role.LEGAL, Role.IT):
        user, _ = User.objects.get_or_create(email=f"bench-{role}@windown.example")
        people[role] = Membership.objects.create(winddown=winddown, user=user, role=role)
    system = DataSystem.objects.create(winddown=winddown, name="ERP", kind="database")
    holding = Holding.objects.create(
        winddown=winddown,
        system=system,
        category=DataCategory.objects.get(winddown=winddown, key="commerce.invoice"),
        source=Holding.Source.ORDER,
        jurisdiction="CN",
        records_total=args.rows,
        oldest_record=dt.date(2019, 1, 1),
        newest_record=dt.date(2024, 12, 31),
        fields=FIELDS,
    )
    decisions_evaluate(winddown=winddown, holding_ids=[holding.pk])
    decision = Decision.objects.get(holding=holding)
    decision = decision_approve(by=people[Role.LEGAL], decision=decision)
    custodian_key_register(
        by=director,
        custodian_name="Bench custodian",
        recipient=str(x25519.Identity.generate().to_public()),
    )
    keep = [f for f in FIELDS if f in decision.keep_fields]
    print(f"field plan: keep {keep}; drop {[f for f in FIELDS if f not in keep]}")

    started = time.perf_counter()
    rows = floor(csv_path, keep, work / "floor.csv")
    floor_seconds = time.perf_counter() - started
    (work / "floor.csv").unlink()

    before = rss_mb()
    with PeakRSS() as peak, csv_path.open("rb") as upload:
        started = time.perf_counter()
        archive = archive_create(
            by=people[Role.IT], decision=decision, upload=upload, filename="invoices.csv"
        )
        archive_seconds = time.perf_counter() - started
    assert archive.row_count == rows == args.rows

    floor_rate, archive_rate = rows / floor_seconds, rows / archive_seconds
    print(
        f"floor (csv read + write kept columns): {floor_rate:,.0f} rows/s ({floor_seconds:.1f} s)"
    )
    print(
        f"archive_create (plan + hashes + age):  {archive_rate:,.0f} rows/s "
        f"({archive_seconds:.1f} s, {size_mb / archive_seconds:.0f} MB/s of source)"
    )
    print(f"ratio archive/floor: {archive_rate / floor_rate:.2f} (target >= 0.7)")
    print(f"RSS before {before:.0f} MB, peak while archiving {peak.peak:.0f} MB (target < 150 MB)")
    print(
        f"archive {archive.reference}: {archive.plaintext_size / 1e6:.0f} MB CSV -> "
        f"{archive.ciphertext_size / 1e6:.0f} MB age"
    )
    for path in sorted(work.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    work.rmdir()


if __name__ == "__main__":
    main()
