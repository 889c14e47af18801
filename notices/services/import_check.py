"""Check and normalise the rows of a recipients file in Python, a chunk of rows at a time.

The verdicts and values are `parse_row`'s: a row is taken on the fast path only when every
field passes a check that accepts a subset of what `parse_row` accepts and normalises the
field exactly as it does; any other row goes through `parse_row` itself. The fast checks
run column by column (`map` over a column, no Python loop per row):

- email: stripped and lowered as `parse_row` does, then a regex for ASCII addresses in the
  EmailValidator's dot-atom form (labels 1 to 63 characters, no leading or trailing hyphen,
  a TLD of letters or punycode), 254 characters at most;
- language, jurisdiction and the open-order flag: `parse_row` itself, asked once per
  distinct raw value (a few per file) and remembered;
- name and customer reference: stripped, within `parse_row`'s lengths; the name (it goes
  into the To: header) without a line break or other control character (`HEADER_CONTROL`:
  what windown.headers refuses).

`test_import.py` holds the two paths to the same rows and errors on generated hostile rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError

from notices.services.import_rows import ImportReport, parse_row

FIELDS = ("email", "name", "language", "jurisdiction", "customer_ref", "has_open_order")
_PROBE = "probe@example.com"  # a valid email, to ask parse_row about one other field
# Addresses of at most SHORT characters cannot hold a label or TLD longer than 63: for them a
# pattern without bounds (possessive, so it never backtracks); longer ones get the bounded one.
SHORT = 65
EMAIL_SHORT = re.compile(
    r"[-!#$%&'*+/=?^_`{}|~0-9a-z]++(?:\.[-!#$%&'*+/=?^_`{}|~0-9a-z]++)*+"
    r"@(?:[a-z0-9]++(?:-++[a-z0-9]++)*+\.)++"
    r"(?:[a-z]{2,}+(?:-++[a-z]++)*+|xn--[a-z0-9]++)"
)
EMAIL = re.compile(
    r"(?=.{3,254}\Z)"
    r"[-!#$%&'*+/=?^_`{}|~0-9a-z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9a-z]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:(?=[a-z-]{2,63}\Z)[a-z][a-z-]*[a-z]|xn--[a-z0-9]{1,59})"
)
# the characters windown.headers.validate_header_text refuses (Unicode Cc, Zl, Zp)
HEADER_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
NAME_MAX, REF_MAX = 200, 100  # parse_row's limits (a longer one goes through parse_row)
_CACHE_LIMIT = 10_000  # distinct raw values remembered per column


class _Verdicts(dict):
    """Raw value → `parse_row`'s normalised value of one field, or None if it refuses it."""

    def __init__(self, field: str):
        super().__init__()
        self.field = field

    def __missing__(self, raw: str):
        try:
            value = parse_row({"email": _PROBE, self.field: raw})[self.field]
        except ValidationError:
            value = None
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[raw] = value
        return value


class ChunkChecker:
    """Checks the rows of one file; `check` returns the valid rows of a chunk, normalised."""

    def __init__(self, header: list[str], report: ImportReport):
        self.header, self.width, self.report = header, len(header), report
        position = {name: i for i, name in enumerate(header)}  # repeated: the last wins
        self.position = {f: position.get(f) for f in FIELDS}
        self.language = _Verdicts("language")
        self.jurisdiction = _Verdicts("jurisdiction")
        self.flag = _Verdicts("has_open_order")

    def _column(self, columns: list[tuple], field: str, size: int) -> tuple:
        at = self.position[field]
        return ("",) * size if at is None else columns[at]

    def check(self, chunk: list[list], first: int) -> list[tuple]:
        """(row number, email, name, language, jurisdiction, customer_ref, has_open_order)
        for each valid row of `chunk`, whose first row is row number `first`; invalid rows
        are refused in the report, blank rows skipped, the others counted."""
        width, size = self.width, len(chunk)
        if not size:
            return []
        rows = [r if len(r) == width else [*r[:width], *[""] * (width - len(r))] for r in chunk]
        columns = list(zip(*rows, strict=True))
        emails = list(map(str.lower, map(str.strip, self._column(columns, "email", size))))
        names = list(map(str.strip, self._column(columns, "name", size)))
        refs = list(map(str.strip, self._column(columns, "customer_ref", size)))
        languages = list(map(self.language.__getitem__, self._column(columns, "language", size)))
        places = list(
            map(self.jurisdiction.__getitem__, self._column(columns, "jurisdiction", size))
        )
        flags = list(map(self.flag.__getitem__, self._column(columns, "has_open_order", size)))
        numbers = range(first, first + size)
        fast = list(map(EMAIL_SHORT.fullmatch, emails))
        if max(map(len, emails), default=0) > SHORT:
            fast = [
                EMAIL.fullmatch(e) if len(e) > SHORT else m
                for e, m in zip(emails, fast, strict=True)
            ]
        if (
            all(fast)
            and None not in places
            and None not in flags
            and max(map(len, names), default=0) <= NAME_MAX
            and max(map(len, refs), default=0) <= REF_MAX
            and not HEADER_CONTROL.search("".join(names))
        ):
            self.report.rows += size
            return list(zip(numbers, emails, names, languages, places, refs, flags, strict=True))
        valid = []
        for i, row in enumerate(
            zip(numbers, emails, names, languages, places, refs, flags, strict=True)
        ):
            if (
                fast[i]
                and row[4] is not None
                and row[6] is not None
                and len(row[2]) <= NAME_MAX
                and len(row[5]) <= REF_MAX
                and not HEADER_CONTROL.search(row[2])
            ):
                self.report.rows += 1
                valid.append(row)
            elif checked := self._slow(chunk[i], row[0]):
                valid.append(checked)
        return valid

    def _slow(self, values: list, number: int) -> tuple | None:
        """The row through `parse_row`, as the plain Python import takes it."""
        if not any(str(v).strip() for v in values):
            return None  # a blank row: neither counted nor refused
        self.report.rows += 1
        try:
            row = parse_row(dict(zip(self.header, values, strict=False)))
        except ValidationError as error:
            self.report.refuse_row(number, error)
            return None
        return (number, *(row[f] for f in FIELDS))


def first_seen(bits: int = 25) -> Callable[[list[tuple]], list[bool]]:
    """Per row of a chunk: whether its email may have occurred earlier in the file.

    A bitmap of hashes (2**bits bits, 4 MiB by default) remembers the emails: a True may be
    a collision (such rows are merged like duplicates, which changes nothing for a single
    row); a False is certain. Memory stays the same however long the file is.
    """
    seen, mask = bytearray(1 << (bits - 3)), (1 << bits) - 1

    def again(rows: list[tuple]) -> list[bool]:
        result = []
        for row in rows:
            h = hash(row[1]) & mask
            byte, bit = h >> 3, 1 << (h & 7)
            old = seen[byte]
            result.append(bool(old & bit))
            seen[byte] = old | bit
        return result

    return again
