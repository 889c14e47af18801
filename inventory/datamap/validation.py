"""Check a data-map sheet row by row and turn it into clean values, naming every problem by
row, column and message. No database access: the caller passes what it needs to look up."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from inventory.datamap.columns import (
    COLUMNS,
    COUNT_COLUMNS,
    DATE_COLUMNS,
    HEADER_NAMES,
    split_fields,
)
from inventory.models import DataSystem, Holding, country_codes, is_jurisdiction
from windown.spreadsheets import unneutralise

SYSTEM_COLUMNS = (
    "system_kind",
    "provider",
    "region",
    "storage_country",
    "department",
    "custodian_email",
)
MAX_LENGTHS = {"system": 200, "provider": 100, "region": 100, "department": 100}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Row:
    """One valid row: the system it describes and the holding it declares."""

    number: int
    values: dict = field(default_factory=dict)


@dataclass
class Lookups:
    category_keys: frozenset[str]
    member_emails: frozenset[str]
    may_import: Callable[[str], bool]  # department -> whether the importer may write it


def _closest(value: str, options: Iterable[str]) -> str:
    match = difflib.get_close_matches(value, list(options), n=1, cutoff=0.5)
    return match[0] if match else ""


def _unknown(what: str, value: str, options: Iterable[str], *, show_all: bool) -> str:
    options = list(options)
    message = _("Unknown %(what)s “%(value)s”.") % {"what": what, "value": value}
    suggestion = _closest(value, options)
    if suggestion:
        message += " " + _("Did you mean “%(s)s”?") % {"s": suggestion}
    if show_all:
        message += " " + _("Allowed: %(list)s.") % {"list": ", ".join(options)}
    return message


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return unneutralise(str(value).strip())


def map_header(header: list[str]) -> tuple[list[str | None], list[Problem]]:
    """Map each header cell to a column name (accepting Chinese aliases); report what's wrong."""
    problems, mapped = [], []
    for cell in header:
        label = str(cell or "").strip().lstrip("\ufeff")
        name = HEADER_NAMES.get(label) or HEADER_NAMES.get(label.lower())
        if label and name is None:
            problems.append(Problem(1, label, _("Unknown column.")))
        if name in mapped:
            problems.append(Problem(1, label, _("This column appears twice.")))
        mapped.append(name)
    problems += [
        Problem(1, name, _("Required column is missing.")) for name in COLUMNS if name not in mapped
    ]
    return mapped, problems


