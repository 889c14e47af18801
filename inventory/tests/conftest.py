"""Inventory fixtures: a small data map with one system in Sales and one in Finance."""

import pytest

from inventory.tests.factories import DataSystemFactory, HoldingFactory, category
from windown.roles import Role


@pytest.fixture
def sales_system(winddown):
    return DataSystemFactory(winddown=winddown, name="Sales DB", department="Sales")


@pytest.fixture
def finance_system(winddown):
    return DataSystemFactory(winddown=winddown, name="Finance ERP", department="Finance")


@pytest.fixture
def sales_holding(sales_system):
    return HoldingFactory(system=sales_system, jurisdiction="DE")


@pytest.fixture
def finance_holding(finance_system):
    return HoldingFactory(
        system=finance_system, category=category(finance_system.winddown, "commerce.invoice")
    )


@pytest.fixture
def sales_custodian(member):
    return member(Role.CUSTODIAN, department="Sales")


@pytest.fixture
def finance_custodian(member):
    return member(Role.CUSTODIAN, department="Finance")


@pytest.fixture
def legal(member):
    return member(Role.LEGAL)


@pytest.fixture
def auditor(member):
    return member(Role.AUDITOR)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Keep files staged by import previews out of the project's var/ folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
