import tempfile
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from destruction.services.certificate_verification import certificate_verify

MARKS = {True: "ok  ", False: "FAIL", None: "skip"}


def _bundle_folder(path: Path, scratch: str) -> Path:
    """Return the folder holding the bundle's root.pem: `path` itself, or inside its zip."""
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            archive.extractall(scratch)
        path = Path(scratch)
    found = sorted(path.glob("root.pem")) + sorted(path.glob("*/root.pem"))
    if not found:
        raise CommandError(f"{path} holds no verification bundle (no root.pem).", returncode=2)
    return found[0].parent


class Command(BaseCommand):
    help = (
        "Verify a destruction certificate PDF: signature, chain to this installation's root, "
        "unmodified since signing, record as windown holds it, not revoked, inclusion proof "
        "against a signed checkpoint. With --bundle DIR (or the bundle's zip) it reads no "
        "database: the root comes from the bundle and the checkpoint's signature is checked with "
        "the key that signed the PDF. Exit 0 valid, 1 invalid (reasons printed), 2 usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument("pdf", type=Path, metavar="FILE.pdf")
        parser.add_argument("--bundle", type=Path, metavar="DIR", help="a verification bundle")

    def handle(self, *args, pdf, bundle, **options):
        if not pdf.is_file():
            raise CommandError(f"No file {pdf}.", returncode=2)
        with tempfile.TemporaryDirectory() as scratch:
            folder = _bundle_folder(bundle, scratch) if bundle else None
            report = certificate_verify(pdf.read_bytes(), bundle_dir=folder)
        for title, check in report.lines:
            self.stdout.write(f"{MARKS[check.ok]}  {title}: {check.reason}")
        self.stdout.write(f"SHA-256 {report.sha256}")
        if not report.ok:
            reasons = "; ".join(check.reason for check in report.problems)
            raise CommandError(f"INVALID {report.serial or pdf.name}: {reasons}", returncode=1)
        mode = " (offline, from the bundle)" if bundle else ""
        self.stdout.write(self.style.SUCCESS(f"VALID {report.serial}{mode}"))
