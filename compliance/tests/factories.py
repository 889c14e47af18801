"""Factories for compliance tests: systems and holdings of a wind-down's seeded taxonomy."""

import datetime as dt

import factory

from inventory.models import DataCategory, DataSystem, Holding

INVOICE_FIELDS = ["invoice_number", "invoice_date", "net_amount", "vat_amount", "buyer_name"]


class DataSystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSystem

    name = factory.Sequence(lambda n: f"System {n}")
    kind = DataSystem.Kind.DATABASE
    department = "Sales"


def category(winddown, key: str) -> DataCategory:
    return DataCategory.objects.get(winddown=winddown, key=key)


def make_holding(
    winddown,
    *,
    key: str = "commerce.invoice",
    system: DataSystem | None = None,
    jurisdiction: str = "CN",
    newest: dt.date | None = dt.date(2024, 5, 1),
    oldest: dt.date | None = dt.date(2019, 1, 1),
    fields=INVOICE_FIELDS,
    records_total: int = 100,
    source: str = Holding.Source.ORDER,
) -> Holding:
    """Create one holding (directly: these tests exercise compliance, not inventory)."""
    return Holding.objects.create(
        winddown=winddown,
        system=system or DataSystemFactory(winddown=winddown),
        category=category(winddown, key),
        source=source,
        jurisdiction=jurisdiction,
        records_total=records_total,
        oldest_record=oldest,
        newest_record=newest,
        fields=list(fields),
    )
