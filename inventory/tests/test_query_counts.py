"""A page's query count does not grow with the data map."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.models import DataCategory, DataSystem, Holding
from inventory.services import attestation_sign
from inventory.tests.factories import DataSystemFactory

JURISDICTIONS = ["DE", "FR", "GB", "US", "US-CA", "JP", "CN", "OTHER", "NL", "IT"]


def grow(winddown, systems: int, per_system: int) -> DataSystem:
    """Add systems in three departments, each with `per_system` holdings, in bulk."""
    categories = list(DataCategory.objects.filter(winddown=winddown)[:10])
    created = [
        DataSystemFactory(
            winddown=winddown,
            name=f"System {winddown.data_systems.count()}",
            department=["Sales", "Finance", "Marketing"][i % 3],
            kind=["database", "laptop"][i % 2],
        )
        for i in range(systems)
    ]
    Holding.objects.bulk_create(
        Holding(
            winddown=winddown,
            system=system,
            category=categories[n // len(JURISDICTIONS) % len(categories)],
            source=Holding.Source.ORDER,
            jurisdiction=JURISDICTIONS[n % len(JURISDICTIONS)],
            records_total=10,
        )
        for system in created
        for n in range(per_system)
    )
    return created[0]


PAGES = [
    lambda s: reverse("inventory:index", kwargs={"slug": "acme"}),
    lambda s: reverse("inventory:system-list", kwargs={"slug": "acme"}),
    lambda s: reverse("inventory:system-list", kwargs={"slug": "acme"}) + "?risk=high&kind=laptop",
    lambda s: reverse("inventory:system-detail", kwargs={"slug": "acme", "pk": s.pk}),
    lambda s: reverse("inventory:attestation-list", kwargs={"slug": "acme"}),
    lambda s: reverse(
        "inventory:attestation-detail", kwargs={"slug": "acme", "department": "Sales"}
    ),
    lambda s: reverse("inventory:category-list", kwargs={"slug": "acme"}),
    lambda s: reverse("dashboard:home", kwargs={"slug": "acme"}),
    lambda s: "/api/v1/winddowns/acme/systems/",
    lambda s: "/api/v1/winddowns/acme/holdings/",
    lambda s: "/api/v1/winddowns/acme/attestations/",
]


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_query_count_is_the_same_for_a_small_and_a_large_data_map(
    client, director, sales_custodian, page
):
    client.force_login(director.user)
    first = grow(director.winddown, systems=3, per_system=2)
    attestation_sign(by=sales_custodian, department="Sales")
    url = PAGES[page](first)
    client.get(url)  # warm caches (content types, sessions)
    small = queries(client, url)
    grow(director.winddown, systems=120, per_system=60)  # 7,200 more holdings, 3 pages
    assert queries(client, url) == small
