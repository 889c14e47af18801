import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_noop

from compliance.services import decisions_evaluate
from windown.models import WindDown


class Command(BaseCommand):
    help = "Propose a retention decision for every holding of a wind-down (incremental: approved "
    help += "decisions whose proposal is unchanged stay approved)."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug, **options):
        winddown = WindDown.objects.filter(slug=slug).first()
        if winddown is None:
            raise CommandError(f"No wind-down {slug}")
        started = time.perf_counter()
        result = decisions_evaluate(
            winddown=winddown, reason=gettext_noop("evaluate_retention command")
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{winddown.slug}: {result.evaluated} holdings evaluated with ruleset "
            f"{result.ruleset} in {elapsed:.1f} s — {result.created} new, {result.changed} "
            f"changed, {result.unchanged} unchanged, {len(result.back_to_review)} back in review"
        )
