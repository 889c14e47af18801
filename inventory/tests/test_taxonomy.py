"""The shipped taxonomy is seeded into each wind-down; legal edits it there."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from inventory.models import DataCategory
from inventory.services import category_update, taxonomy_seed
from inventory.services.taxonomy import shipped_taxonomy
from windown.models import AuditEvent


def test_a_new_winddown_gets_the_shipped_taxonomy(winddown):
    keys = set(DataCategory.objects.filter(winddown=winddown).values_list("key", flat=True))
    assert {
        "user.contact.email",
        "user.financial.credit_card",
        "commerce.invoice",
        "user.financial.card_last4",
        "commerce.support_chat",
    } <= keys
    card = DataCategory.objects.get(winddown=winddown, key="user.financial.credit_card")
    assert (card.sensitivity, card.record_type, card.label_zh) == (
        "sensitive",
        "card_full",
        "完整银行卡号或安全码",
    )
    assert (
        AuditEvent.objects.filter(winddown=winddown, action="inventory.taxonomy_seeded").count()
        == 1
    )


def test_seeding_again_adds_only_what_is_missing_and_keeps_legals_edits(winddown, legal):
    category = DataCategory.objects.get(winddown=winddown, key="user.name")
    category_update(by=legal, category=category, label_en="Customer name")
    DataCategory.objects.filter(winddown=winddown, key="commerce.invoice").delete()
    assert taxonomy_seed(winddown=winddown) == 1
    assert taxonomy_seed(winddown=winddown) == 0
    assert DataCategory.objects.get(winddown=winddown, key="user.name").label_en == "Customer name"
    assert DataCategory.objects.filter(winddown=winddown).count() == len(
        shipped_taxonomy()["categories"]
    )


def test_legal_edits_a_category_and_the_change_is_audited(client_for, legal):
    category = DataCategory.objects.get(winddown=legal.winddown, key="user.device.ip_address")
    response = client_for(legal).post(
        reverse("inventory:category-update", kwargs={"slug": "acme", "pk": category.pk}),
        {
            "label_en": "IP address",
            "label_zh": "IP地址",
            "sensitivity": "normal",
            "record_type": "browsing_history",
            "description": "Logged by the web server.",
        },
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.record_type == "browsing_history"
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.action == "inventory.category_updated"
    assert event.payload["changes"]["record_type"] == ["account_data", "browsing_history"]


def test_an_unknown_record_type_is_refused(client_for, legal):
    category = DataCategory.objects.get(winddown=legal.winddown, key="user.name")
    response = client_for(legal).post(
        reverse("inventory:category-update", kwargs={"slug": "acme", "pk": category.pk}),
        {"label_en": "Name", "sensitivity": "normal", "record_type": "gossip"},
    )
    assert response.status_code == 200
    category.refresh_from_db()
    assert category.record_type == "account_data"


def test_only_legal_may_edit_the_taxonomy(director):
    category = DataCategory.objects.get(winddown=director.winddown, key="user.name")
    with pytest.raises(PermissionDenied):
        category_update(by=director, category=category, label_en="x")


def test_a_new_record_type_tells_compliance_which_holdings_changed(
    legal, sales_holding, django_capture_on_commit_callbacks
):
    from inventory.signals import holdings_changed

    received = []
    holdings_changed.connect(
        lambda **kw: received.append(kw["holding_ids"]), weak=False, dispatch_uid="taxonomy"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            category_update(by=legal, category=sales_holding.category, label_en="Order lines")
        with django_capture_on_commit_callbacks(execute=True):
            category_update(by=legal, category=sales_holding.category, record_type="invoices")
    finally:
        holdings_changed.disconnect(dispatch_uid="taxonomy")
    assert received == [[sales_holding.pk]]  # the label alone changes no decision
