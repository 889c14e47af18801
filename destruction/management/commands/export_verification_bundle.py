from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from destruction.models import Certificate
from destruction.services.certificate_bundle import certificate_bundle_download
from windown.commands import acting_member, add_acting_member_argument, refusal


class Command(BaseCommand):
    help = (
        "Write a certificate's verification bundle (zip): the PDF, record.json, the root "
        "certificate, the checkpoint and inclusion proof, SHA256SUMS, verify.py and VERIFY.txt "
        "with the commands that check it without windown. The download is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("serial")
        parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
        add_acting_member_argument(parser)

    def handle(self, *args, serial, output, email, **options):
        certificate = (
            Certificate.objects.select_related("winddown").filter(serial=serial.upper()).first()
        )
        if certificate is None:
            raise CommandError(f"No certificate {serial}.")
        member = acting_member(certificate.winddown.slug, email)
        try:
            bundle = certificate_bundle_download(certificate=certificate, actor=member)
        except PermissionDenied as error:
            raise refusal(error) from error
        output.write_bytes(bundle)
        self.stdout.write(str(output))
        self.stdout.write(
            f"unzip {output.name} && cd {certificate.serial} && cat VERIFY.txt  "
            "# the commands that check it"
        )
