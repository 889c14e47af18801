"""Celery tasks: take ids, load the rows, call the service."""

from __future__ import annotations

from celery import shared_task

from compliance import services
from compliance.models import ScheduleExport
from windown.models import Membership, WindDown


@shared_task(name="compliance.evaluate_retention")
def evaluate_retention(
    winddown_id: int,
    holding_ids: list[int] | None = None,
    membership_id: int | None = None,
    reason: str | list = "evaluation",
) -> dict:
    """Evaluate a wind-down's holdings (all, or those given) and return the counts."""
    winddown = WindDown.objects.get(pk=winddown_id)
    by = (
        Membership.objects.select_related("user", "winddown").get(pk=membership_id)
        if (membership_id)
        else None
    )
    result = services.decisions_evaluate(
        winddown=winddown, holding_ids=holding_ids, by=by, reason=reason
    )
    return {"created": result.created, "changed": result.changed, "unchanged": result.unchanged}


@shared_task(name="compliance.remind_hold_reviews")
def remind_hold_reviews() -> int:
    """Email legal about holds due for review (daily, from Celery beat)."""
    return services.holds_remind_reviews()


@shared_task(name="compliance.render_schedule_pdf")
def render_schedule_pdf(export_id: int) -> int:
    """Render a requested retention schedule PDF (big schedules); return its progress."""
    export = ScheduleExport.objects.get(pk=export_id)
    return services.schedule_export_render(export=export).progress
