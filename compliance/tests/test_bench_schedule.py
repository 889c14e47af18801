"""CI runs the schedule PDF benchmark at a small size: the script works and prints its figures."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_schedule_benchmark_prints_windown_next_to_bare_weasyprint():
    result = subprocess.run(
        [sys.executable, "bench/bench_schedule.py", "--sizes", "30"],
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = re.search(
        r"^30 decisions: windown (\d+\.\d+) s \((\d+\.\d+) CPU-s\), bare WeasyPrint on the same "
        r"HTML (\d+\.\d+) s \((\d+\.\d+) CPU-s\), ratio (\d+\.\d+); \d+ KiB PDF, \d+ table rows$",
        result.stdout,
        re.MULTILINE,
    )
    assert figures, result.stdout
    assert all(float(value) > 0 for value in figures.groups())
