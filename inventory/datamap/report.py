"""What an import reports: counts, the changes it would make or made, every problem."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from inventory.datamap.validation import Problem
from windown import textencoding

MAX_REPORTED_PROBLEMS = 1000
MAX_REPORTED_CHANGES = 200


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Change:
    row: int
    action: str  # created | updated
    system: str
    category: str
    source: str
    jurisdiction: str
    changed: list[str] = field(default_factory=list)


@dataclass
class SystemChange:
    row: int
    action: str  # created | updated
    system: str
    changed: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    filename: str
    sha256: str
    dry_run: bool
    rows: int = 0
    encoding: str = ""  # for CSV: the codec the file was read with
    encoding_chosen: bool = False  # chosen by the user, not recognised
    preview: list[list[str]] = field(default_factory=list)  # header and first rows, decoded
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    systems: Tally = field(default_factory=Tally)
    holdings: Tally = field(default_factory=Tally)
    changes: list[Change] = field(default_factory=list)
    system_changes: list[SystemChange] = field(default_factory=list)
    applied: bool = False

    @property
    def encoding_label(self) -> str:
        return textencoding.LABELS.get(self.encoding, self.encoding)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def changes_anything(self) -> bool:
        return any(t.created or t.updated for t in (self.systems, self.holdings))

    def add_problems(self, problems: list[Problem]) -> None:
        """Count every problem; keep the first MAX_REPORTED_PROBLEMS to show."""
        self.problem_count += len(problems)
        room = MAX_REPORTED_PROBLEMS - len(self.problems)
        self.problems += problems[: max(room, 0)]


def report_to_json(report: ImportReport) -> dict:
    """The report as a job row stores it (JSON)."""
    return asdict(report)


def report_from_json(data: dict) -> ImportReport:
    """The report a job row stored, as the page and the API show it."""
    data = dict(data)
    nested = {
        "problems": [Problem(**p) for p in data.pop("problems", [])],
        "systems": Tally(**data.pop("systems", {})),
        "holdings": Tally(**data.pop("holdings", {})),
        "changes": [Change(**c) for c in data.pop("changes", [])],
        "system_changes": [SystemChange(**c) for c in data.pop("system_changes", [])],
    }
    return ImportReport(**data, **nested)


def add_change(changes: list, change) -> None:
    """Keep the first MAX_REPORTED_CHANGES changes to show."""
    if len(changes) < MAX_REPORTED_CHANGES:
        changes.append(change)
