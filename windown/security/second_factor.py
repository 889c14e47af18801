"""The optional second factor (TOTP through django-otp), required for some roles by a setting.

A person with a confirmed device is asked for a code at every sign-in; a member whose role in
any wind-down is in WINDOWN_OTP_REQUIRED_ROLES must enrol before using windown. The API token
endpoint asks for the same code (`otp_token`), so a token is never a way around it.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from windown.models import Membership, User
from windown.security.account_audit import audit_account_event


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_required(user: User) -> bool:
    """Say whether the user must enrol: their role somewhere is listed in the setting."""
    roles = settings.WINDOWN_OTP_REQUIRED_ROLES
    return bool(roles) and Membership.objects.filter(user=user, role__in=roles).exists()


def needs_code(user: User) -> bool:
    """Say whether signing in as `user` takes a TOTP code (they have a device or must enrol)."""
    return has_second_factor(user) or second_factor_required(user)


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device the enrolment page shows (made once, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="windown", confirmed=False)


def provisioning_qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URI as an SVG QR code (no script, no remote image)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, light="#fff")


@transaction.atomic
def second_factor_enrol(*, user: User, device: TOTPDevice, code: str) -> bool:
    """Confirm the enrolment device if `code` is its current code; audit it."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_account_event(
        user=user, action="account.second_factor_enrolled", actor=user, payload={"device": "totp"}
    )
    return True


def matching_device(user: User, code: str):
    """The user's confirmed device that accepts `code` now, or None (throttled by django-otp)."""
    return match_token(user, (code or "").strip()) if code else None


@transaction.atomic
def second_factor_remove(*, user: User, by: User | None, actor_label: str | None = None) -> int:
    """Remove every TOTP device of `user` (a lost phone); audit it; return how many."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    audit_account_event(
        user=user,
        action="account.second_factor_removed",
        actor=by,
        payload={"devices_removed": removed},
        actor_label=actor_label,
    )
    return removed


def base32_key(device: TOTPDevice) -> str:
    """The device's key as authenticator apps accept it typed in (RFC 4648 base32)."""
    return b32encode(device.bin_key).decode()
