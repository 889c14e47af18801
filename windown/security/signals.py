"""Audit sign-in lockouts (django-axes' signal) through windown.security.lockout."""

from axes.signals import user_locked_out
from django.dispatch import receiver

from windown.security.lockout import record_lockout


@receiver(user_locked_out, dispatch_uid="windown.security.lockout")
def audit_lockout(sender, request, username, ip_address, **kwargs):
    record_lockout(username=username or "", ip_address=ip_address or "")
