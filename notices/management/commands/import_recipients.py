from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from notices.services.importing import ImportRefused, recipients_import
from windown import textencoding
from windown.commands import acting_member, add_acting_member_argument, refusal


class Command(BaseCommand):
    help = "Import recipients (CSV or XLSX) into a wind-down; refuse the file if a row is invalid."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and skip the invalid ones.",
        )
        parser.add_argument(
            "--encoding",
            default="",
            choices=sorted(textencoding.CODECS),
            help="a CSV file's text encoding (default: recognised; UTF-8, then GB18030)",
        )
        add_acting_member_argument(parser)

    def handle(self, slug, file, skip_invalid=False, email=None, encoding="", **options):
        member = acting_member(slug, email)
        if not file.exists():
            raise CommandError(f"{file} does not exist.")

        def progress(phase: str, rows: int) -> None:
            self.stdout.write(f"  {phase}: {rows} rows", ending="\r")

        try:
            with file.open("rb") as handle:
                report = recipients_import(
                    by=member,
                    file=handle,
                    filename=file.name,
                    skip_invalid=skip_invalid,
                    progress=progress,
                    encoding=encoding,
                )
        except ImportRefused as refused:
            for line in refused.messages:
                self.stderr.write(line)
            raise CommandError("Refused: fix the rows or pass --skip-invalid.") from refused
        except (ValidationError, PermissionDenied) as error:
            raise refusal(error) from error
        label = textencoding.LABELS.get(report.encoding, report.encoding)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.rows} rows: {report.created} new recipients, "
                f"{report.imported} imported or merged, {report.invalid} invalid rows skipped"
                f"{f' (read as {label})' if label else ''}."
            )
        )
        for row, message in report.errors:
            self.stdout.write(f"  row {row}: {message}")
