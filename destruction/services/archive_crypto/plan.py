"""The field plan applied to an export: which columns are kept, and rows checked against them.

Every column must be named by the decision's field plan; rows wider or narrower than the
header are refused with their row number.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _norm(name: str) -> str:
    return str(name).strip().lstrip("\ufeff").strip().lower()


@dataclass(frozen=True)
class ColumnPlan:
    header: list[str]
    keep_indexes: list[int]
    kept: list[str]
    dropped: list[str]


def plan_columns(header: list[str], keep_fields: list[str], drop_fields: list[str]) -> ColumnPlan:
    """Match the export's columns to the decision's field plan.

    Every column must be named by the plan: a column the plan does not mention is refused,
    not guessed at (dropping it could cut content the law requires to be kept whole; keeping
    it would archive data nobody decided to keep). A field the plan keeps must be present.
    """
    while header and not _norm(header[-1]):
        header = header[:-1]
    names = [_norm(h) for h in header]
    if not names:
        raise ValidationError(_("Row 1 must name the columns; the file has no header row."))
    errors = []
    blank = [str(i + 1) for i, n in enumerate(names) if not n]
    if blank:
        errors.append(_("Row 1: column(s) %s have no name.") % ", ".join(blank))
    duplicates = sorted({n for n in names if n and names.count(n) > 1})
    if duplicates:
        errors.append(_("Row 1: column(s) named twice: %s.") % ", ".join(duplicates))
    keep, drop = {_norm(f) for f in keep_fields}, {_norm(f) for f in drop_fields}
    unplanned = [h for h, n in zip(header, names, strict=True) if n and n not in keep | drop]
    if unplanned:
        errors.append(
            _(
                "Row 1: the decision's field plan does not mention column(s) %(columns)s. "
                "Remove them from the export, or have them added to the holding's fields so "
                "legal decides whether they are kept."
            )
            % {"columns": ", ".join(unplanned)}
        )
    missing = sorted(keep - set(names))
    if missing:
        errors.append(
            _("Row 1: the export lacks field(s) the plan keeps: %s.") % ", ".join(missing)
        )
    if errors:
        raise ValidationError(errors)
    indexes = [i for i, n in enumerate(names) if n in keep]
    return ColumnPlan(
        header=list(header),
        keep_indexes=indexes,
        kept=[header[i].strip().lstrip("\ufeff") for i in indexes],
        dropped=[h.strip().lstrip("\ufeff") for i, h in enumerate(header) if i not in indexes],
    )


def checked_batch(batch: list[list], header: list[str], first_row: int) -> list[list]:
    """Return the batch without blank rows; refuse a row wider or narrower than the header.

    `first_row` is the file's row number of batch[0] (the header is row 1).
    """
    width, checked = len(header), []
    for number, row in enumerate(batch, start=first_row):
        if len(row) == width:
            checked.append(row)
        elif not any(cell.strip() for cell in row):
            continue
        elif len(row) > width and not any(cell.strip() for cell in row[width:]):
            checked.append(row[:width])
        elif len(row) > width:
            raise ValidationError(
                _("Row %(row)s has %(cells)s cells but the header names %(width)s columns.")
                % {"row": number, "cells": len(row), "width": width}
            )
        else:
            raise ValidationError(
                _(
                    "Row %(row)s ends before column %(column)s "
                    "(it has %(cells)s of %(width)s cells)."
                )
                % {"row": number, "column": header[len(row)], "cells": len(row), "width": width}
            )
    return checked
