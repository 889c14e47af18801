"""A reference to another wind-down's object is a 400 naming the field, never ignored.

Every writable relation of every API serializer is walked: given the id (or key) of an
object of the other wind-down, validation fails on that field; given one of its own, it
passes. Ids taken outside serializer relations (open matters' system and category) are
checked through the API.
"""

import importlib
import inspect
import pkgutil

import pytest
from django.core.management import call_command
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField

from compliance.tests.factories import DataSystemFactory, make_holding
from inventory.models import DataCategory
from windown.models import Membership, WindDown
from windown.roles import Role

MODULES = [
    "windown.api.serializers",
    "inventory.serializers",
    "notices.serializers",
    "compliance.serializers",
    "destruction.serializers",
]


def serializer_classes():
    found = {}
    for name in MODULES:
        module = importlib.import_module(name)
        modules = [module]
        if hasattr(module, "__path__"):
            modules += [
                importlib.import_module(f"{name}.{info.name}")
                for info in pkgutil.iter_modules(module.__path__)
            ]
        for mod in modules:
            for _name, cls in inspect.getmembers(mod, inspect.isclass):
                if issubclass(cls, serializers.Serializer) and cls.__module__ == mod.__name__:
                    found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


def writable_relations(serializer):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, ManyRelatedField):
            yield name, field.child_relation, True
        elif isinstance(field, RelatedField):
            yield name, field, False


def value_of(relation, obj, many):
    value = getattr(obj, relation.slug_field) if hasattr(relation, "slug_field") else obj.pk
    return [value] if many else value


@pytest.fixture
def two_winddowns(winddown, signing_ca):
    call_command("load_demo", "--force", verbosity=0)
    own = WindDown.objects.get(slug="lumen-electronics")
    make_holding(winddown, system=DataSystemFactory(winddown=winddown, name="Acme ERP"))
    DataCategory.objects.create(winddown=winddown, key="acme.only", label_en="Acme only")
    call_command("load_ruleset", winddown.slug, verbosity=0)
    return Membership.objects.get(
        winddown=own, role=Role.DIRECTOR, user__email__startswith="director"
    ), winddown


def test_every_writable_relation_refuses_another_winddowns_object(two_winddowns):
    member, other = two_winddowns
    checked = []
    for label, cls in serializer_classes().items():
        context = {"membership": member, "request": None, "winddown": member.winddown}
        try:
            probe = cls(context=context)
            relations = list(writable_relations(probe))
        except TypeError:
            continue  # needs constructor arguments: not an API body serializer
        for name, relation, many in relations:
            model = relation.queryset.model
            foreign = model.objects.filter(winddown=other)
            if hasattr(relation, "slug_field"):  # a key: one the own wind-down does not have
                taken = model.objects.filter(winddown=member.winddown)
                foreign = foreign.exclude(
                    **{f"{relation.slug_field}__in": taken.values(relation.slug_field)}
                )
            foreign = foreign.first()
            own = model.objects.filter(winddown=member.winddown).first()
            if foreign is None:  # no such object in the other wind-down: check the scope
                scope = relation.get_queryset()
                assert "winddown_id" in str(scope.query), f"{label}.{name} is not scoped"
                checked.append(f"{label}.{name} (scope)")
                continue
            assert own is not None, f"{label}.{name}: add {model} data"
            refused = cls(
                data={name: value_of(relation, foreign, many)}, partial=True, context=context
            )
            assert not refused.is_valid() and name in refused.errors, f"{label}.{name} accepted it"
            accepted = cls(
                data={name: value_of(relation, own, many)}, partial=True, context=context
            )
            accepted.is_valid()
            assert name not in accepted.errors, f"{label}.{name}: {accepted.errors}"
            checked.append(f"{label}.{name}")
    print("checked:", ", ".join(sorted(checked)))
    assert "notices.serializers.AssignSerializer.assignee" in checked
    assert len(checked) >= 6


def test_an_assignee_or_a_system_of_another_winddown_is_a_400_through_the_api(
    two_winddowns, api_for
):
    from notices.models import SubjectRequest

    member, other = two_winddowns
    slug = member.winddown.slug
    foreign_member = Membership.objects.filter(winddown=other).first()
    request = SubjectRequest.objects.filter(winddown=member.winddown).first()
    support = Membership.objects.get(winddown=member.winddown, user__email__startswith="support@")
    response = api_for(support).post(
        f"/api/v1/winddowns/{slug}/notices/requests/{request.pk}/assign/",
        {"assignee": foreign_member.pk},
        format="json",
    )
    assert response.status_code == 400 and "assignee" in response.json()
    foreign_system = other.data_systems.first()
    legal = Membership.objects.get(winddown=member.winddown, user__email__startswith="legal@")
    response = api_for(legal).post(
        f"/api/v1/winddowns/{slug}/open-matters/",
        {
            "reference": "ORD-X",
            "matter_type": "order",
            "customer_reference": "C1",
            "opened_on": "2026-11-01",
            "system": foreign_system.pk,
        },
        format="json",
    )
    assert response.status_code == 400 and "system" in response.json(), response.content
