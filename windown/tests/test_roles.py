"""The role matrix itself: auditors read, custodians act in their own department only."""

import pytest

from windown import roles
from windown.models import Membership
from windown.roles import MATRIX, Role


def test_auditors_hold_only_read_permissions():
    auditor_perms = [perm for perm, holders in MATRIX.items() if Role.AUDITOR in holders]
    assert auditor_perms
    assert all(perm.endswith((".view", ".download")) for perm in auditor_perms)


def test_a_custodian_may_change_inventory_of_their_own_department_only():
    custodian = Membership(role=Role.CUSTODIAN, department="Sales")
    assert roles.can(custodian, "inventory.change", department="Sales")
    assert not roles.can(custodian, "inventory.change", department="Marketing")
    assert not roles.can(custodian, "inventory.change", department=None)


def test_legal_and_directors_change_inventory_in_every_department():
    for role in (Role.LEGAL, Role.DIRECTOR):
        assert roles.can(Membership(role=role), "inventory.change", department="Marketing")


def test_only_legal_decides_retention():
    assert roles.roles_with("compliance.decide") == [Role.LEGAL]


def test_an_unknown_permission_is_a_programming_error():
    with pytest.raises(KeyError, match="Unknown permission"):
        roles.can(Membership(role=Role.DIRECTOR), "inventory.frobnicate")


def test_no_membership_means_no_permission():
    assert not roles.can(None, "winddown.view")
