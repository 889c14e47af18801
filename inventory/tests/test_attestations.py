"""A custodian attests their department; any later change shows "changed since attested"."""

from django.urls import reverse

from inventory import services
from inventory.models import Attestation
from inventory.services.datamap import datamap_import
from inventory.tests.sheets import csv_bytes, row
from windown.models import AuditEvent


def attest_url(department="Sales"):
    return reverse(
        "inventory:attestation-detail", kwargs={"slug": "acme", "department": department}
    )


def test_a_custodian_signs_their_departments_attestation(client_for, sales_custodian, sales_system):
    response = client_for(sales_custodian).post(attest_url(), {"confirm": "on"})
    assert response.status_code == 302
    attestation = Attestation.objects.get(department="Sales")
    assert attestation.is_current and attestation.attested_by == sales_custodian
    assert "laptops, removable media, personal mailboxes and chat exports" in attestation.statement
    event = AuditEvent.objects.filter(action="inventory.attested").get()
    assert event.payload["department"] == "Sales"


def test_the_statement_must_be_confirmed(client_for, sales_custodian, sales_system):
    response = client_for(sales_custodian).post(attest_url(), {})
    assert response.status_code == 200
    assert not Attestation.objects.exists()


def test_a_custodian_cannot_attest_another_department(client_for, sales_custodian, finance_system):
    response = client_for(sales_custodian).post(attest_url("Finance"), {"confirm": "on"})
    assert response.status_code == 403
    assert not Attestation.objects.exists()


def test_a_director_cannot_attest_for_a_department(client_for, director, sales_system):
    response = client_for(director).post(attest_url(), {"confirm": "on"})
    assert response.status_code == 403
    assert not Attestation.objects.exists()


def test_changing_a_holding_invalidates_the_departments_attestation(
    client_for, sales_custodian, sales_holding, finance_custodian, finance_holding
):
    services.attestation_sign(by=sales_custodian, department="Sales")
    services.attestation_sign(by=finance_custodian, department="Finance")
    services.holding_update(by=sales_custodian, holding=sales_holding, records_total=500)
    sales, finance = (Attestation.objects.get(department=d) for d in ("Sales", "Finance"))
    assert not sales.is_current and "commerce.order changed" in sales.invalidated_reason
    assert finance.is_current  # another department's change does not touch it
    page = client_for(sales_custodian).get(attest_url())
    assert "changed since attested" in page.content.decode()
    assert AuditEvent.objects.filter(action="inventory.attestation_invalidated").count() == 1


def test_declaring_or_removing_anything_invalidates_the_attestation(sales_custodian, sales_holding):
    changes = [
        lambda: services.system_create(
            by=sales_custodian, name="USB stick", kind="removable_media", department="Sales"
        ),
        lambda: services.holding_delete(by=sales_custodian, holding=sales_holding),
        lambda: services.system_update(
            by=sales_custodian, system=sales_holding.system, description="Checked with IT."
        ),
        lambda: services.system_status_change(
            by=sales_custodian, system=sales_holding.system, status="verified"
        ),
        lambda: services.system_delete(by=sales_custodian, system=sales_holding.system),
    ]
    for change in changes:
        services.attestation_sign(by=sales_custodian, department="Sales")
        change()
        assert not Attestation.objects.get(department="Sales").is_current


def test_an_import_touching_the_department_invalidates_it_and_an_unchanged_one_does_not(
    director, sales_custodian
):
    datamap_import(by=director, data=csv_bytes([row()]), filename="a.csv")
    services.attestation_sign(by=sales_custodian, department="Sales")
    datamap_import(by=director, data=csv_bytes([row()]), filename="a.csv")
    assert Attestation.objects.get(department="Sales").is_current
    datamap_import(by=director, data=csv_bytes([row(records_total="20000")]), filename="b.csv")
    attestation = Attestation.objects.get(department="Sales")
    assert not attestation.is_current and "b.csv" in attestation.invalidated_reason


def test_signing_again_makes_the_attestation_current(client_for, sales_custodian, sales_holding):
    services.attestation_sign(by=sales_custodian, department="Sales")
    services.holding_update(by=sales_custodian, holding=sales_holding, records_total=500)
    client_for(sales_custodian).post(attest_url(), {"confirm": "on"})
    assert Attestation.objects.get(department="Sales").is_current
    assert Attestation.objects.count() == 1


def test_the_attestation_list_shows_each_departments_state(
    client_for, auditor, sales_custodian, finance_custodian, sales_holding, finance_holding
):
    services.attestation_sign(by=finance_custodian, department="Finance")
    page = client_for(auditor).get(reverse("inventory:attestation-list", kwargs={"slug": "acme"}))
    content = page.content.decode()
    assert page.status_code == 200
    assert "not attested" in content and ">attested<" in content


def test_a_department_name_with_a_slash_has_its_own_page(client_for, member, winddown):
    from inventory.tests.factories import DataSystemFactory

    custodian = member("custodian", department="R&D / Labs")
    DataSystemFactory(winddown=winddown, name="Lab NAS", department="R&D / Labs")
    client = client_for(custodian)
    overview = client.get(reverse("inventory:attestation-list", kwargs={"slug": "acme"}))
    assert overview.status_code == 200
    response = client.post(attest_url("R&D / Labs"), {"confirm": "on"})
    assert response.status_code == 302
    assert Attestation.objects.get().department == "R&D / Labs"
