from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand

from destruction.management.commands._archive_args import archive_by_id, member_of
from destruction.services.archives import archive_export
from windown.commands import add_acting_member_argument, refusal
from windown.roles import Role


class Command(BaseCommand):
    help = (
        "Write an archive's archive.age, envelope.age and manifest.json into DIR, for the "
        "custodian to read with the standard age commands. The copy is recorded on the archive "
        "(a crypto-shred lists it as a key copy to destroy by hand)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive_id", type=int)
        parser.add_argument("-o", "--output", type=Path, required=True, help="a directory")
        add_acting_member_argument(parser, default_role=Role.IT)

    def handle(self, *args, archive_id, output, email, **options):
        archive = archive_by_id(archive_id)
        member = member_of(archive, email)
        try:
            paths = archive_export(by=member, archive=archive, directory=output)
        except (ValidationError, PermissionDenied) as error:
            raise refusal(error) from error
        for path in paths:
            self.stdout.write(str(path))
        self.stdout.write(
            "Read it with the custodian's identity:\n"
            f"  age -d -i custodian.key {paths[1]} > archive.key\n"
            f"  age -d -i archive.key {paths[0]} > {archive.reference}.csv"
        )
