"""Measure evaluation through the database: holdings loaded, proposed and written per second.

Run from the repository root: python bench/bench_evaluate.py [--holdings 50000] [--seed 1]
It creates a throwaway test database (SQLite file by default; PostgreSQL when DATABASE_URL
points there: test database "bench_<name>"), fills a wind-down with holdings, a legal hold and
open matters, then times decisions_evaluate(): the first evaluation (every decision created),
an unchanged re-evaluation, and an incremental one after 1,000 holdings changed.
It runs as production does, with DEBUG off (a throwaway SECRET_KEY): with DEBUG on, Django
logs every statement and quotes its parameters, which costs more than the work measured.
Queries are counted with an execute wrapper; on PostgreSQL new or changed decisions go in by
COPY (one per chunk of up to 2,000), which the count leaves out.
Prints figures; asserts nothing.
"""

import argparse
import base64
import datetime as dt
import itertools
import os
import random
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "windown.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault(
    "NOTICES_EXPORT_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from bench.bench_engine import RECORD_FIELDS, SUBJECT_JURISDICTIONS  # noqa: E402


def build(n: int, seed: int):
    from compliance.models import LegalHold, OpenMatter
    from inventory.models import DataSystem, Holding
    from windown import services
    from windown.models import User

    rng = random.Random(seed)
    director = User.objects.create_user("bench@example.com")
    winddown = services.winddown_create(
        creator=director,
        slug="bench",
        company_legal_name="Bench Co",
        registration_country="CN",
        company_form="CN_enterprise",
        tax_registrations=["CN_TAX", "EU_OSS"],
        deletion_deadline=dt.date(2027, 3, 31),
    )
    systems = DataSystem.objects.bulk_create(
        DataSystem(winddown=winddown, name=f"System {i}", kind="database", department="Sales")
        for i in range(300)
    )
    categories = list(winddown.data_categories.exclude(record_type="card_last4"))
    combos = list(
        itertools.product(systems, categories, Holding.Source.values, SUBJECT_JURISDICTIONS)
    )
    holdings = []
    for system, category, source, jurisdiction in rng.sample(combos, n):
        oldest = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(4000))
        newest = min(oldest + dt.timedelta(days=rng.randrange(1500)), dt.date(2026, 10, 31))
        holdings.append(
            Holding(
                winddown=winddown,
                system=system,
                category=category,
                source=source,
                jurisdiction=jurisdiction,
                records_total=rng.randrange(1, 20000),
                oldest_record=oldest,
                newest_record=None if rng.random() < 0.02 else newest,
                fields=list(RECORD_FIELDS.get(category.record_type, ())),
            )
        )
    holdings = Holding.objects.bulk_create(holdings, batch_size=2000)
    hold = LegalHold.objects.create(
        winddown=winddown,
        reference="LH-1",
        reason="litigation",
        placed_by=director,
        placed_at=django.utils.timezone.now(),
    )
    hold.systems.set(systems[:3])
    matters = OpenMatter.objects.bulk_create(
        OpenMatter(
            winddown=winddown,
            reference=f"ORD-{i}",
            matter_type="order",
            customer_reference=f"C-{i}",
            opened_on=dt.date(2026, 10, 1),
        )
        for i in range(100)
    )
    through = OpenMatter.holdings.through
    through.objects.bulk_create(
        through(openmatter_id=rng.choice(matters).pk, holding_id=h.pk)
        for h in rng.sample(holdings, n // 20)
    )
    return winddown, holdings


def timed(label: str, n: int, run) -> None:
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started, cpu = time.perf_counter(), time.process_time()
        result = run()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{label}: {n:,} slices in {elapsed:.2f} s = {n / elapsed:,.0f} slices/s "
        f"({n / cpu:,.0f} per CPU-second), {len(queries)} queries; "
        f"created {result.created:,}, changed {result.changed:,}, unchanged {result.unchanged:,}"
    )


def main(n: int, seed: int) -> None:
    from compliance.services import decisions_evaluate, decisions_mark_stale, ruleset_import
    from inventory.models import Holding

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        database.setdefault("TEST", {})["NAME"] = f"bench_{database['NAME']}"
    else:
        database.setdefault("TEST", {})["NAME"] = str(ROOT / "var" / "bench-db.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        started = time.perf_counter()
        winddown, holdings = build(n, seed)
        ruleset_import(winddown=winddown)
        print(f"setup: {n:,} holdings in {time.perf_counter() - started:.1f} s")
        timed("first evaluation", n, lambda: decisions_evaluate(winddown=winddown))
        timed("unchanged re-evaluation", n, lambda: decisions_evaluate(winddown=winddown))
        # a queryset update: the post_save receiver would queue the same work on the worker
        type(winddown).objects.filter(pk=winddown.pk).update(deletion_deadline=dt.date(2027, 6, 30))
        winddown.refresh_from_db()
        timed(
            "every proposal changed (new deadline)",
            n,
            lambda: decisions_evaluate(winddown=winddown),
        )
        changed = [h.pk for h in random.Random(seed).sample(holdings, 1000)]
        Holding.objects.filter(pk__in=changed).update(newest_record=dt.date(2026, 11, 1))
        decisions_mark_stale(winddown=winddown, holding_ids=changed, reason="bench")
        timed(
            "incremental (1,000 changed holdings)",
            1000,
            lambda: decisions_evaluate(winddown=winddown, holding_ids=changed),
        )
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdings", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    main(arguments.holdings, arguments.seed)
