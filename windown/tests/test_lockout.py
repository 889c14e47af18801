"""Repeated sign-in failures lock the account and the client address out (django-axes), on the
sign-in page and the API token endpoint alike; the lock is audited; directors and
administrators can lift it."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from windown.models import AuditEvent
from windown.roles import Role
from windown.security.lockout import _AUDITED
from windown.tests.factories import PASSWORD

LIMIT = 5


@pytest.fixture(autouse=True)
def lockout_settings(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    yield
    cache.delete_many([_AUDITED.format(k) for k in ("", "10.0.0.1", "10.0.0.2", "10.0.0.9")])


@pytest.fixture
def legal(member):
    membership = member(Role.LEGAL)
    yield membership
    cache.delete(_AUDITED.format(membership.user.email))


def sign_in(client, email, password, address="10.0.0.1"):
    data = {"username": email, "password": password}
    return client.post(reverse("login"), data, REMOTE_ADDR=address)


def fail(client, email, times=LIMIT, address="10.0.0.1"):
    return [sign_in(client, email, "wrong password", address).status_code for _ in range(times)]


def test_it_locks_an_account_after_repeated_failures_even_with_the_right_password(client, legal):
    email = legal.user.email
    assert fail(client, email, LIMIT - 1) == [200] * (LIMIT - 1)  # the form again, with an error
    locked = sign_in(client, email, "wrong password")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    assert "Too many failed sign-in attempts" in locked.content.decode()
    response = sign_in(client, email, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_account_stays_locked_from_another_address_and_in_any_letter_case(client, legal):
    fail(client, legal.user.email.upper(), address="10.0.0.1")
    assert sign_in(client, legal.user.email, PASSWORD, address="10.0.0.2").status_code == 429


def test_an_address_that_tries_many_accounts_is_locked_for_every_account(client, legal):
    for n in range(LIMIT):
        sign_in(client, f"guess{n}@example.com", "wrong password", address="10.0.0.9")
    assert sign_in(client, legal.user.email, PASSWORD, address="10.0.0.9").status_code == 429
    assert sign_in(client, legal.user.email, PASSWORD, address="10.0.0.2").status_code == 302


def test_a_lockout_is_audited_once_in_each_of_the_members_winddowns(
    client, legal, other_winddown, winddown
):
    from windown.tests.factories import MembershipFactory

    MembershipFactory(winddown=other_winddown, user=legal.user, role=Role.AUDITOR)
    fail(client, legal.user.email, LIMIT + 3)
    for tenant in (winddown, other_winddown):
        events = AuditEvent.objects.filter(winddown=tenant, action="account.locked_out")
        assert events.count() == 1
        assert events.get().payload == {"email": legal.user.email, "ip_address": "10.0.0.1"}
        assert events.get().actor_label == "axes"


def test_the_api_token_endpoint_locks_out_too(client, legal):
    url = reverse("api-token")
    good = {"username": legal.user.email, "password": PASSWORD}
    assert client.post(url, good, REMOTE_ADDR="10.0.0.1").status_code == 200
    bad = {"username": legal.user.email, "password": "wrong"}
    statuses = [client.post(url, bad, REMOTE_ADDR="10.0.0.1").status_code for _ in range(LIMIT)]
    assert statuses == [400] * (LIMIT - 1) + [429]
    locked = client.post(url, good, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert "Too many failed sign-in attempts" in locked.json()["detail"]
    assert int(locked["Retry-After"]) > 0


def test_the_director_sees_the_lock_and_lifts_it_on_the_team_page(client, client_for, legal):
    director = legal.winddown.memberships.get(role=Role.DIRECTOR)
    fail(client, legal.user.email)
    team = client_for(director).get(reverse("windown:team", kwargs={"slug": "acme"}))
    assert "Sign-in locked" in team.content.decode()
    url = reverse("windown:membership-unlock", kwargs={"slug": "acme", "pk": legal.pk})
    assert client_for(director).post(url).status_code == 302
    client.logout()
    assert sign_in(client, legal.user.email, PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="account.unlocked")
    assert event.actor == director.user
    assert event.payload["email"] == legal.user.email
    assert event.payload["attempts_removed"] >= 1


def test_only_the_director_sees_locks_and_may_unlock(client, client_for, legal, member):
    support = member(Role.SUPPORT)
    fail(client, legal.user.email)
    team = client_for(support).get(reverse("windown:team", kwargs={"slug": "acme"}))
    assert "Sign-in locked" not in team.content.decode()
    url = reverse("windown:membership-unlock", kwargs={"slug": "acme", "pk": legal.pk})
    assert client_for(support).post(url).status_code == 403
    assert not AuditEvent.objects.filter(action="account.unlocked").exists()


def test_an_administrator_unlocks_an_account_and_an_address_with_a_command(client, legal):
    fail(client, legal.user.email)
    call_command("unlock_login", legal.user.email.upper(), ip="10.0.0.1")
    assert sign_in(client, legal.user.email, PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="account.unlocked")
    assert event.actor is None and event.actor_label == "unlock_login"
    assert event.payload["ip_address"] == "10.0.0.1"


def test_a_successful_sign_in_clears_earlier_failures(client, legal):
    fail(client, legal.user.email, LIMIT - 1)
    assert sign_in(client, legal.user.email, PASSWORD).status_code == 302
    client.logout()
    fail(client, legal.user.email, LIMIT - 1)
    assert sign_in(client, legal.user.email, PASSWORD).status_code == 302