class RowChecker:
    """Validate rows one at a time, remembering what earlier rows said about each system."""

    def __init__(self, lookups: Lookups):
        self.lookups = lookups
        self.systems: dict[str, tuple[int, dict]] = {}  # name -> (first row, its attributes)
        self.slices: dict[tuple, int] = {}  # slice -> row declaring it
        self.kinds = DataSystem.Kind.values
        self.sources = Holding.Source.values

    def check(self, number: int, raw: dict) -> tuple[Row | None, list[Problem]]:
        problems: list[Problem] = []

        def problem(column: str, message: str) -> None:
            problems.append(Problem(number, column, message))

        v = {name: _text(raw.get(name)) for name in COLUMNS if name not in COUNT_COLUMNS}
        for name in ("system", "system_kind", "department", "category", "source", "jurisdiction"):
            if not v[name]:
                problem(name, _("This value is required."))
        for name, limit in MAX_LENGTHS.items():
            if len(v[name]) > limit:
                problem(name, _("At most %(n)d characters.") % {"n": limit})
        v["system_kind"] = v["system_kind"].lower()
        if v["system_kind"] and v["system_kind"] not in self.kinds:
            problem(
                "system_kind",
                _unknown(_("system kind"), v["system_kind"], self.kinds, show_all=True),
            )
        v["source"] = v["source"].lower()
        if v["source"] and v["source"] not in self.sources:
            problem("source", _unknown(_("source"), v["source"], self.sources, show_all=True))
        if v["category"] and v["category"] not in self.lookups.category_keys:
            keys = sorted(self.lookups.category_keys)
            problem("category", _unknown(_("category"), v["category"], keys, show_all=False))
        v["jurisdiction"] = v["jurisdiction"].upper()
        if v["jurisdiction"] and not is_jurisdiction(v["jurisdiction"]):
            problem(
                "jurisdiction",
                _("“%(v)s” is not a jurisdiction: use an ISO country code, US-CA or OTHER.")
                % {"v": v["jurisdiction"]},
            )
        v["storage_country"] = v["storage_country"].upper()
        if v["storage_country"] and v["storage_country"] not in country_codes():
            problem(
                "storage_country",
                _("“%(v)s” is not an ISO country code.") % {"v": v["storage_country"]},
            )
        v["custodian_email"] = v["custodian_email"].lower()
        if v["custodian_email"] and v["custodian_email"] not in self.lookups.member_emails:
            problem(
                "custodian_email",
                _("Unknown custodian: no member of this wind-down has the email “%(v)s”.")
                % {"v": v["custodian_email"]},
            )
        if v["department"] and not self.lookups.may_import(v["department"]):
            problem(
                "department",
                _("You may only import data of your own department, not “%(v)s”.")
                % {"v": v["department"]},
            )
        self._check_counts(raw, v, problem)
        self._check_dates(raw, v, problem)
        v["fields"] = split_fields(v["fields"])
        if not problems:
            self._check_against_earlier_rows(number, v, problem)
        return (None if problems else Row(number, v)), problems

    def _check_counts(self, raw: dict, v: dict, problem) -> None:
        valid = True
        for name in COUNT_COLUMNS:
            cell = raw.get(name)
            v[name] = 0
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                if name == "records_total":
                    problem(name, _("This value is required."))
                    valid = False
                continue
            count = _count(cell)
            if count is None:
                problem(name, _("“%(v)s” is not a whole number of records.") % {"v": cell})
            elif count < 0:
                problem(name, _("A number of records cannot be negative."))
            else:
                v[name] = count
                continue
            valid = False
        if valid and v["records_active"] + v["records_dormant"] > v["records_total"]:
            problem(
                "records_active",
                _("Active (%(a)d) plus dormant (%(d)d) records exceed the total (%(t)d).")
                % {"a": v["records_active"], "d": v["records_dormant"], "t": v["records_total"]},
            )

    def _check_dates(self, raw: dict, v: dict, problem) -> None:
        for name in DATE_COLUMNS:
            cell = raw.get(name)
            v[name] = _date(cell)
            if v[name] is None and _text(cell):
                problem(name, _("“%(v)s” is not a date in the form YYYY-MM-DD.") % {"v": cell})
        if v["oldest_record"] and v["newest_record"] and v["oldest_record"] > v["newest_record"]:
            problem("newest_record", _("The newest record is older than the oldest record."))

    def _check_against_earlier_rows(self, number: int, v: dict, problem) -> None:
        key = (v["system"], v["category"], v["source"], v["jurisdiction"])
        if key in self.slices:
            problem(
                "jurisdiction",
                _("Row %(n)d already declares this system, category, source and jurisdiction.")
                % {"n": self.slices[key]},
            )
            return
        self.slices[key] = number
        attributes = {name: v[name] for name in SYSTEM_COLUMNS}
        first = self.systems.setdefault(v["system"], (number, attributes))
        for name in SYSTEM_COLUMNS:
            if first[1][name] != attributes[name]:
                problem(
                    name,
                    _("Row %(n)d describes system “%(s)s” with %(c)s “%(v)s”.")
                    % {"n": first[0], "s": v["system"], "c": name, "v": first[1][name]},
                )


def _count(cell) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else None
    text = str(cell).strip().replace(",", "").replace(" ", "")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return None


def _date(cell) -> dt.date | None:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = _text(cell)
    if not ISO_DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
