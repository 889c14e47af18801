"""Recipient import vs raw PostgreSQL COPY of the same CSV into a bare table.

Generates a CSV (default 1,000,000 rows, six languages, some duplicates in other case),
imports it through the import service (validation, normalisation, merge, upsert, audit) and
COPYs the same file into an unlogged bare table. The import and the floor (below) run in
--rounds alternating rounds (default 3), each rolled back, vacuumed and checkpointed before the
next, so each round meets the same table; the medians are compared. Prints both rates, the ratio and the peak
memory of this process (the import streams: it never holds the file), and a floor: the
de-duplicated rows inserted straight from a table into notices_recipient, which is what its
indexes and foreign key cost any import. Needs PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wd_notices \\
    python bench/bench_notices_import.py --rows 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# As in production: DEBUG off, so Django keeps no query log in memory.
os.environ.update(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "windown.settings")
LANGS = ["en", "de", "fr", "ja", "zh-hans", "es"]
NAMES = ["Olivia Brown", "Jürgen Müller", "Amélie Dubois", "山田 花子", "王小明", "José Núñez"]
JURISDICTIONS = ["GB", "DE", "FR", "JP", "CN", "ES", "US-CA"]


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("email,name,language,jurisdiction,customer_ref,has_open_order\n")
        for i in range(rows):
            email = f"Customer{i}@Example.com" if i % 97 else f"customer{i - 1}@example.COM"
            out.write(
                f"{email},{NAMES[i % 6]},{LANGS[i % 6]},{JURISDICTIONS[i % 7]},C{i},"
                f"{'yes' if i % 40 == 0 else 'no'}\n"
            )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("skipped: set DATABASE_URL to a PostgreSQL database")
        return
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from notices.services.importing import recipients_import
    from windown import services
    from windown.models import Membership, User

    call_command("migrate", verbosity=0)
    csv_path = Path(tempfile.gettempdir()) / f"windown-bench-import-{args.rows}.csv"
    if not csv_path.exists():
        write_csv(csv_path, args.rows)
    size_mb = csv_path.stat().st_size / 1e6
    user, _ = User.objects.get_or_create(email="bench@windown.example")
    winddown = services.winddown_create(
        creator=user,
        slug=f"bench-import-{int(time.time())}",
        company_legal_name="Bench Import Ltd",
        registration_country="DE",
        company_form="GmbH",
        deletion_deadline=dt.date.today() + dt.timedelta(days=120),
    )
    director = Membership.objects.get(winddown=winddown)
    empty = services.winddown_create(
        creator=user,
        slug=f"bench-import-floor-{int(time.time())}",
        company_legal_name="Bench Import Floor Ltd",
        registration_country="DE",
        company_form="GmbH",
        deletion_deadline=dt.date.today() + dt.timedelta(days=120),
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def settle() -> None:
        """Start each timed part alike: dead rows of the last one vacuumed, WAL checkpointed."""
        with connection.cursor() as cursor:
            cursor.execute("VACUUM notices_recipient")
            cursor.execute("CHECKPOINT")

    def windown_import() -> tuple[float, object]:
        """The import service, rolled back after (each round sees the same table)."""
        settle()
        with transaction.atomic(), csv_path.open("rb") as file:
            began = time.monotonic()
            report = recipients_import(by=director, file=file, filename=csv_path.name)
            seconds = time.monotonic() - began
            transaction.set_rollback(True)
        return seconds, report

    def floor_insert() -> float:
        """The floor for any import into this schema: the same rows, already in a table and
        de-duplicated, inserted into notices_recipient (indexes, foreign key), rolled back."""
        settle()
        with connection.cursor() as cursor, transaction.atomic():
            began = time.monotonic()
            cursor.execute(
                "INSERT INTO notices_recipient (winddown_id, email, name, language, "
                "jurisdiction, customer_ref, has_open_order, created_at, updated_at) "
                "SELECT %s, *, now(), now() FROM bench_rows",
                [empty.pk],
            )
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            seconds = time.monotonic() - began
            transaction.set_rollback(True)
        return seconds

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS bench_copy (email text, name text, "
            "language text, jurisdiction text, customer_ref text, has_open_order text)"
        )
        cursor.execute("TRUNCATE bench_copy")
    began = time.monotonic()
    with (
        connection.cursor() as cursor,
        csv_path.open("rb") as file,
        cursor.connection.cursor().copy(
            "COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)"
        ) as copy,
    ):
        while chunk := file.read(1 << 20):
            copy.write(chunk)
    copy_seconds = time.monotonic() - began
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_rows AS SELECT DISTINCT ON (lower(email)) lower(email) "
            "AS email, name, language, jurisdiction, customer_ref, has_open_order = 'yes' AS "
            "has_open_order FROM bench_copy"
        )

    # alternating rounds, so that a machine whose load changes hurts both alike
    windown_runs, floor_runs = [], []
    for _round in range(args.rounds):
        seconds, report = windown_import()
        windown_runs.append(seconds)
        floor_runs.append(floor_insert())
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_copy, bench_rows")
    windown_seconds = statistics.median(windown_runs)
    floor_seconds = statistics.median(floor_runs)
    each = ", ".join(f"{f / w:.2f}" for w, f in zip(windown_runs, floor_runs, strict=True))

    print(f"rows                       {args.rows} ({size_mb:.0f} MB CSV)")
    print(
        f"recipients created         {report.created} (duplicates merged: {args.rows - report.created})"
    )
    print(
        f"windown import             {args.rows / windown_seconds:10.0f} rows/s ({windown_seconds:.1f} s)"
    )
    print(
        f"raw COPY, bare table       {args.rows / copy_seconds:10.0f} rows/s ({copy_seconds:.1f} s)"
    )
    print(
        f"floor: INSERT into recipients {args.rows / floor_seconds:7.0f} rows/s ({floor_seconds:.1f} s"
        f", rows already parsed and merged; ratio to COPY {copy_seconds / floor_seconds:.2f})"
    )
    print(f"ratio windown / COPY       {copy_seconds / windown_seconds:10.2f}")
    print(
        f"ratio windown / floor      {floor_seconds / windown_seconds:10.2f}  (target >= 0.8; "
        f"medians of {args.rounds} alternating rounds, each round: {each})"
    )
    print(f"peak RSS of this process   {rss_before:.0f} MB before, {rss_after:.0f} MB after import")


if __name__ == "__main__":
    main()
