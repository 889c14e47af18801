"""The admin lists and opens every inventory model."""

import pytest
from django.urls import reverse

from inventory.services import attestation_sign
from windown.tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_every_inventory_model_has_a_working_admin(admin_client, sales_holding, sales_custodian):
    attestation = attestation_sign(by=sales_custodian, department="Sales")
    objects = {
        "datacategory": sales_holding.category,
        "datasystem": sales_holding.system,
        "holding": sales_holding,
        "attestation": attestation,
    }
    for model, obj in objects.items():
        changelist = reverse(f"admin:inventory_{model}_changelist")
        assert admin_client.get(changelist).status_code == 200, model
        change = reverse(f"admin:inventory_{model}_change", args=[obj.pk])
        assert admin_client.get(change).status_code == 200, model
