"""Measure the retention schedule PDF: windown's render next to a bare WeasyPrint render.

Run from the repository root: python bench/bench_schedule.py [--sizes 500,10000] [--seed 1]
For each size it creates a throwaway test database (as bench_evaluate.py does), fills a
wind-down with that many holdings, evaluates them (a legal hold and open matters included),
approves half, then times render_pdf() (queries, grouping, HTML and PDF) and, on the very
same HTML, a bare WeasyPrint render (HTML(string=...).write_pdf()). Targets: ≤ 2 s for 500
decisions, ≤ 20 s for 10,000. Prints figures; asserts nothing.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_evaluate import ROOT, build, connection, settings


def measure(n: int, seed: int, save_html: str = "") -> None:
    from weasyprint import HTML

    from compliance.models import Decision
    from compliance.services import decisions_evaluate, ruleset_import
    from compliance.services.schedule import render_pdf, schedule_html

    winddown, _ = build(n, seed)
    ruleset_import(winddown=winddown)
    decisions_evaluate(winddown=winddown)
    decisions = Decision.objects.filter(winddown=winddown)
    half = decisions.filter(conflict=False).order_by("pk")[: n // 2]
    director = winddown.memberships.select_related("user").first().user
    decisions.filter(pk__in=list(half.values_list("pk", flat=True))).update(
        status="approved", reviewed_by=director, approved_by=director
    )
    arguments = dict(winddown=winddown, decisions=decisions, ruleset_version="bench")
    HTML(string="<p>warm-up 预热</p>").write_pdf()  # font setup, paid once per process
    started, cpu = time.perf_counter(), time.process_time()
    pdf = render_pdf(**arguments)
    windown_seconds, windown_cpu = time.perf_counter() - started, time.process_time() - cpu
    html = schedule_html(**arguments)
    if save_html:
        Path(save_html).write_text(html, encoding="utf-8")
    started, cpu = time.perf_counter(), time.process_time()
    HTML(string=html).write_pdf()
    bare_seconds, bare_cpu = time.perf_counter() - started, time.process_time() - cpu
    # CPU seconds are printed too: on a shared machine wall time mostly measures the others
    print(
        f"{n:,} decisions: windown {windown_seconds:.2f} s ({windown_cpu:.2f} CPU-s), bare "
        f"WeasyPrint on the same HTML {bare_seconds:.2f} s ({bare_cpu:.2f} CPU-s), ratio "
        f"{windown_seconds / bare_seconds:.2f}; {len(pdf) / 1024:.0f} KiB PDF, "
        f"{html.count('<tr>')} table rows"
    )


def main(sizes: list[int], seed: int, save_html: str = "") -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        database.setdefault("TEST", {})["NAME"] = f"bench_schedule_{database['NAME']}"
    else:
        database.setdefault("TEST", {})["NAME"] = str(ROOT / "var" / "bench-schedule.sqlite3")
    for n in sizes:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            measure(n, seed, save_html.replace("{n}", str(n)))
        finally:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,10000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--save-html", default="", help="write each size's HTML, e.g. s-{n}.html")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    main(sizes, arguments.seed, arguments.save_html)
