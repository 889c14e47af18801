"""The dashboard's inventory panel, and the demo data map."""

from django.core.management import call_command
from django.urls import reverse

from inventory.models import Attestation, DataSystem, Holding
from inventory.selectors import department_overview
from inventory.services import attestation_sign


def test_the_dashboard_counts_systems_records_and_attested_departments(
    client_for, director, sales_custodian, finance_custodian, sales_holding
):
    attestation_sign(by=sales_custodian, department="Sales")
    response = client_for(director).get(reverse("dashboard:home", kwargs={"slug": "acme"}))
    panel = response.context["dashboard_panels"][0]
    assert panel["template"] == "inventory/_dashboard_panel.html"
    assert (panel["systems"], panel["holdings"], panel["records"]) == (1, 1, 100)
    assert (panel["attested"], panel["departments"]) == (1, 2)
    assert "1 / 2" in response.content.decode()


def test_the_demo_has_a_realistic_data_map(db):
    call_command("load_demo", force=True)
    systems = DataSystem.objects.filter(winddown__slug="lumen-electronics")
    assert 20 <= systems.count() <= 30
    assert 200 <= Holding.objects.filter(winddown__slug="lumen-electronics").count() <= 600
    kinds = set(systems.values_list("kind", flat=True))
    assert {
        "laptop",
        "removable_media",
        "mailbox",
        "chat_export",
        "paper",
        "database",
        "saas",
    } <= kinds
    assert systems.get(kind="removable_media").serial_number
    states = {d.department: d.state for d in department_overview(systems.first().winddown)}
    assert list(states.values()).count("attested") == 2
    assert states["Sales"] == "missing" and states["Marketing"] == "changed"
    assert Attestation.objects.count() == 3
