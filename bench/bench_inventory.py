"""Measure the data map at 50,000 holdings: XLSX import rows/s, then page render times.

Run from the repository root: python bench/bench_inventory.py [--rows 50000] [--runs 20]
Uses DATABASE_URL if set (e.g. postgres://postgres@127.0.0.1:5432/wd_inventory), otherwise a
fresh SQLite file in /tmp. Prints figures; asserts nothing. Target: import < 30 s.
"""

import argparse
import io
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "windown.settings")
os.environ.setdefault("DEBUG", "true")
SQLITE = Path("/tmp/windown-bench-inventory.sqlite3")  # noqa: S108 - a throwaway bench file
if "DATABASE_URL" not in os.environ:
    SQLITE.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from inventory.datamap.columns import COLUMNS  # noqa: E402
from inventory.services import attestation_sign  # noqa: E402
from inventory.services.datamap import datamap_import  # noqa: E402
from windown.models import Membership, User  # noqa: E402
from windown.services import winddown_create  # noqa: E402

JURISDICTIONS = ["DE", "FR", "GB", "US", "US-CA", "JP", "CN", "NL", "IT", "OTHER"]
CATEGORIES = [
    "commerce.order",
    "commerce.invoice",
    "commerce.payment",
    "user.contact.email",
    "user.contact.phone_number",
    "user.name",
    "user.contact.address",
    "commerce.support_chat",
    "user.behavior.browsing_history",
    "commerce.marketing_profile",
]
KINDS = ["database", "saas", "file_share", "laptop", "mailbox", "backup"]
DEPARTMENTS = ["Sales", "Finance", "Marketing", "Customer Service"]


def build_xlsx(rows: int) -> bytes:
    """500 systems x 100 slices (10 categories x 10 jurisdictions) for 50,000 rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("datamap")
    sheet.append(list(COLUMNS))
    per_system = len(CATEGORIES) * len(JURISDICTIONS)
    for n in range(rows):
        s, slot = divmod(n, per_system)
        category, jurisdiction = divmod(slot, len(JURISDICTIONS))
        total = 1000 + n % 5000
        sheet.append(
            [
                f"System {s:04d}",
                KINDS[s % len(KINDS)],
                "Aliyun",
                "cn-shenzhen",
                "CN",
                DEPARTMENTS[s % len(DEPARTMENTS)],
                "",
                CATEGORIES[category],
                "order",
                JURISDICTIONS[jurisdiction],
                total,
                total // 2,
                total // 4,
                date(2018, 1 + n % 12, 1 + n % 28).isoformat(),
                "2026-10-31",
                "order_no; name; address",
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")

    slug = f"bench-{int(time.time())}"
    user, _ = User.objects.get_or_create(email=f"{slug}@example.com")
    winddown = winddown_create(
        creator=user,
        slug=slug,
        company_legal_name="Bench Ltd",
        registration_country="CN",
        company_form="CN_enterprise",
        deletion_deadline=date(2027, 3, 31),
    )
    director = Membership.objects.get(winddown=winddown, user=user)
    custodian_user, _ = User.objects.get_or_create(email=f"sales-{slug}@example.com")
    custodian = Membership.objects.create(
        winddown=winddown, user=custodian_user, role="custodian", department="Sales"
    )

    started = time.perf_counter()
    data = build_xlsx(args.rows)
    print(
        f"built a {args.rows:,}-row XLSX ({len(data) / 1e6:.1f} MB) in "
        f"{time.perf_counter() - started:.1f} s"
    )

    for label, dry_run in (("import (new)", False), ("re-import (unchanged)", False)):
        started = time.perf_counter()
        report = datamap_import(by=director, data=data, filename="bench.xlsx", dry_run=dry_run)
        elapsed = time.perf_counter() - started
        print(
            f"{label:<24} {elapsed:6.1f} s  {report.rows / elapsed:8,.0f} rows/s  "
            f"holdings created/updated/unchanged {report.holdings.created:,}/"
            f"{report.holdings.updated:,}/{report.holdings.unchanged:,}  ok={report.ok}"
        )
    attestation_sign(by=custodian, department="Sales")

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    system = winddown.data_systems.order_by("name").first()
    base = f"/w/{slug}/inventory"
    pages = {
        "overview (matrix, departments)": f"{base}/",
        "systems list": f"{base}/systems/",
        "systems list, filtered": f"{base}/systems/?risk=high&department=Sales",
        "systems list, last page": f"{base}/systems/?page=10",
        "system detail (100 holdings)": f"{base}/systems/{system.pk}/",
        "attestations": f"{base}/attestations/",
        "department page": f"{base}/attestations/Sales/",
        "categories": f"{base}/categories/",
        "dashboard": f"/w/{slug}/",
        "API holdings list": f"/api/v1/winddowns/{slug}/holdings/?page=100",
        "export CSV (50k rows)": f"{base}/export.csv",
        "export XLSX (50k rows)": f"{base}/export.xlsx",
    }
    print(
        f"\npages with {winddown.holdings.count():,} holdings "
        f"({args.runs} runs each; exports 3 runs):"
    )
    print(f"{'page':<32}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
    for name, url in pages.items():
        runs = 3 if "export" in name else args.runs
        client.get(url)  # warm up
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(
            f"{name:<32}{percentile(times, 50):9.0f}{percentile(times, 95):9.0f}{len(queries):9d}"
        )


if __name__ == "__main__":
    main()
