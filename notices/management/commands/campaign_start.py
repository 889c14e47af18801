from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from notices.models import Campaign
from notices.services.campaigns import campaign_start
from windown.commands import acting_member, add_acting_member_argument, refusal


class Command(BaseCommand):
    help = "Start a campaign: create its deliveries and queue the sending tasks."

    def add_arguments(self, parser):
        parser.add_argument("campaign_id", type=int)
        add_acting_member_argument(parser)
        parser.add_argument(
            "--confirm-short-lead",
            default="",
            metavar="REASON",
            help="Director's reason for sending later than the lead time.",
        )

    def handle(self, campaign_id, email=None, confirm_short_lead="", **options):
        campaign = Campaign.objects.select_related("winddown").filter(pk=campaign_id).first()
        if campaign is None:
            raise CommandError(f"No campaign {campaign_id}.")
        member = acting_member(campaign.winddown.slug, email)
        try:
            campaign = campaign_start(
                by=member, campaign=campaign, confirm_reason=confirm_short_lead
            )
        except (ValidationError, PermissionDenied) as error:
            raise refusal(error) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Campaign {campaign.pk} is sending: "
                f"{campaign.deliveries.count()} deliveries queued."
            )
        )
