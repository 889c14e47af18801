"""The holding tally the dashboard reads always equals a recount of the holdings (PostgreSQL)."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection

from inventory.models import DataSystem, Holding, HoldingTally
from inventory.selectors import holding_totals
from inventory.tests.factories import DataSystemFactory, HoldingFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the tally is kept by PostgreSQL triggers; SQLite counts the holdings")


def recount(winddown) -> Counter:
    figures = Counter()
    for department, category_id, jurisdiction, records in Holding.objects.filter(
        winddown=winddown
    ).values_list("system__department", "category_id", "jurisdiction", "records_total"):
        figures[(department, category_id, jurisdiction, "holdings")] += 1
        figures[(department, category_id, jurisdiction, "records")] += records
    return figures


def tally(winddown) -> Counter:
    figures = Counter()
    for row in holding_totals(winddown):
        key = (row.department, row.category_id, row.jurisdiction)
        figures[(*key, "holdings")] += row.holdings
        figures[(*key, "records")] += row.records
    return figures


def test_the_tally_follows_every_kind_of_write(winddown):
    sales = DataSystemFactory(winddown=winddown, department="Sales")
    finance = DataSystemFactory(winddown=winddown, department="Finance")
    first = HoldingFactory(system=sales, jurisdiction="DE", records_total=100)
    HoldingFactory(
        system=sales, jurisdiction="FR", records_total=7, records_active=7, records_dormant=0
    )
    HoldingFactory(system=finance, category=category(winddown, "commerce.invoice"))
    assert tally(winddown) == recount(winddown)
    assert tally(winddown)[("Sales", first.category_id, "DE", "records")] == 100

    # one statement, many rows (imports bulk-create and update querysets)
    Holding.objects.bulk_create(
        Holding(
            winddown=winddown,
            system=finance,
            category=category(winddown),
            source=source,
            jurisdiction="US-CA",
            records_total=n,
            records_active=0,
            records_dormant=0,
        )
        for n, source in enumerate(Holding.Source.values, start=1)
    )
    assert tally(winddown) == recount(winddown)
    Holding.objects.filter(system=finance).update(
        records_total=3, records_active=0, records_dormant=0
    )
    assert tally(winddown) == recount(winddown)

    # a holding saved with another category and jurisdiction moves between keys
    first.category = category(winddown, "commerce.invoice")
    first.jurisdiction = "FR"
    first.save()
    assert tally(winddown) == recount(winddown)

    # a system that changes department takes its holdings' figures along
    DataSystem.objects.filter(pk=sales.pk).update(department="Finance")
    assert tally(winddown) == recount(winddown)
    assert not [key for key in tally(winddown) if key[0] == "Sales"]
    finance.department = "Support"
    finance.save()
    assert tally(winddown) == recount(winddown)

    first.delete()
    assert tally(winddown) == recount(winddown)
    finance.delete()  # its holdings go with it
    assert tally(winddown) == recount(winddown)
    sales.delete()
    assert tally(winddown) == recount(winddown) == Counter()


@pytest.mark.django_db(transaction=True)
def test_truncating_the_holdings_empties_the_tally_also_in_a_flush(winddown):
    system = DataSystemFactory(winddown=winddown)
    HoldingFactory(system=system)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE inventory_holding CASCADE")
        assert tally(winddown) == recount(winddown) == Counter()
        assert not HoldingTally.objects.exists()
        HoldingFactory(system=system)
        # both in one statement, as Django's flush after a transactional test does
        cursor.execute("TRUNCATE inventory_holding, inventory_holdingtally CASCADE")
    assert tally(winddown) == recount(winddown) == Counter()


def test_the_demo_tally_equals_a_recount(winddown):
    call_command("load_demo", force=True, stdout=io.StringIO())
    for slug in Holding.objects.values_list("winddown__slug", flat=True).distinct():
        demo = Holding.objects.filter(winddown__slug=slug).first().winddown
        assert tally(demo) == recount(demo) != Counter()
