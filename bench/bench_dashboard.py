"""Measure the director's dashboard on the demo, then at 50,000 holdings and 1,000,000 deliveries.

Run from the repository root with PostgreSQL: DATABASE_URL=postgres://... python
bench/bench_dashboard.py [--requests 40] [--holdings 50000] [--deliveries 1000000]
It creates a throwaway test database, loads the demo, times the dashboard as the director
(p50/p95 over --requests requests after a warm-up, through Django's test client: URL routing,
middleware, every phase's panel and the template) and counts its queries; then it grows the same
wind-down in SQL (systems, holdings and their decisions cloned from the demo's; recipients,
campaigns and delivered notices) and measures again. Target: p95 < 200 ms at that size and the
same query count as the demo. Under each measurement a line splits the time per request into
time on a CPU (this process and its PostgreSQL backend: about what an idle machine takes) and
time waiting for a CPU (what other processes on a shared machine cost). The last line reads
`dashboard: p50 X ms, p95 Y ms, queries demo=A large=B`. Prints figures; asserts nothing.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_evaluate import connection, settings  # sets up Django (DEBUG off)

SLUG = "lumen-electronics"


def p50_p95(values: list[float]) -> tuple[float, float]:
    p95 = statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)
    return statistics.median(values), p95


def schedstat(path: str) -> tuple[int, int]:
    """Nanoseconds a thread ran on a CPU and waited for one (Linux /proc/…/schedstat)."""
    with open(path) as stat:
        running, waiting, _slices = stat.read().split()
    return int(running), int(waiting)


def measure(client, url: str, requests: int) -> tuple[float, float, int]:
    """p50/p95 wall time and the query count; also prints where the time went per request:
    on a CPU (this thread and the PostgreSQL backend serving it) and waiting for a CPU, which
    is what other processes on the machine cost it."""
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm-up: templates, translations, connection
        response = client.get(url, secure=True)
        assert response.status_code == 200, (response.status_code, response.content[:2000])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        threads = ["/proc/thread-self/schedstat", f"/proc/{cursor.fetchone()[0]}/schedstat"]
    times, on_cpu, waiting = [], [], []
    for _ in range(requests):
        before = [schedstat(path) for path in threads]
        started = time.perf_counter()
        response = client.get(url, secure=True)
        times.append((time.perf_counter() - started) * 1000)
        after = [schedstat(path) for path in threads]
        on_cpu.append(sum(a[0] - b[0] for a, b in zip(after, before, strict=True)) / 1e6)
        waiting.append(sum(a[1] - b[1] for a, b in zip(after, before, strict=True)) / 1e6)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url, secure=True)
    print(
        "  on a CPU (Python + PostgreSQL): p50 {:.0f} ms, p95 {:.0f} ms; "
        "waiting for a CPU: p50 {:.0f} ms, p95 {:.0f} ms; load average {:.1f}".format(
            *p50_p95(on_cpu), *p50_p95(waiting), os.getloadavg()[0]
        )
    )
    return *p50_p95(times), len(queries)


def columns(model, **overrides: str) -> tuple[str, str]:
    """Column list and SELECT list (from alias `src`) of a model, without the id."""
    names = [f.column for f in model._meta.concrete_fields if f.column != "id"]
    return ", ".join(names), ", ".join(overrides.get(n, f"src.{n}") for n in names)


def grow(winddown_id: int, holdings: int, deliveries: int) -> None:
    """Clone the demo's systems (with their holdings and decisions) and add delivered notices."""
    from compliance.models import Decision
    from inventory.models import DataSystem, Holding
    from notices.models import Campaign, Delivery, Recipient

    demo_holdings = Holding.objects.filter(winddown_id=winddown_id).count()
    copies = max(1, round(holdings / demo_holdings) - 1)
    with connection.cursor() as cursor:
        cols, select = columns(DataSystem, name="src.name || ' #' || g")
        cursor.execute(
            f"INSERT INTO inventory_datasystem ({cols}) SELECT {select} "
            "FROM inventory_datasystem src CROSS JOIN generate_series(1, %s) g "
            "WHERE src.winddown_id = %s",
            [copies, winddown_id],
        )
        clone = (
            "JOIN inventory_datasystem s ON s.id = src.system_id "
            "JOIN inventory_datasystem ns ON ns.winddown_id = s.winddown_id "
            "AND ns.name LIKE s.name || ' #%%' AND split_part(ns.name, ' #', 1) = s.name "
            "WHERE src.winddown_id = %s AND s.name NOT LIKE '%% #%%'"
        )
        cols, select = columns(Holding, system_id="ns.id")
        cursor.execute(
            f"INSERT INTO inventory_holding ({cols}) SELECT {select} "
            f"FROM inventory_holding src {clone}",
            [winddown_id],
        )
        cols, select = columns(Decision, holding_id="nh.id")
        cursor.execute(
            f"INSERT INTO compliance_decision ({cols}) SELECT {select} "
            "FROM compliance_decision src JOIN inventory_holding h ON h.id = src.holding_id "
            "JOIN inventory_datasystem s ON s.id = h.system_id "
            "JOIN inventory_datasystem ns ON ns.winddown_id = s.winddown_id "
            "AND ns.name LIKE s.name || ' #%%' AND split_part(ns.name, ' #', 1) = s.name "
            "JOIN inventory_holding nh ON nh.system_id = ns.id AND nh.category_id = h.category_id "
            "AND nh.source = h.source AND nh.jurisdiction = h.jurisdiction "
            "WHERE src.winddown_id = %s AND s.name NOT LIKE '%% #%%'",
            [winddown_id],
        )
        campaigns, recipients = 10, deliveries // 10
        cols, select = columns(
            Recipient,
            email="'bench-' || g || '@customers.example'",
            customer_ref="'B' || g",
        )
        cursor.execute(
            f"INSERT INTO notices_recipient ({cols}) SELECT {select} "
            "FROM (SELECT * FROM notices_recipient WHERE winddown_id = %s LIMIT 1) src "
            "CROSS JOIN generate_series(1, %s) g",
            [winddown_id, recipients],
        )
        cols, select = columns(Campaign, name="src.name || ' #' || g", status="'done'")
        cursor.execute(
            f"INSERT INTO notices_campaign ({cols}) SELECT {select} "
            "FROM (SELECT * FROM notices_campaign WHERE winddown_id = %s LIMIT 1) src "
            "CROSS JOIN generate_series(1, %s) g",
            [winddown_id, campaigns],
        )
        cols, _ = columns(Delivery)
        cursor.execute(
            "INSERT INTO notices_delivery (campaign_id, recipient_id, message_id, status, "
            "attempts, claimed_by, last_error, provider_message_id, sent_at, updated_at) "
            "SELECT c.id, r.id, '<' || c.id || '.' || r.id || '@bench.example>', "
            "CASE WHEN r.id %% 50 = 0 THEN 'bounced' ELSE 'delivered' END, 1, '', '', '', "
            "now() - (r.id %% 30) * interval '1 day', now() "
            "FROM notices_campaign c JOIN notices_recipient r ON r.winddown_id = c.winddown_id "
            "WHERE c.winddown_id = %s AND c.name LIKE '%% #%%' "
            "AND r.email LIKE 'bench-%%'",
            [winddown_id],
        )
        # what autovacuum does within a minute of a bulk load: statistics, and the visibility
        # map that lets the dashboard's counts read covering indexes without the table
        cursor.execute("VACUUM ANALYZE")
    moved(winddown_id, "grown")  # as the imports that grow a real wind-down are audited
    print(
        f"grown: {Holding.objects.filter(winddown_id=winddown_id).count():,} holdings, "
        f"{Decision.objects.filter(winddown_id=winddown_id).count():,} decisions, "
        f"{Delivery.objects.filter(campaign__winddown_id=winddown_id).count():,} deliveries"
    )


