"""requirements.lock pins, with a hash, every package requirements.txt pins: a package added to
requirements.txt without `make lock` fails here (CI installs from the lock)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pins(text: str) -> dict[str, str]:
    found = re.findall(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s\\;]+)", text, re.MULTILINE)
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in found}


def test_the_lock_pins_every_requirement_at_the_same_version_with_a_hash():
    wanted = pins((ROOT / "requirements.txt").read_text())
    lock = (ROOT / "requirements.lock").read_text()
    locked = pins(lock)
    stale = {name: v for name, v in wanted.items() if locked.get(name) != v}
    assert not stale, f"run `make lock`: requirements.lock lacks or differs for {stale}"
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock.split("\n", 2)[2].strip())
    assert all("--hash=sha256:" in entry for entry in entries)
