from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from windown.audit import audit_verify
from windown.checkpoints import kept_checkpoint_verify
from windown.models import WindDown


class Command(BaseCommand):
    help = (
        "Walk the hash-chained audit trail and fail on the first event that does not match. "
        "With --checkpoint FILE, also prove that the current log extends a signed checkpoint "
        "someone kept (signature, then an RFC 9162 consistency proof), or say where it does not."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--winddown", metavar="SLUG", help="Verify one wind-down (default: all)."
        )
        parser.add_argument(
            "--checkpoint",
            metavar="FILE",
            type=Path,
            help="A checkpoint downloaded earlier; its wind-down is the one it names.",
        )

    def handle(self, *args, winddown=None, checkpoint=None, **options):
        if checkpoint is not None:
            return self.check_kept(checkpoint)
        winddowns = WindDown.objects.order_by("slug")
        if winddown:
            winddowns = winddowns.filter(slug=winddown)
            if not winddowns.exists():
                raise CommandError(f"No wind-down {winddown!r}.")
        failures = []
        for item in winddowns:
            report = audit_verify(item)
            if report.ok:
                self.stdout.write(f"{item.slug}: OK, {report.checked} events verified")
            else:
                event_id = f" (event id {report.bad_event.pk})" if report.bad_event else ""
                failures.append(f"{item.slug}: BROKEN at {report.problem}{event_id}")
        if failures:
            raise CommandError("\n".join(failures))

    def check_kept(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        report = kept_checkpoint_verify(text=text)
        name = report.winddown.slug if report.winddown else str(path)
        if not report.ok:
            raise CommandError(
                f"{name}: the log does NOT extend checkpoint {report.old_size}:\n  - "
                + "\n  - ".join(report.problems)
            )
        self.stdout.write(
            f"{name}: OK, the log of {report.new_size} events extends the signed checkpoint of "
            f"{report.old_size} events (consistency proof of {report.proof_length} hashes "
            "verified; hash chain intact)"
        )
