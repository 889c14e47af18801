from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from inventory.services.datamap import datamap_import
from windown import textencoding
from windown.commands import acting_member, add_acting_member_argument, refusal


class Command(BaseCommand):
    help = (
        "Import a data map (XLSX or CSV; UTF-8, UTF-8 with BOM or GB18030/GBK) into a "
        "wind-down. Nothing is written if any row has a problem; --dry-run only reports."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the wind-down's short name")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")
        parser.add_argument(
            "--encoding",
            default="",
            choices=sorted(textencoding.CODECS),
            help="a CSV file's text encoding (default: recognised; UTF-8, then GB18030)",
        )
        add_acting_member_argument(parser)

    def handle(self, *args, slug, file, dry_run=False, email=None, encoding="", **options):
        member = acting_member(slug, email)
        try:
            report = datamap_import(
                by=member,
                data=file.read_bytes(),
                filename=file.name,
                dry_run=dry_run,
                encoding=encoding,
            )
        except (ValidationError, PermissionDenied) as error:
            raise refusal(error) from error
        except OSError as error:
            raise CommandError(str(error)) from error
        for problem in report.problems:
            self.stderr.write(f"row {problem.row}, {problem.column}: {problem.message}")
        if not report.ok:
            hidden = report.problem_count - len(report.problems)
            more = f" ({hidden} more not shown)" if hidden else ""
            raise CommandError(f"{report.problem_count} problem(s){more}; nothing was imported.")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {report.rows} rows from {file.name} (sha256 {report.sha256[:12]}…"
            f"{', read as ' + report.encoding_label if report.encoding else ''})."
        )
        for name, tally in (("systems", report.systems), ("holdings", report.holdings)):
            self.stdout.write(
                f"  {name}: {tally.created} created, {tally.updated} updated, "
                f"{tally.unchanged} unchanged"
            )
