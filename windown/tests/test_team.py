"""Directors invite people by email, change their roles and remove them; all of it is audited."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
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


def test_a_winddowns_status_changes_only_through_its_transition(api_for, director):
    from windown.models import AuditEvent, WindDown
    from windown.services import winddown_update

    with pytest.raises(ValidationError):
        winddown_update(by=director, status=WindDown.Status.CLOSED)
    api = api_for(director)
    refused = api.patch("/api/v1/winddowns/acme/", {"status": "closed"}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"status": ["This field cannot be changed here."]}
    renamed = api.patch("/api/v1/winddowns/acme/", {"slug": "acme2"}, format="json")
    assert renamed.status_code == 400 and list(renamed.json()) == ["slug"]
    assert WindDown.objects.get(slug="acme").status == WindDown.Status.PLANNING
    assert not AuditEvent.objects.filter(action="winddown.updated").exists()

    moved = api.post("/api/v1/winddowns/acme/status/", {"status": "active"}, format="json")
    assert moved.status_code == 200, moved.json()
    assert moved.json()["status"] == "active"
    assert WindDown.objects.get(slug="acme").status == WindDown.Status.ACTIVE
    event = AuditEvent.objects.get(action="winddown.status_changed")
    assert event.payload == {"from": "planning", "to": "active"}


def test_only_a_director_moves_the_status_through_the_api(api_for, member):
    from windown.models import WindDown
    from windown.roles import Role

    response = api_for(member(Role.LEGAL)).post(
        "/api/v1/winddowns/acme/status/", {"status": "closed"}, format="json"
    )
    assert response.status_code == 403
    assert WindDown.objects.get(slug="acme").status == WindDown.Status.PLANNING


def test_the_settings_page_saves_facts_and_status_as_two_audited_changes(client_for, director):
    from windown.forms import WindDownSettingsForm
    from windown.models import WindDown

    winddown = director.winddown
    form = WindDownSettingsForm(instance=winddown)
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None}
    data.update(support_phone="+86 755 9999", status="active")
    response = client_for(director).post(
        reverse("windown:winddown-settings", kwargs={"slug": "acme"}), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    fresh = WindDown.objects.get(pk=winddown.pk)
    assert (fresh.support_phone, fresh.status) == ("+86 755 9999", "active")
    actions = list(
        AuditEvent.objects.filter(winddown=winddown)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["winddown.updated", "winddown.status_changed"]
    assert last_event(winddown).payload == {"from": "planning", "to": "active"}
