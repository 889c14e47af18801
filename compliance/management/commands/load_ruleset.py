from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.engine import SHIPPED_RULESET, RulesetError
from compliance.services import ruleset_import
from windown.models import WindDown


class Command(BaseCommand):
    help = (
        "Import a ruleset file (default: the shipped one) as a published version into the "
        "given wind-downs (default: all). Safe to run again: an existing version is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="wind-down short names (default: all)")
        parser.add_argument("--file", type=Path, default=SHIPPED_RULESET)

    def handle(self, *args, slugs, file, **options):
        winddowns = WindDown.objects.filter(slug__in=slugs) if slugs else WindDown.objects.all()
        missing = set(slugs) - set(winddowns.values_list("slug", flat=True))
        if missing:
            raise CommandError(f"No wind-down {', '.join(sorted(missing))}")
        for winddown in winddowns:
            try:
                ruleset, created = ruleset_import(winddown=winddown, path=file)
            except RulesetError as error:
                raise CommandError(str(error)) from error
            state = "imported" if created else "already there"
            self.stdout.write(f"{winddown.slug}: ruleset {ruleset.version} {state}")
