from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from windown.localca import SigningMaterialExists, local_ca_create
from windown.signing import fingerprint, root_fingerprint, signing_files


class Command(BaseCommand):
    help = (
        "Create this installation's local root CA, a signing certificate (RSA 3072, SHA-256, "
        "digitalSignature + nonRepudiation) and a CRL in WINDOWN_SIGNING_DIR. Keeps existing "
        "material unless --force; prints the root's SHA-256 fingerprint."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organization", default="windown", help="Organisation named in the certificates."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace existing material (what it signed will no longer verify against "
            "the new root).",
        )

    def handle(self, *args, organization, force, **options):
        files = signing_files()
        if files.from_company_ca:
            raise CommandError(
                "WINDOWN_SIGNING_CERT is set: this installation signs with your CA's "
                f"certificate ({files.cert}); there is nothing to create."
            )
        directory = Path(settings.WINDOWN_SIGNING_DIR)
        try:
            ca = local_ca_create(
                directory=directory,
                organization=organization,
                force=force,
                passphrase=files.passphrase,
            )
        except SigningMaterialExists as exists:
            self.stdout.write(
                f"Signing material already exists in {directory} ({exists}); kept it "
                "(--force replaces it)."
            )
            self.stdout.write(f"Root certificate SHA-256 fingerprint: {root_fingerprint()}")
            return
        self.stdout.write(f"Created the root CA, signing certificate and CRL in {directory}.")
        self.stdout.write(f"Root certificate SHA-256 fingerprint: {fingerprint(ca.root)}")
        self.stdout.write(
            "Keep root.key offline once you no longer need to issue certificates with it."
        )
