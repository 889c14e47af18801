"""React to the inventory: a changed holding's decision is stale until it is proposed again."""

from django.dispatch import receiver

from compliance.models import Decision
from inventory.models import Holding
from inventory.signals import holdings_changed


@receiver(holdings_changed, sender=Holding, dispatch_uid="compliance.holdings_changed")
def reevaluate_changed_holdings(sender, winddown, holding_ids, deleted=False, **kwargs):
    """Mark the holdings' decisions stale and queue their re-evaluation.

    Nothing happens before the wind-down's first evaluation (which proposes every holding),
    nor for deleted holdings (their decisions went with them).
    """
    from compliance.services import decisions_mark_stale, evaluation_queue

    if deleted or not Decision.objects.filter(winddown=winddown).exists():
        return
    reason = "holdings changed in the inventory"
    decisions_mark_stale(winddown=winddown, holding_ids=holding_ids, reason=reason)
    evaluation_queue(winddown=winddown, holding_ids=holding_ids, reason=reason)