def moved(winddown_id: int, what: str) -> None:
    """Append to the wind-down's audit chain, as every state change does."""
    from django.db import transaction

    from windown.audit import audit_record
    from windown.models import WindDown

    with transaction.atomic():
        audit_record(
            winddown=WindDown.objects.get(pk=winddown_id),
            actor=None,
            action="bench.changed",
            payload={"what": what},
        )


def after_a_change(client, url: str, winddown_id: int, requests: int = 9) -> float:
    """The median of the first request after a state change, which reads again the figures kept
    while the audit chain stays (the deletion progress)."""
    times = []
    for i in range(requests):
        moved(winddown_id, f"change {i}")
        started = time.perf_counter()
        assert client.get(url, secure=True).status_code == 200
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def print_panels(director) -> None:
    """Where the time goes: each phase's panel alone, median of 5 (nothing changes between
    them, so destruction's deletion figures are the ones kept at this audit position)."""
    from dashboard.panels import PANELS

    parts = []
    for permission, build in PANELS:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            build(director)
            times.append((time.perf_counter() - started) * 1000)
        parts.append(f"{permission.split('.')[0]} {statistics.median(times):.0f} ms")
    print("panels: " + ", ".join(parts))


def run(requests: int, holdings: int, deliveries: int) -> None:
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from windown.models import Membership

    with open(os.devnull, "w") as quiet:
        call_command("load_demo", force=True, stdout=quiet)
    director = Membership.objects.select_related("user", "winddown").get(
        winddown__slug=SLUG, role="director"
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(director.user)
    url = reverse("dashboard:home", kwargs={"slug": SLUG})
    demo_p50, demo_p95, demo_queries = measure(client, url, requests)
    print(f"demo: p50 {demo_p50:.0f} ms, p95 {demo_p95:.0f} ms, {demo_queries} queries")
    started = time.perf_counter()
    grow(director.winddown_id, holdings, deliveries)
    print(f"growing took {time.perf_counter() - started:.0f} s")
    p50, p95, queries = measure(client, url, requests)
    print(
        "  the first request after a state change (deletion figures read again): "
        f"p50 {after_a_change(client, url, director.winddown_id):.0f} ms"
    )
    print_panels(director)
    print(
        f"dashboard: p50 {p50:.0f} ms, p95 {p95:.0f} ms, queries demo={demo_queries} large={queries}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--holdings", type=int, default=50_000)
    parser.add_argument("--deliveries", type=int, default=1_000_000)
    arguments = parser.parse_args()
    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("postgresql"):
        sys.exit("bench_dashboard.py needs PostgreSQL: set DATABASE_URL")
    settings.ALLOWED_HOSTS = ["localhost"]
    # production settings, but static URLs without a collectstatic manifest
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    database.setdefault("TEST", {})["NAME"] = f"bench_dashboard_{database['NAME']}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(arguments.requests, arguments.holdings, arguments.deliveries)
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
