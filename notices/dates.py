"""Dates written as a reader of each notice language expects them."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, translation


def format_date(day: dt.date, language: str) -> str:
    """Write a date as a reader of `language` expects it (31. März 2027, 2027年3月31日…)."""
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")
