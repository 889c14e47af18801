"""Legal due dates of customers' requests, by jurisdiction."""

import datetime as dt

import pytest

from notices.deadlines import due_date

RECEIVED = dt.date(2027, 1, 31)


@pytest.mark.parametrize(
    ("jurisdiction", "due"),
    [
        ("DE", dt.date(2027, 2, 28)),  # EU: one calendar month, clamped to the month's end
        ("FR", dt.date(2027, 2, 28)),
        ("US-CA", RECEIVED + dt.timedelta(days=45)),
        ("CN", RECEIVED + dt.timedelta(days=15)),
        ("JP", RECEIVED + dt.timedelta(days=30)),
        ("", RECEIVED + dt.timedelta(days=30)),
    ],
)
def test_it_gives_each_jurisdiction_its_due_date(jurisdiction, due):
    assert due_date(jurisdiction, RECEIVED) == due


def test_the_periods_are_configurable(settings):
    settings.NOTICES_REQUEST_DUE = {"EU": 20, "OTHER": 10}
    assert due_date("DE", RECEIVED) == RECEIVED + dt.timedelta(days=20)
    assert due_date("CN", RECEIVED) == RECEIVED + dt.timedelta(days=10)
