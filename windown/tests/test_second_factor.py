"""TOTP second factor: optional enrolment, a code at every sign-in once enrolled, required for
the roles a setting names (browser and API token alike). Codes are computed here from the key
the enrolment page shows (RFC 6238), as an authenticator app would."""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from windown.models import AuditEvent
from windown.roles import Role
from windown.tests.factories import PASSWORD


def totp(secret: str, at: float | None = None, step: int = 30) -> str:
    """RFC 6238 TOTP (HMAC-SHA1, 6 digits) for a base32 secret."""
    key = base64.b32decode(secret)
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


@pytest.fixture(autouse=True)
def no_throttle(settings):
    """django-otp delays the next try after a wrong code (tested on its own below)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def sign_in(client, membership):
    data = {"username": membership.user.email, "password": PASSWORD}
    response = client.post(reverse("login"), data)
    assert response.status_code == 302
    return response


def enrol(client) -> str:
    page = client.get(reverse("second-factor-enrol"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body  # the QR code, inline, no remote image
    secret = re.search(r"<code>([A-Z2-7=]+)</code>", body).group(1)
    response = client.post(reverse("second-factor-enrol"), {"code": totp(secret), "next": "/w/"})
    assert response.status_code == 302 and response["Location"] == "/w/"
    return secret


DASHBOARD = "/w/acme/"


def test_a_member_may_enrol_by_choice_and_it_is_audited(client, director):
    sign_in(client, director)
    assert client.get(DASHBOARD).status_code == 200  # not required: no gate
    page = client.get(reverse("second-factor-enrol")).content.decode()
    secret = re.search(r"<code>([A-Z2-7=]+)</code>", page).group(1)
    wrong = client.post(reverse("second-factor-enrol"), {"code": "000000"})
    assert wrong.status_code == 400 and not TOTPDevice.objects.filter(confirmed=True).exists()
    client.post(reverse("second-factor-enrol"), {"code": totp(secret)})
    device = TOTPDevice.objects.get(user=director.user)
    assert device.confirmed
    assert base64.b32encode(device.bin_key).decode() == secret
    event = AuditEvent.objects.get(action="account.second_factor_enrolled")
    assert event.winddown == director.winddown and event.actor == director.user


def test_once_enrolled_every_sign_in_asks_for_a_current_code(client, director):
    sign_in(client, director)
    secret = enrol(client)
    client.logout()
    sign_in(client, director)
    gate = client.get(DASHBOARD)
    assert gate.status_code == 302
    assert gate["Location"].startswith(reverse("second-factor-verify"))
    api = client.get("/api/v1/winddowns/")
    assert api.status_code == 403 and "authenticator" in api.json()["detail"]
    verify = reverse("second-factor-verify")
    assert client.post(verify, {"code": "123456", "next": DASHBOARD}).status_code == 400
    stale = totp(secret, at=time.time() - 300)  # a code from five minutes ago
    assert client.post(verify, {"code": stale, "next": DASHBOARD}).status_code == 400
    # enrolment used this step's code; the app's next one is accepted (one step of drift)
    response = client.post(verify, {"code": totp(secret, at=time.time() + 30), "next": DASHBOARD})
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


def test_a_code_is_not_accepted_twice(client, director):
    sign_in(client, director)
    page = client.get(reverse("second-factor-enrol")).content.decode()
    code = totp(re.search(r"<code>([A-Z2-7=]+)</code>", page).group(1))
    assert client.post(reverse("second-factor-enrol"), {"code": code}).status_code == 302
    client.logout()
    sign_in(client, director)
    assert client.post(reverse("second-factor-verify"), {"code": code}).status_code == 400


def test_an_unsafe_next_is_not_followed(client, director):
    sign_in(client, director)
    page = client.get(reverse("second-factor-enrol")).content.decode()
    secret = re.search(r"<code>([A-Z2-7=]+)</code>", page).group(1)
    data = {"code": totp(secret), "next": "https://evil.example/"}
    assert client.post(reverse("second-factor-enrol"), data)["Location"] == "/"


def test_the_setting_requires_a_second_factor_for_directors_and_legal(
    client, settings, director, member
):
    settings.WINDOWN_OTP_REQUIRED_ROLES = [Role.DIRECTOR, Role.LEGAL]
    support = member(Role.SUPPORT)
    sign_in(client, support)
    assert client.get(DASHBOARD).status_code == 200
    client.logout()
    sign_in(client, director)
    gate = client.get(DASHBOARD)
    assert gate.status_code == 302
    assert gate["Location"].startswith(reverse("second-factor-enrol"))
    assert client.get("/admin/").status_code == 302
    assert client.get("/api/v1/winddowns/").status_code == 403
    enrol(client)
    assert client.get(DASHBOARD).status_code == 200


def test_the_api_token_needs_a_code_from_whoever_has_or_owes_a_second_factor(
    client, settings, director, member
):
    url = reverse("api-token")
    credentials = {"username": director.user.email, "password": PASSWORD}
    settings.WINDOWN_OTP_REQUIRED_ROLES = [Role.DIRECTOR]
    not_enrolled = client.post(url, credentials)
    assert not_enrolled.status_code == 400 and "Enrol" in not_enrolled.json()["otp_token"][0]
    sign_in(client, director)
    secret = enrol(client)
    client.logout()
    assert client.post(url, credentials).status_code == 400
    assert client.post(url, {**credentials, "otp_token": "000000"}).status_code == 400
    later = totp(secret, at=time.time() + 30)  # the next step's code (one step of drift allowed)
    response = client.post(url, {**credentials, "otp_token": later})
    assert response.status_code == 200 and len(response.json()["token"]) == 40
    support = member(Role.SUPPORT)
    plain = client.post(url, {"username": support.user.email, "password": PASSWORD})
    assert plain.status_code == 200


def test_an_administrator_removes_a_lost_second_factor(client, director):
    from django.core.management import call_command

    sign_in(client, director)
    enrol(client)
    call_command("unlock_login", director.user.email, remove_second_factor=True)
    assert not TOTPDevice.objects.filter(user=director.user).exists()
    assert AuditEvent.objects.filter(action="account.second_factor_removed").count() == 1


def test_wrong_codes_slow_down_guessing(client, director, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1  # django-otp's default: 1 s, 2 s, 4 s… after failures
    sign_in(client, director)
    secret = enrol(client)
    client.logout()
    sign_in(client, director)
    verify = reverse("second-factor-verify")
    assert client.post(verify, {"code": "000000"}).status_code == 400
    right_away = totp(secret, at=time.time() + 30)
    assert client.post(verify, {"code": right_away}).status_code == 400  # throttled
    time.sleep(2.1)
    assert client.post(verify, {"code": right_away}).status_code == 302
