"""The objects the inventory's access tests act on, and what "nothing changed" means."""

from inventory.models import Attestation, DataCategory, DataSystem, Holding
from windown.roles import Role
from windown.tests.access import one_of_each_role


def team(winddown, member):
    """One member per role (the custodian in Sales) and a Finance custodian to act on."""
    people = one_of_each_role(winddown, member)
    member(Role.CUSTODIAN, department="Finance")
    return people


def snapshot(winddown):
    return (
        sorted(DataSystem.objects.filter(winddown=winddown).values_list("name", "updated_at")),
        sorted(Holding.objects.filter(winddown=winddown).values_list("pk", "updated_at")),
        sorted(DataCategory.objects.filter(winddown=winddown).values_list("key", "label_en")),
        Attestation.objects.count(),
    )
