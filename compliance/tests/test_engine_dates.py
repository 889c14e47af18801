"""Retention ends are computed from the rule's start and period, never typed."""

from datetime import date

import pytest

from compliance.engine import Start
from compliance.engine.dates import add_months, anchor_and_end, fiscal_year_end
from compliance.tests.test_engine import (
    CN_CO,
    DE_GMBH,
    DE_GMBH_LIQUIDATING,
    FR_SAS,
    GB_LTD,
    GB_LTD_TAXED,
    JP_KK,
    JP_KK_JUNE,
    outcome,
    propose,
)

LIQUIDATION = date(2026, 12, 31)

# fmt: off
ARITHMETIC = [
    # (sentence, start, months, start months, record date, FY end (month, day), anchor, end)
    ("8 years from the end of the calendar year", Start.END_OF_CALENDAR_YEAR, 96, 0,
     date(2024, 5, 1), (12, 31), date(2024, 12, 31), date(2032, 12, 31)),
    ("a record on 31 Dec counts from that same day", Start.END_OF_CALENDAR_YEAR, 96, 0,
     date(2024, 12, 31), (12, 31), date(2024, 12, 31), date(2032, 12, 31)),
    ("a March fiscal year: a May record belongs to the year ending next March",
     Start.END_OF_FISCAL_YEAR, 72, 0, date(2024, 5, 1), (3, 31), date(2025, 3, 31),
     date(2031, 3, 31)),
    ("a March fiscal year: a February record belongs to the year ending that March",
     Start.END_OF_FISCAL_YEAR, 72, 0, date(2024, 2, 10), (3, 31), date(2024, 3, 31),
     date(2030, 3, 31)),
    ("JP: 7 years from 2 months after a March fiscal-year end",
     Start.FISCAL_YEAR_END_PLUS_MONTHS, 84, 2, date(2024, 5, 1), (3, 31), date(2025, 5, 31),
     date(2032, 5, 31)),
    ("JP: 2 months after a June fiscal-year end is 31 August, not 30",
     Start.FISCAL_YEAR_END_PLUS_MONTHS, 84, 2, date(2024, 5, 1), (6, 30), date(2024, 8, 31),
     date(2031, 8, 31)),
    ("a February fiscal-year end follows leap years", Start.END_OF_FISCAL_YEAR, 12, 0,
     date(2023, 3, 5), (2, 29), date(2024, 2, 29), date(2025, 2, 28)),
    ("3 years from creation", Start.CREATION, 36, 0, date(2025, 2, 10), (12, 31),
     date(2025, 2, 10), date(2028, 2, 10)),
    ("6 years from the last transaction", Start.LAST_TRANSACTION, 72, 0, date(2022, 3, 15),
     (12, 31), date(2022, 3, 15), date(2028, 3, 15)),
    ("2 years from delivery", Start.DELIVERY, 24, 0, date(2024, 2, 29), (12, 31),
     date(2024, 2, 29), date(2026, 2, 28)),
    ("10 years from liquidation, taken as the deletion deadline", Start.LIQUIDATION_COMPLETION,
     120, 0, date(2020, 1, 1), (12, 31), LIQUIDATION, date(2036, 12, 31)),
]
# fmt: on


@pytest.mark.parametrize(
    "start, months, start_months, record, fiscal_year, anchor, end",
    [case[1:] for case in ARITHMETIC],
    ids=[case[0] for case in ARITHMETIC],
)
def test_it_computes_the_anchor_and_last_day(
    start, months, start_months, record, fiscal_year, anchor, end
):
    assert anchor_and_end(start, months, start_months, record, *fiscal_year, LIQUIDATION) == (
        anchor,
        end,
    )


def test_add_months_keeps_month_ends_and_clamps_other_days():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 1, 30), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 1, 15), 13) == date(2025, 2, 15)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_fiscal_year_end_of_a_date_on_the_last_day_is_that_day():
    assert fiscal_year_end(date(2025, 3, 31), 3, 31) == date(2025, 3, 31)


# fmt: off
ENGINE_STARTS = [
    # (sentence, rule, record type, subject, company, newest, until, reason contains)
    ("HGB counts from the end of the calendar year of the newest record", "DE-HGB-257-vouchers",
     "invoices", "DE", DE_GMBH, date(2024, 5, 1), date(2032, 12, 31),
     "8 years from end of calendar year of newest record (2024-12-31) → 2032-12-31"),
    ("UK corporation tax counts from the end of a March fiscal year", "GB-FA1998-S18-21",
     "ledgers", "GB", GB_LTD_TAXED, date(2024, 5, 1), date(2031, 3, 31),
     "6 years from end of fiscal year (ends 03-31) of newest record (2025-03-31) → 2031-03-31"),
    ("JP corporation tax counts from 2 months after fiscal-year end", "JP-CTA-R59", "invoices",
     "JP", JP_KK, date(2024, 5, 1), date(2032, 5, 31),
     "7 years from 2 months after end of fiscal year (ends 03-31) of newest record (2025-05-31)"),
    ("a June fiscal year ends the JP period on 31 August", "JP-CTA-R59", "invoices", "JP",
     JP_KK_JUNE, date(2024, 5, 1), date(2031, 8, 31), "→ 2031-08-31"),
    ("CA 2006 counts from creation of the record", "GB-CA2006-388-private", "ledgers", "GB",
     GB_LTD, date(2025, 2, 10), date(2028, 2, 10),
     "3 years from creation of newest record (2025-02-10) → 2028-02-10"),
    ("the French tax audit period counts from the last transaction", "FR-LPF-L102B",
     "order_records", "FR", FR_SAS, date(2022, 3, 15), date(2028, 3, 15),
     "6 years from last transaction, taken as newest record (2022-03-15) → 2028-03-15"),
    ("Chinese vouchers count from the end of the (calendar) accounting year", "CN-KJDA-vouchers",
     "invoices", "CN", CN_CO, date(2024, 5, 1), date(2054, 12, 31),
     "30 years from end of calendar year of newest record (2024-12-31) → 2054-12-31"),
    ("GmbHG § 74 counts from liquidation, taken as the deletion deadline", "DE-GmbHG-74-2",
     "ledgers", "DE", DE_GMBH_LIQUIDATING, date(2010, 5, 1), date(2036, 12, 31),
     "10 years from completion of liquidation, taken as the deletion deadline (2026-12-31)"),
]
# fmt: on


@pytest.mark.parametrize(
    "key, record_type, subject, company, newest, until, reason",
    [case[1:] for case in ENGINE_STARTS],
    ids=[case[0] for case in ENGINE_STARTS],
)
def test_each_rule_says_how_its_end_was_computed(
    key, record_type, subject, company, newest, until, reason
):
    considered = outcome(propose(record_type, subject, company, newest=newest), key)
    assert considered.applied and considered.until == until
    assert reason in considered.reason


def test_delivery_is_approximated_by_the_newest_record_and_says_so():
    reason = outcome(propose("order_records", "DE", DE_GMBH), "DE-BGB-438").reason
    assert "2 years from delivery, approximated by newest record" in reason
