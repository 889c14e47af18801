"""The timeline's warnings when the plan is already late (pure: no database)."""

import datetime as dt
from types import SimpleNamespace

from dashboard.timeline import build_timeline

TODAY = dt.date(2026, 12, 1)


def _winddown(*, deadline_in=120, notice_in=60, lead=30, operations_end_in=None):
    day = lambda n: TODAY + dt.timedelta(days=n) if n is not None else None  # noqa: E731
    return SimpleNamespace(
        deletion_deadline=day(deadline_in),
        customer_notice_date=day(notice_in),
        operations_end_date=day(operations_end_in),
        notice_lead_days=lead,
    )


def _warnings(winddown, *, planned=False, started=False):
    return build_timeline(
        winddown, today=TODAY, campaign_planned=planned, destruction_started=started
    ).warnings


def test_a_plan_on_track_has_no_warning():
    assert _warnings(_winddown(), planned=True) == []


def test_a_notice_date_too_close_to_the_deadline_is_late_already():
    (warning,) = _warnings(_winddown(deadline_in=120, notice_in=110), planned=True)
    assert "only 10 days before deletion" in warning and "at least 30" in warning


def test_a_near_notice_date_with_no_campaign_warns_with_the_days_left():
    (warning,) = _warnings(_winddown(notice_in=14))
    assert "in 14 days and no campaign is scheduled" in warning
    assert _warnings(_winddown(notice_in=15)) == []
    assert _warnings(_winddown(notice_in=14), planned=True) == []


def test_a_passed_notice_date_without_a_campaign_warns():
    warnings = _warnings(_winddown(notice_in=-3))
    assert any("has passed and no campaign was sent" in w for w in warnings)


def test_a_near_deadline_without_destruction_warns_and_one_with_it_does_not():
    warnings = _warnings(_winddown(deadline_in=30, notice_in=-20), planned=True)
    assert warnings == [
        "The deletion deadline is in 30 days and no destruction job has been performed."
    ]
    assert _warnings(_winddown(deadline_in=30, notice_in=-20), planned=True, started=True) == []


def test_a_missing_notice_date_is_a_warning():
    assert _warnings(_winddown(notice_in=None), planned=True) == ["No customer notice date is set."]


def test_milestones_are_in_order_with_days_left_and_today_on_the_bar():
    timeline = build_timeline(
        _winddown(operations_end_in=30),
        today=TODAY,
        campaign_planned=True,
        destruction_started=False,
    )
    keys = [m.key for m in timeline.milestones]
    assert keys == ["cleanup_start", "notice", "operations_end", "deadline"]
    assert [m.days_left for m in timeline.milestones] == [120 - 183, 60, 30, 120]
    assert 0 < timeline.today_position < 100
    assert dict((m.key, x) for m, x in timeline.marks)["deadline"] == 100
