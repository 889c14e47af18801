"""Directors invite people by email, change their roles and remove them; all of it is audited."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from windown.models import AuditEvent, Membership, User
from windown.roles import Role


def last_event(winddown):
    return AuditEvent.objects.filter(winddown=winddown).order_by("-seq").first()


def test_an_invited_person_gets_an_email_with_a_link_to_choose_a_password(
    client_for, director, client
):
    response = client_for(director).post(
        reverse("windown:team", kwargs={"slug": "acme"}),
        {"email": "Li.Wei@Example.com", "role": "custodian", "department": "IT"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="li.wei@example.com")
    assert (membership.role, membership.department) == ("custodian", "IT")
    assert last_event(director.winddown).action == "membership.invited"
    [message] = mail.outbox
    assert message.to == ["li.wei@example.com"]
    link = re.search(r"http://\S+", message.body).group(0)
    client.logout()
    page = client.get(link.replace("http://localhost:8000", ""), follow=True)
    assert page.status_code == 200
    assert b'name="new_password1"' in page.content


def test_inviting_a_custodian_without_a_department_is_refused_and_changes_nothing(
    client_for, director
):
    response = client_for(director).post(
        reverse("windown:team", kwargs={"slug": "acme"}),
        {"email": "a@example.com", "role": "custodian"},
    )
    assert response.status_code == 200
    assert "A custodian must have a department." in response.content.decode()
    assert not User.objects.filter(email="a@example.com").exists()
    assert mail.outbox == []


def test_inviting_an_existing_member_again_is_refused(client_for, director, member):
    legal = member(Role.LEGAL)
    response = client_for(director).post(
        reverse("windown:team", kwargs={"slug": "acme"}), {"email": legal.user.email, "role": "it"}
    )
    assert "is already a member" in response.content.decode()
    assert Membership.objects.get(pk=legal.pk).role == Role.LEGAL


def test_changing_a_role_is_audited_with_before_and_after(client_for, director, member):
    legal = member(Role.LEGAL)
    client_for(director).post(
        reverse("windown:membership-change", kwargs={"slug": "acme", "pk": legal.pk}),
        {"role": "auditor"},
    )
    assert Membership.objects.get(pk=legal.pk).role == Role.AUDITOR
    event = last_event(director.winddown)
    assert event.action == "membership.role_changed"
    assert (
        event.payload["before"]["role"] == "legal" and event.payload["after"]["role"] == "auditor"
    )


def test_removing_a_member_is_audited(client_for, director, member):
    it = member(Role.IT)
    client_for(director).post(
        reverse("windown:membership-remove", kwargs={"slug": "acme", "pk": it.pk})
    )
    assert not Membership.objects.filter(pk=it.pk).exists()
    assert last_event(director.winddown).payload["email"] == it.user.email


@pytest.mark.parametrize("view", ["windown:membership-change", "windown:membership-remove"])
def test_the_last_director_cannot_be_demoted_or_removed(client_for, director, view):
    response = client_for(director).post(
        reverse(view, kwargs={"slug": "acme", "pk": director.pk}), {"role": "legal"}, follow=True
    )
    assert "at least one director" in response.content.decode()
    assert Membership.objects.get(pk=director.pk).role == Role.DIRECTOR


def test_creating_a_winddown_in_the_browser_makes_the_creator_director(client, db):
    from windown.tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("windown:winddown-create"),
        {
            "slug": "gamma",
            "company_legal_name": "Gamma KK",
            "registration_country": "JP",
            "company_form": "KK",
            "tax_registrations": ["JP_CT"],
            "fiscal_year_end_month": 3,
            "fiscal_year_end_day": 31,
            "deletion_deadline": "2027-09-30",
            "certificate_retention_years": 5,
            "notice_lead_days": 30,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(winddown__slug="gamma")
    assert (membership.user, membership.role) == (user, Role.DIRECTOR)
    assert AuditEvent.objects.filter(winddown__slug="gamma", action="winddown.created").exists()


def test_a_settings_change_is_audited_with_what_changed(client_for, director):
    from windown.audit import audit_verify
    from windown.services import winddown_update

    winddown_update(by=director, support_phone="+86 755 1234")
    event = last_event(director.winddown)
    assert event.action == "winddown.updated"
    assert event.payload["changes"] == {"support_phone": ["", "+86 755 1234"]}
    assert audit_verify(director.winddown).ok
