from django.core.management.base import BaseCommand, CommandError

from windown.audit import audit_verify
from windown.models import WindDown


class Command(BaseCommand):
    help = "Walk the hash-chained audit trail and fail on the first event that does not match."

    def add_arguments(self, parser):
        parser.add_argument(
            "--winddown", metavar="SLUG", help="Verify one wind-down (default: all)."
        )

    def handle(self, *args, winddown=None, **options):
        winddowns = WindDown.objects.order_by("slug")
        if winddown:
            winddowns = winddowns.filter(slug=winddown)
            if not winddowns.exists():
                raise CommandError(f"No wind-down {winddown!r}.")
        failures = []
        for item in winddowns:
            report = audit_verify(item)
            if report.ok:
                self.stdout.write(f"{item.slug}: OK, {report.checked} events verified")
            else:
                event_id = f" (event id {report.bad_event.pk})" if report.bad_event else ""
                failures.append(f"{item.slug}: BROKEN at {report.problem}{event_id}")
        if failures:
            raise CommandError("\n".join(failures))
