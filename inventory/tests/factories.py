"""Factories for inventory objects; categories come from the wind-down's seeded taxonomy."""

import factory

from inventory.models import DataCategory, DataSystem, Holding


def category(winddown, key: str = "commerce.order") -> DataCategory:
    return DataCategory.objects.get(winddown=winddown, key=key)


class DataSystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSystem

    name = factory.Sequence(lambda n: f"System {n}")
    kind = DataSystem.Kind.DATABASE
    department = "Sales"


class HoldingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holding

    system = factory.SubFactory(DataSystemFactory)
    winddown = factory.SelfAttribute("system.winddown")
    category = factory.LazyAttribute(lambda h: category(h.system.winddown))
    source = Holding.Source.ORDER
    jurisdiction = "DE"
    records_total = 100
    records_active = 60
    records_dormant = 40
