"""Send the completion receipt of every certified jurisdiction that has none yet (idempotent)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand

from destruction.selectors.receipts import certified_jurisdictions
from destruction.services.receipts import receipts_send_now
from windown.commands import acting_member, add_acting_member_argument, refusal


class Command(BaseCommand):
    help = (
        "Start the completion receipts of the jurisdictions whose destruction is certified; "
        "a jurisdiction that already has its receipt is left alone, so running it again sends "
        "nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("winddown", help="The wind-down's short name (slug).")
        add_acting_member_argument(parser)

    def handle(self, *args, winddown, email=None, **options):
        member = acting_member(winddown, email)
        try:
            started = receipts_send_now(by=member)
        except (ValidationError, PermissionDenied) as error:
            raise refusal(error) from error
        certified = [entry.jurisdiction for entry in certified_jurisdictions(member.winddown)]
        self.stdout.write(f"Certified jurisdictions: {', '.join(certified) or 'none'}")
        for campaign in started:
            self.stdout.write(
                f"Receipt started for {campaign.receipt_jurisdiction}: "
                f"{campaign.deliveries.count()} customers, appeals until {campaign.appeal_until}"
            )
        if not started:
            self.stdout.write("No new receipt to send.")
