from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from compliance.models import Decision
from destruction.services.archives import archive_create
from windown.commands import acting_member, add_acting_member_argument, refusal
from windown.roles import Role


class Command(BaseCommand):
    help = (
        "Archive an export (CSV or XLSX) for an effective archive decision: the decision's field "
        "plan is applied while the file streams into age encryption. For exports too large to "
        "upload through a browser; a refused file stores nothing and names the row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the wind-down's short name")
        parser.add_argument("decision_id", type=int)
        parser.add_argument("file", type=Path)
        add_acting_member_argument(parser, default_role=Role.IT)

    def handle(self, *args, slug, decision_id, file, email, **options):
        member = acting_member(slug, email, default_role=Role.IT)
        decision = Decision.objects.filter(pk=decision_id, winddown=member.winddown).first()
        if decision is None:
            raise CommandError(f"No decision {decision_id} in {slug}.")
        try:
            with file.open("rb") as upload:
                archive = archive_create(
                    by=member, decision=decision, upload=upload, filename=file.name
                )
        except (ValidationError, PermissionDenied) as error:
            raise refusal(error) from error
        except OSError as error:
            raise CommandError(str(error)) from error
        dropped = ", ".join(archive.columns_dropped) or "-"
        self.stdout.write(
            f"Archive {archive.reference} (id {archive.pk}): {archive.row_count} rows; kept "
            f"{', '.join(archive.columns_kept)}; dropped {dropped}"
            f"; sha256 of the CSV {archive.plaintext_sha256}"
        )
