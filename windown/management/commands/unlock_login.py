"""Lift a sign-in lockout, or remove a lost second factor: `unlock_login EMAIL [--ip ADDR]`."""

from django.core.management.base import BaseCommand, CommandError

from windown.models import User
from windown.security.lockout import login_unlock
from windown.security.second_factor import second_factor_remove


class Command(BaseCommand):
    help = (
        "Unlock sign-in for an account and/or a client address locked after repeated failures "
        "(audited in each of the account's wind-downs); --remove-second-factor also deletes the "
        "account's TOTP devices (a lost phone), so it enrols again at the next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", default="", help="the account's e-mail address")
        parser.add_argument("--ip", default="", help="a client address to unlock")
        parser.add_argument("--remove-second-factor", action="store_true")

    def handle(self, *args, email, ip, remove_second_factor, **options):
        if not email and not ip:
            raise CommandError("Name an account (EMAIL), a client address (--ip), or both.")
        user = User.objects.filter(email__iexact=email.strip()).first() if email else None
        if email and user is None:
            raise CommandError(f"No account {email}.")
        removed = login_unlock(email=email, ip_address=ip, by=None, actor_label="unlock_login")
        self.stdout.write(f"Unlocked {email or ''} {ip or ''}: {removed} failed attempts removed.")
        if remove_second_factor:
            if user is None:
                raise CommandError("--remove-second-factor needs the account's EMAIL.")
            devices = second_factor_remove(user=user, by=None, actor_label="unlock_login")
            self.stdout.write(f"Removed {devices} second-factor device(s) of {user.email}.")
