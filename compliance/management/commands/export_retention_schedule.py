from django.core.management.base import BaseCommand, CommandError

from compliance.models import Decision
from compliance.services.rulesets import current_ruleset
from compliance.services.schedule import render_pdf, schedule_rows, write_csv, write_xlsx
from windown.models import WindDown


class Command(BaseCommand):
    help = "Write a wind-down's retention schedule (GDPR art. 30(1)(f)) as CSV, XLSX or PDF."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["csv", "xlsx", "pdf"], default="csv")
        parser.add_argument("-o", "--output", required=True, help="file to write")

    def handle(self, *args, slug, format, output, **options):
        winddown = WindDown.objects.filter(slug=slug).first()
        if winddown is None:
            raise CommandError(f"No wind-down {slug}")
        decisions = Decision.objects.filter(winddown=winddown)
        if format == "csv":
            with open(output, "w", encoding="utf-8", newline="") as stream:
                write_csv(schedule_rows(decisions), stream)
        elif format == "xlsx":
            with open(output, "wb") as stream:
                write_xlsx(schedule_rows(decisions), stream)
        else:
            ruleset = current_ruleset(winddown)
            pdf = render_pdf(
                winddown=winddown,
                decisions=decisions,
                ruleset_version=ruleset.version if ruleset else "",
            )
            with open(output, "wb") as stream:
                stream.write(pdf)
        self.stdout.write(f"{decisions.count()} decisions written to {output} ({format})")
