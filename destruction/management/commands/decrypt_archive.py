import os
import socket
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from destruction.management.commands._archive_args import archive_by_id, member_of
from destruction.models import Archive
from destruction.services.archives import archive_decrypt, archive_verify
from windown.commands import add_acting_member_argument, refusal
from windown.roles import Role


class Command(BaseCommand):
    help = (
        "Decrypt an archive with a custodian's age identity file (from age-keygen) into OUT; "
        "the result's SHA-256 must equal the manifest's. With --record-verification the "
        "read-back is recorded as the archive's verification."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive_id", type=int)
        parser.add_argument("--identity", "-i", type=Path, required=True)
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument(
            "--record-verification",
            metavar="CUSTODIAN",
            help="record that this custodian read the archive back (verifies the archive)",
        )
        add_acting_member_argument(parser, default_role=Role.IT)

    def handle(self, *args, archive_id, identity, output, record_verification, email, **options):
        archive = archive_by_id(archive_id)
        member = member_of(archive, email) if record_verification or email else None
        label = f"decrypt_archive on {socket.gethostname()}"
        partial = output.with_name(output.name + ".partial")
        try:
            custodian_identity = identity.read_text()
            # the plaintext is for the custodian alone: readable by the owner only
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                result = archive_decrypt(
                    archive=archive,
                    custodian_identity=custodian_identity,
                    out=out,
                    by=member,
                    actor_label=label,
                )
            os.replace(partial, output)
            if record_verification:
                archive_verify(
                    by=member,
                    archive=archive,
                    plaintext_sha256=result["sha256"],
                    custodian_name=record_verification,
                    method=Archive.Verification.READ_BACK,
                )
        except (ValidationError, PermissionDenied) as error:
            partial.unlink(missing_ok=True)
            raise refusal(error) from error
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Decrypted {archive.reference}: {result['rows']} rows, {result['size']} bytes, "
            f"sha256 {result['sha256']} (matches the manifest) -> {output}"
        )
        if record_verification:
            self.stdout.write(f"Recorded the read-back by {record_verification} as verification.")
