"""The dashboard's SVG chart geometry (pure) and the charts on the demo's dashboard."""

from dashboard.charts import MAX_BARS, bars, line
from windown.progress import Chart


def test_bars_scale_to_the_largest_value_and_fold_the_tail_into_one_bar():
    series = [(f"J{i}", i * 10) for i in range(1, 21)]
    drawing = bars(Chart("Records", "bars", series), other="Other")
    assert len(drawing.bars) == MAX_BARS
    assert drawing.bars[0].label == "J20" and drawing.bars[0].width == max(
        b.width for b in drawing.bars[:-1]
    )
    assert drawing.bars[-1].label == "Other"
    assert drawing.bars[-1].value == sum(i * 10 for i in range(1, 21 - (MAX_BARS - 1)))
    assert sum(b.value for b in drawing.bars) == sum(v for _l, v in series)
    assert abs(drawing.bars[1].width / drawing.bars[0].width - 190 / 200) < 0.01


def test_an_empty_chart_draws_nothing_rather_than_dividing_by_zero():
    assert bars(Chart("Records", "bars", [])).bars == []
    assert line(Chart("Sent", "line", [])).points == ""
    assert bars(Chart("Records", "bars", [("DE", 0)])).bars[0].width == 0


def test_a_burn_down_runs_to_the_deadline_with_the_pace_needed_to_reach_zero():
    chart = Chart(
        "Remaining",
        "line",
        [("2026-10-01", 1000), ("2026-11-01", 600), ("2026-12-01", 500)],
        target_day="2027-03-31",
    )
    drawing = line(chart)
    points = [tuple(map(float, p.split(","))) for p in drawing.points.split()]
    assert points[0] == (0.0, 0.0)  # the first day, at the top (the peak)
    assert points[-1][0] < 600  # today is before the deadline at the right edge
    assert points[1][1] == 180 - 180 * 600 / 1000
    assert drawing.target == "0.0,0.0 600.0,180.0"
    assert (drawing.first_label, drawing.last_label) == ("2026-10-01", "2027-03-31")
