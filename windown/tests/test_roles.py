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


def test_every_permission_is_worded_for_the_people_it_refuses():
    assert set(roles.ACTIONS) == set(MATRIX)


@pytest.mark.django_db
def test_an_api_refusal_says_in_words_what_the_role_may_not_do_and_who_may(api_for, member):
    support = member(Role.SUPPORT)
    url = f"/api/v1/winddowns/{support.winddown.slug}/audit-events/"
    english = api_for(support).get(url)
    assert english.status_code == 403
    assert english.json()["detail"] == (
        "Your role (Customer-service lead) may not read the audit trail; "
        "this needs: Finance director, Legal, Auditor."
    )
    chinese = api_for(support).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 403
    assert chinese.json()["detail"].startswith("您的角色（客服主管）无权查看审计日志")  # noqa: RUF001
    assert "audit.view" not in english.json()["detail"] + chinese.json()["detail"]


@pytest.mark.django_db
def test_a_custodian_is_told_the_refusal_is_about_another_department(member):
    from django.core.exceptions import PermissionDenied

    custodian = member(Role.CUSTODIAN, department="Sales")
    with pytest.raises(PermissionDenied) as refused:
        roles.require(custodian, "inventory.change", department="Finance")
    assert str(refused.value) == "You may change the data map only for your own department (Sales)."
