"""Server-rendered SVG charts: the geometry for dashboard/_chart.html (no script, no CDN).

Pure functions of a `windown.progress.Chart`, so the shapes are tested without a browser.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.text import Truncator

from windown.progress import Chart

WIDTH, BAR_HEIGHT, GAP, LABEL_WIDTH = 600, 18, 6, 170
LINE_HEIGHT = 180
MAX_BARS = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: float

    @property
    def value_x(self) -> float:
        return round(LABEL_WIDTH + self.width + 6, 1)

    # What _chart.html prints, made here once per bar rather than through seven template
    # filters (two of them intcomma) per bar: the same text, in the page's language.
    @property
    def text_y(self) -> int:
        return self.y + 13

    @property
    def short_label(self) -> str:
        return Truncator(self.label).chars(26)

    @property
    def width_text(self) -> str:
        return str(self.width)  # not localised: an SVG coordinate

    @property
    def value_x_text(self) -> str:
        return str(self.value_x)

    @cached_property
    def value_text(self) -> str:
        return intcomma(self.value)


@dataclass(frozen=True)
class Drawing:
    chart: Chart
    height: int
    bars: list[Bar]
    points: str = ""  # SVG polyline points
    target: str = ""
    first_label: str = ""
    last_label: str = ""
    peak: int = 0


def _top(series: list[tuple[str, int]], other: str) -> list[tuple[str, int]]:
    ranked = sorted(series, key=lambda item: -item[1])
    if len(ranked) <= MAX_BARS:
        return ranked
    rest = sum(value for _label, value in ranked[MAX_BARS - 1 :])
    return [*ranked[: MAX_BARS - 1], (other, rest)]


def bars(chart: Chart, *, other: str = "…") -> Drawing:
    series = _top(chart.series, other)
    peak = max((value for _label, value in series), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 80
    drawn = [
        Bar(label, value, i * (BAR_HEIGHT + GAP), round(span * value / peak, 1))
        for i, (label, value) in enumerate(series)
    ]
    return Drawing(chart, max(len(drawn), 1) * (BAR_HEIGHT + GAP), drawn, peak=peak)


def line(chart: Chart) -> Drawing:
    """Values by ISO day; x is time (up to `target_day` when given), y is 0 at the bottom."""
    if not chart.series:
        return Drawing(chart, LINE_HEIGHT, [])
    days = [dt.date.fromisoformat(day) for day, _value in chart.series]
    end = dt.date.fromisoformat(chart.target_day) if chart.target_day else days[-1]
    start, end = min(days), max(end, days[-1])
    total_days = (end - start).days or 1
    peak = max(value for _day, value in chart.series) or 1

    def x(day: dt.date) -> float:
        return round(WIDTH * (day - start).days / total_days, 1)

    def y(value: int) -> float:
        return round(LINE_HEIGHT - LINE_HEIGHT * value / peak, 1)

    points = " ".join(f"{x(d)},{y(v)}" for d, (_day, v) in zip(days, chart.series, strict=True))
    target = f"{x(start)},{y(chart.series[0][1])} {x(end)},{y(0)}" if chart.target_day else ""
    return Drawing(
        chart,
        LINE_HEIGHT,
        [],
        points=points,
        target=target,
        first_label=start.isoformat(),
        last_label=end.isoformat(),
        peak=peak,
    )


def draw(chart: Chart, *, other: str = "…") -> Drawing:
    return line(chart) if chart.kind == "line" else bars(chart, other=other)
