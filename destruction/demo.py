"""The demo's destruction phase (load_demo calls `load`)."""

from __future__ import annotations

from destruction import demo_archives
from windown.models import Membership, WindDown


def load(winddown: WindDown, members: dict[str, Membership]) -> None:
    demo_archives.load(winddown, members)
