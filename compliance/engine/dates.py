"""Turn a rule's start and period into the last day the data must be kept."""

import calendar
from datetime import date
from functools import lru_cache

from .reasons import Reason
from .types import Start


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(day: date, months: int) -> date:
    """Add months; a month's last day stays the last day (2024-06-30 + 2 -> 2024-08-31)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if day.day == _last_day(day.year, day.month):
        return date(year, month, _last_day(year, month))
    return date(year, month, min(day.day, _last_day(year, month)))


def fiscal_year_end(day: date, month: int, end_day: int) -> date:
    """Return the last day of the fiscal year (ending each year on month/end_day) holding day."""
    end = date(day.year, month, min(end_day, _last_day(day.year, month)))
    if day <= end:
        return end
    return date(day.year + 1, month, min(end_day, _last_day(day.year + 1, month)))


@lru_cache(maxsize=65536)
def anchor_and_end(
    start: Start,
    period_months: int,
    start_months: int,
    basis: date,
    fiscal_year_end_month: int,
    fiscal_year_end_day: int,
    liquidation_completion: date,
) -> tuple[date, date]:
    """Return (anchor, end): the period counts from anchor and its last day is end.

    basis is the record date the start refers to (the slice's newest record).
    liquidation_completion is only used by Start.LIQUIDATION_COMPLETION.
    """
    if start is Start.END_OF_CALENDAR_YEAR:
        anchor = date(basis.year, 12, 31)
    elif start is Start.END_OF_FISCAL_YEAR:
        anchor = fiscal_year_end(basis, fiscal_year_end_month, fiscal_year_end_day)
    elif start is Start.FISCAL_YEAR_END_PLUS_MONTHS:
        fy_end = fiscal_year_end(basis, fiscal_year_end_month, fiscal_year_end_day)
        anchor = add_months(fy_end, start_months)
    elif start is Start.LIQUIDATION_COMPLETION:
        anchor = liquidation_completion
    else:  # creation, last transaction, delivery: the record date itself
        anchor = basis
    return anchor, add_months(anchor, period_months)


@lru_cache(maxsize=1024)
def describe_start(start: Start, start_months: int, basis: Reason, fy: str) -> Reason:
    """Say where a period starts, e.g. 'end of calendar year of newest record'."""
    params = {"basis": basis, "months": start_months, "fy": fy}
    if start is Start.LIQUIDATION_COMPLETION:
        params = {}
    elif start is not Start.FISCAL_YEAR_END_PLUS_MONTHS:
        del params["months"]
    if start not in (Start.END_OF_FISCAL_YEAR, Start.FISCAL_YEAR_END_PLUS_MONTHS):
        params.pop("fy", None)
    return Reason.of(f"start_{start.value}", **params)
