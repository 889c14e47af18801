"""Declaring systems and holdings through the pages: validated, audited, signalled."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from inventory import services
from inventory.models import DataSystem, Holding
from inventory.signals import holdings_changed
from inventory.tests.factories import DataSystemFactory, HoldingFactory, category
from windown.audit import audit_verify
from windown.models import AuditEvent


def last_event():
    return AuditEvent.objects.order_by("-pk").first()


def test_a_director_declares_a_laptop_with_its_serial_number(client_for, director, sales_custodian):
    response = client_for(director).post(
        reverse("inventory:system-create", kwargs={"slug": "acme"}),
        {
            "name": "Sales laptop (Zhang)",
            "kind": "laptop",
            "department": "Sales",
            "custodian": sales_custodian.pk,
            "status": "declared",
            "make": "Lenovo",
            "model": "T14",
            "serial_number": "PF3K9",
            "asset_number": "A-1",
        },
    )
    system = DataSystem.objects.get()
    assert response.status_code == 302 and response["Location"] == system.get_absolute_url()
    assert (system.serial_number, system.custodian, system.is_high_risk) == (
        "PF3K9",
        sales_custodian,
        True,
    )
    assert last_event().action == "inventory.system_created"
    assert last_event().payload["serial_number"] == "PF3K9"
    assert audit_verify(director.winddown).ok


def test_a_custodian_declares_systems_only_in_their_own_department(client_for, sales_custodian):
    client_for(sales_custodian).post(
        reverse("inventory:system-create", kwargs={"slug": "acme"}),
        {
            "name": "My USB stick",
            "kind": "removable_media",
            "department": "Finance",
            "status": "declared",
        },
    )
    assert DataSystem.objects.get().department == "Sales"  # the field is fixed to their own


def test_a_duplicate_system_name_is_refused_on_the_form(client_for, director, sales_system):
    response = client_for(director).post(
        reverse("inventory:system-create", kwargs={"slug": "acme"}),
        {
            "name": sales_system.name,
            "kind": "database",
            "department": "Sales",
            "status": "declared",
        },
    )
    assert response.status_code == 200 and DataSystem.objects.count() == 1
    assert "already exists" in response.content.decode()


def test_editing_a_system_records_what_changed_and_its_status_as_a_transition(
    client_for, director, sales_system
):
    response = client_for(director).post(
        reverse("inventory:system-update", kwargs={"slug": "acme", "pk": sales_system.pk}),
        {
            "name": "Sales DB",
            "kind": "database",
            "department": "Sales",
            "status": "verified",
            "description": "Orders since 2019.",
        },
    )
    assert response.status_code == 302
    sales_system.refresh_from_db()
    assert sales_system.status == "verified"
    updated, status_changed = list(AuditEvent.objects.order_by("pk"))[-2:]
    assert updated.action == "inventory.system_updated"
    assert updated.payload["changes"] == {"description": ["", "Orders since 2019."]}
    assert status_changed.action == "inventory.system_status_changed"
    assert status_changed.payload == {"name": "Sales DB", "from": "declared", "to": "verified"}


def test_a_holding_is_declared_changed_and_removed_with_audit_and_signal(
    client_for, sales_custodian, sales_system, django_capture_on_commit_callbacks
):
    received = []
    holdings_changed.connect(
        lambda **kw: received.append((kw["holding_ids"], kw["deleted"])),
        weak=False,
        dispatch_uid="test",
    )
    client = client_for(sales_custodian)
    email = category(sales_system.winddown, "user.contact.email")
    form = {
        "category": email.pk,
        "source": "registration",
        "jurisdiction": "us-ca",
        "records_total": 100,
        "records_active": 60,
        "records_dormant": 40,
        "fields_text": "email; name",
        "oldest_record": "2020-01-01",
    }
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("inventory:holding-create", kwargs={"slug": "acme", "pk": sales_system.pk}),
                form,
            )
        holding = Holding.objects.get()
        assert (holding.jurisdiction, holding.fields) == ("US-CA", ["email", "name"])
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("inventory:holding-update", kwargs={"slug": "acme", "pk": holding.pk}),
                {**form, "records_total": 150},
            )
        holding.refresh_from_db()
        assert holding.records_total == 150
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("inventory:holding-delete", kwargs={"slug": "acme", "pk": holding.pk})
            )
        assert not Holding.objects.exists()
    finally:
        holdings_changed.disconnect(dispatch_uid="test")
    assert received == [([holding.pk], False), ([holding.pk], False), ([holding.pk], True)]
    actions = list(
        AuditEvent.objects.filter(action__startswith="inventory.holding")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "inventory.holding_created",
        "inventory.holding_updated",
        "inventory.holding_deleted",
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"records_active": 80, "records_dormant": 40}, "records_total"),
        ({"jurisdiction": "XX"}, "jurisdiction"),
        ({"oldest_record": "2026-01-01", "newest_record": "2020-01-01"}, "newest_record"),
    ],
)
def test_a_holding_form_shows_the_services_errors(
    client_for, director, sales_system, changes, field
):
    order = category(sales_system.winddown)
    form = {
        "category": order.pk,
        "source": "order",
        "jurisdiction": "DE",
        "records_total": 100,
        "records_active": 0,
        "records_dormant": 0,
        **changes,
    }
    response = client_for(director).post(
        reverse("inventory:holding-create", kwargs={"slug": "acme", "pk": sales_system.pk}), form
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Holding.objects.exists()


def test_a_second_holding_of_the_same_slice_is_refused(director, sales_holding):
    with pytest.raises(Exception, match="already holds"):
        services.holding_create(
            by=director,
            system=sales_holding.system,
            category=sales_holding.category,
            source="order",
            jurisdiction="DE",
            records_total=1,
        )


def test_the_database_enforces_the_counts_and_the_slice(sales_holding):
    for values in ({"records_active": 200}, {"records_total": -1}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Holding.objects.filter(pk=sales_holding.pk).update(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        HoldingFactory(system=sales_holding.system, jurisdiction="DE")


def test_high_risk_locations_are_flagged_on_every_view(client_for, auditor, winddown):
    laptop = DataSystemFactory(winddown=winddown, name="Sales laptop", kind="laptop")
    HoldingFactory(system=laptop)
    DataSystemFactory(winddown=winddown, name="Order DB", kind="database")
    client = client_for(auditor)
    pages = [
        reverse("inventory:index", kwargs={"slug": "acme"}),
        reverse("inventory:system-list", kwargs={"slug": "acme"}),
        reverse("inventory:system-detail", kwargs={"slug": "acme", "pk": laptop.pk}),
        reverse("inventory:attestation-list", kwargs={"slug": "acme"}),
        reverse("inventory:attestation-detail", kwargs={"slug": "acme", "department": "Sales"}),
        reverse("dashboard:home", kwargs={"slug": "acme"}),
    ]
    for page in pages:
        content = client.get(page).content.decode()
        assert 'class="badge risk"' in content, page
    listing = client.get(pages[1] + "?risk=high").content.decode()
    assert "Sales laptop" in listing and "Order DB" not in listing


def test_the_systems_list_filters_by_kind_department_and_status(client_for, auditor, winddown):
    DataSystemFactory(winddown=winddown, name="Zendesk", kind="saas", department="Support")
    DataSystemFactory(
        winddown=winddown, name="ERP", kind="database", department="Finance", status="verified"
    )
    client = client_for(auditor)
    base = reverse("inventory:system-list", kwargs={"slug": "acme"})
    names = lambda q: [s.name for s in client.get(base + q).context["systems"]]  # noqa: E731
    assert names("?kind=saas") == ["Zendesk"]
    assert names("?department=Finance") == ["ERP"]
    assert names("?status=verified") == ["ERP"]
    assert names("?q=zen") == ["Zendesk"]


def test_the_overview_rolls_up_by_category_jurisdiction_and_department(
    client_for, auditor, winddown
):
    erp = DataSystemFactory(winddown=winddown, name="ERP", department="Finance")
    crm = DataSystemFactory(winddown=winddown, name="CRM", department="Sales")
    HoldingFactory(system=erp, jurisdiction="DE", records_total=100)
    HoldingFactory(
        system=crm, jurisdiction="DE", records_total=50, records_active=0, records_dormant=50
    )
    HoldingFactory(
        system=crm, jurisdiction="FR", records_total=7, records_active=0, records_dormant=0
    )
    context = client_for(auditor).get(reverse("inventory:index", kwargs={"slug": "acme"})).context
    matrix = context["matrix"]
    assert matrix.jurisdictions == ["DE", "FR"] and matrix.total == 157
    [(category_row, values, total)] = list(matrix.rows())
    assert (category_row.key, values, total) == ("commerce.order", [150, 7], 157)
    by_department = {
        d.department: (d.systems, d.holdings, d.records) for d in context["departments"]
    }
    assert by_department == {"Finance": (1, 1, 100), "Sales": (1, 2, 57)}
    assert context["summary"]["records"] == 157


def test_the_holding_form_shows_dates_as_the_browser_expects_in_chinese_too(
    client_for, director, sales_holding
):
    sales_holding.oldest_record = "2019-03-01"
    sales_holding.save()
    client = client_for(director)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(
        reverse("inventory:holding-update", kwargs={"slug": "acme", "pk": sales_holding.pk})
    )
    assert 'type="date" name="oldest_record" value="2019-03-01"' in page.content.decode()
