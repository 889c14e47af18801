from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from windown.checkpoints import checkpoint_sign
from windown.demo.core import DEMO_PASSWORD, PEOPLE, load_core
from windown.selectors import audit_events_of, checkpoints_of


class Command(BaseCommand):
    help = (
        "Create the demo wind-down (a Shenzhen cross-border electronics seller) with one user "
        "per role, then let each phase app add its demo data. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Allow running with DEBUG off (not in production)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo creates demo logins; run it with DEBUG on or --force.")
        winddown, members = load_core()
        # Each phase app may ship a `demo` module with load(winddown, members); they run in
        # INSTALLED_APPS order, which is the phases' dependency order. The core imports none.
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name != "windown" and find_spec(config.name) and _has(module_name):
                lines = import_module(module_name).load(winddown, members)
                self.stdout.write(f"  {config.verbose_name}: demo data ready")
                for line in lines or []:  # what a phase wants the person to see (e.g. a serial)
                    self.stdout.write(f"    {line}")
        self._sign_checkpoint(winddown)
        self._print_logins(winddown)

    def _sign_checkpoint(self, winddown):
        """Sign a checkpoint of the demo's audit log, unless nothing happened since the last."""
        newest = audit_events_of(winddown).first()
        if newest is not None and newest.action == "audit.checkpoint_signed":
            checkpoint = checkpoints_of(winddown).first()
        else:
            try:
                checkpoint = checkpoint_sign(winddown=winddown)
            except ImproperlyConfigured as missing:
                self.stdout.write(self.style.WARNING(f"  No audit checkpoint signed: {missing}"))
                return
        page = reverse("windown:checkpoint-list", kwargs={"slug": winddown.slug})
        self.stdout.write(
            f"  Audit log: checkpoint of {checkpoint.tree_size} events signed "
            f"(root {checkpoint.root_hash[:16]}…), listed at {page}"
        )

    def _print_logins(self, winddown):
        self.stdout.write(self.style.SUCCESS(f"Demo wind-down: {winddown} ({winddown.slug})"))
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        for person in PEOPLE:
            department = f" ({person.department})" if person.department else ""
            self.stdout.write(f"  {person.role:<10} {person.email}{department}")


def _has(module_name: str) -> bool:
    try:
        return find_spec(module_name) is not None
    except ModuleNotFoundError:
        return False
