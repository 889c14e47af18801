"""React to changes below compliance: holdings (inventory) and the wind-down's own facts."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_noop

from compliance.models import Decision
from inventory.models import Holding
from inventory.signals import holdings_changed
from windown.models import WindDown


@receiver(holdings_changed, sender=Holding, dispatch_uid="compliance.holdings_changed")
def reevaluate_changed_holdings(sender, winddown, holding_ids, deleted=False, **kwargs):
    """Mark the holdings' decisions stale and queue their re-evaluation.

    Nothing happens before the wind-down's first evaluation (which proposes every holding),
    nor for deleted holdings (their decisions went with them).
    """
    from compliance.services import decisions_mark_stale, evaluation_queue

    if deleted or not Decision.objects.filter(winddown=winddown).exists():
        return
    reason = gettext_noop("holdings changed in the inventory")
    decisions_mark_stale(winddown=winddown, holding_ids=holding_ids, reason=reason)
    evaluation_queue(winddown=winddown, holding_ids=holding_ids, reason=reason)


@receiver(post_save, sender=WindDown, dispatch_uid="compliance.winddown_changed")
def reevaluate_changed_winddown(sender, instance: WindDown, created: bool, raw=False, **kwargs):
    """Company facts or the deletion deadline may have changed: propose every decision again.

    The evaluation is incremental, so decisions whose proposal is unchanged keep their review.
    """
    from compliance.services import evaluation_queue

    if created or raw or not Decision.objects.filter(winddown=instance).exists():
        return
    evaluation_queue(
        winddown=instance, reason=gettext_noop("the wind-down's company facts or dates changed")
    )
