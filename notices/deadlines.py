"""Legal due dates of customers' requests, by the customer's jurisdiction."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings

EU_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()  # noqa: SIM905
)


def _add_month(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def due_rule(jurisdiction: str) -> str | int:
    """Return the configured period for a jurisdiction: days, or "1m" for one calendar month."""
    rules = settings.NOTICES_REQUEST_DUE
    code = (jurisdiction or "").upper()
    if code in rules:
        return rules[code]
    if code in EU_COUNTRIES and "EU" in rules:
        return rules["EU"]
    return rules.get("OTHER", 30)


def due_date(jurisdiction: str, received: dt.date) -> dt.date:
    """Return the day a request received on `received` must be answered by."""
    rule = due_rule(jurisdiction)
    if isinstance(rule, str) and rule.endswith("m"):
        day = received
        for _ in range(int(rule[:-1] or 1)):
            day = _add_month(day)
        return day
    return received + dt.timedelta(days=int(rule))
