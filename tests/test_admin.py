"""The Django admin has every model of every windown app, and its pages load."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from windown.tests.factories import UserFactory

APPS = ["windown", "inventory", "compliance", "notices", "destruction"]
MODELS = [m for app in APPS for m in apps.get_app_config(app).get_models()]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_model_is_registered_in_the_admin(model):
    assert admin.site.is_registered(model), f"{model._meta.label} has no admin"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_the_admin_list_page_of_every_model_loads(client, winddown, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200


def test_the_audit_trail_cannot_be_changed_from_the_admin(client, winddown):
    from windown.models import AuditEvent

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    event = AuditEvent.objects.filter(winddown=winddown).first()
    url = reverse("admin:windown_auditevent_change", args=[event.pk])
    response = client.post(url, {"action": "forged"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action != "forged"
