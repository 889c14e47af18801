"""Write a certificate's signed PDF, byte for byte as issued (the download is audited)."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from destruction.models import Certificate
from destruction.services.certificates import certificate_download
from windown.commands import acting_member, add_acting_member_argument
from windown.roles import Role


class Command(BaseCommand):
    help = "Write certificate SERIAL (the signed PDF exactly as issued) to FILE."

    def add_arguments(self, parser):
        parser.add_argument("serial", help="e.g. WD-2026-000123")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        add_acting_member_argument(parser, Role.DIRECTOR)

    def handle(self, *args, serial, output, email=None, **options):
        certificate = (
            Certificate.objects.select_related("winddown").filter(serial__iexact=serial).first()
        )
        if certificate is None:
            raise CommandError(f"No certificate {serial}.")
        member = acting_member(certificate.winddown.slug, email, Role.DIRECTOR)
        try:
            pdf = certificate_download(certificate=certificate, actor=member, via="command")
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        Path(output).write_bytes(pdf)
        state = certificate.get_status_display()
        self.stdout.write(
            f"Wrote {certificate.serial} ({state}) to {output}: {len(pdf)} bytes, "
            f"SHA-256 {certificate.sha256}"
        )
