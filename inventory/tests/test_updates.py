"""Inventory edits change only editable fields; a system's status moves only by its transition."""

import pytest
from django.core.exceptions import ValidationError

from inventory import services
from inventory.models import Attestation, DataCategory, DataSystem, Holding
from windown.models import AuditEvent


def system_url(system, suffix=""):
    return f"/api/v1/winddowns/acme/systems/{system.pk}/{suffix}"


UPDATES = [
    ("system", lambda by, h: services.system_update(by=by, system=h.system, status="destroyed")),
    ("system", lambda by, h: services.system_update(by=by, system=h.system, winddown=None)),
    ("holding", lambda by, h: services.holding_update(by=by, holding=h, system=None)),
    ("holding", lambda by, h: services.holding_update(by=by, holding=h, winddown=None)),
    ("category", lambda by, h: services.category_update(by=by, category=h.category, key="x")),
]


@pytest.mark.parametrize(
    ("what", "change"), UPDATES, ids=[f"{w}-{i}" for i, (w, _) in enumerate(UPDATES)]
)
def test_each_update_service_refuses_an_unknown_field_and_changes_nothing(
    director, legal, sales_holding, what, change
):
    before = (
        list(DataSystem.objects.values()),
        list(Holding.objects.values()),
        list(DataCategory.objects.values()),
    )
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        change(legal if what == "category" else director, sales_holding)
    assert list(refused.value.message_dict.values()) == [["This field cannot be changed here."]]
    after = (
        list(DataSystem.objects.values()),
        list(Holding.objects.values()),
        list(DataCategory.objects.values()),
    )
    assert after == before and AuditEvent.objects.count() == events


def test_an_api_patch_of_a_systems_status_is_refused_with_400(api_for, director, sales_system):
    response = api_for(director).patch(
        system_url(sales_system), {"status": "destroyed"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"status": ["This field cannot be changed here."]}
    assert DataSystem.objects.get(pk=sales_system.pk).status == "declared"
    assert (
        not AuditEvent.objects.filter(action__startswith="inventory.system_")
        .exclude(action="inventory.system_created")
        .exists()
    )


def test_the_status_action_moves_the_status_audits_it_and_invalidates_the_attestation(
    api_for, sales_custodian, sales_holding
):
    services.attestation_sign(by=sales_custodian, department="Sales")
    response = api_for(sales_custodian).post(
        system_url(sales_holding.system, "status/"), {"status": "verified"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "verified"
    assert DataSystem.objects.get(pk=sales_holding.system_id).status == "verified"
    event = AuditEvent.objects.get(action="inventory.system_status_changed")
    assert event.payload == {"name": "Sales DB", "from": "declared", "to": "verified"}
    assert not Attestation.objects.get(department="Sales").is_current


def test_an_unknown_status_is_refused_with_400(api_for, director, sales_system):
    response = api_for(director).post(
        system_url(sales_system, "status/"), {"status": "lost"}, format="json"
    )
    assert response.status_code == 400
    assert DataSystem.objects.get(pk=sales_system.pk).status == "declared"


def test_a_holding_cannot_be_moved_to_another_system_through_the_api(
    api_for, director, sales_holding, finance_system
):
    response = api_for(director).patch(
        f"/api/v1/winddowns/acme/holdings/{sales_holding.pk}/",
        {"system": finance_system.pk, "records_total": 7},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["system"]
    holding = Holding.objects.get(pk=sales_holding.pk)
    assert (holding.system_id, holding.records_total) == (
        sales_holding.system_id,
        sales_holding.records_total,
    )


def test_a_system_edit_audits_the_diff_of_editable_fields(director, sales_system):
    services.system_update(
        by=director, system=sales_system, hosting_region="cn-shenzhen", storage_country="CN"
    )
    event = AuditEvent.objects.get(action="inventory.system_updated")
    assert event.payload == {
        "name": "Sales DB",
        "changes": {
            "hosting_region": ["", "cn-shenzhen"],
            "storage_country": ["", "CN"],
        },
    }
