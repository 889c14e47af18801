"""Print every gate of a destruction job per item; exit 1 if any gate fails."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from destruction.models import DestructionJob
from destruction.services.gates import gate_titles, gates_evaluate


class Command(BaseCommand):
    help = "Evaluate the six gates of a destruction job, per item; exit 1 if any fails."

    def add_arguments(self, parser):
        parser.add_argument("job_id", help="The job's id or reference (e.g. DJ-2026-0001).")
        parser.add_argument(
            "--on",
            type=dt.date.fromisoformat,
            help="Performance date (default: scheduled or today).",
        )

    def handle(self, *args, job_id, on=None, **options):
        lookup = {"pk": int(job_id)} if job_id.isdigit() else {"reference": job_id}
        try:
            job = DestructionJob.objects.select_related("winddown", "vendor").get(**lookup)
        except (DestructionJob.DoesNotExist, DestructionJob.MultipleObjectsReturned) as error:
            raise CommandError(f"No single destruction job {job_id}.") from error
        day = on or (job.scheduled_for or timezone.now()).date()
        report = gates_evaluate(job=job, on=day)
        titles = gate_titles()
        self.stdout.write(f"{job.reference} · {job.title} · {job.get_status_display()} · {day}")
        current = object()
        for result in sorted(
            report.results, key=lambda r: (r.item_id or 0, r.holding_id or 0, r.gate)
        ):
            if (result.item_id, result.holding_id) != current:
                current = (result.item_id, result.holding_id)
                label = result.item or "job"
                if result.holding and result.holding != result.item:
                    label = f"{label} · {result.holding}"
                self.stdout.write(f"\n{label}")
            mark = "PASS" if result.passed else "FAIL"
            line = f"  [{mark}] gate {result.gate} {titles[result.gate]}: {result.message}"
            if result.fix_url and not result.passed:
                line += f"  → {result.fix_url}"
            self.stdout.write(self.style.SUCCESS(line) if result.passed else self.style.ERROR(line))
        failures = len(report.failures)
        self.stdout.write(f"\n{len(report.results)} checks, {failures} failing")
        if failures:
            raise SystemExit(1)
