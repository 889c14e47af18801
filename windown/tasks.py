"""Periodic work of the core."""

import logging

from celery import shared_task

from windown.audit import audit_record, audit_verify
from windown.checkpoints import CheckpointRefused, checkpoint_sign
from windown.models import WindDown
from windown.webhooks.tasks import deliver_webhook, sweep_webhooks  # noqa: F401 (registers them)

logger = logging.getLogger(__name__)


@shared_task
def verify_audit_chains() -> None:
    """Verify every wind-down's audit chain and record the result in that chain."""
    for winddown in WindDown.objects.order_by("pk"):
        report = audit_verify(winddown)
        if not report.ok:
            logger.error("Audit chain of %s is broken: %s", winddown.slug, report.problem)
        audit_record(
            winddown=winddown,
            actor=None,
            actor_label="system:verify_audit_chains",
            action="audit.chain_verified" if report.ok else "audit.chain_broken",
            payload={"checked": report.checked, "problem": report.problem},
        )


@shared_task
def sign_audit_checkpoints() -> None:
    """Sign a checkpoint of every wind-down's audit log (a refusal is logged and recorded)."""
    for winddown in WindDown.objects.order_by("pk"):
        try:
            checkpoint_sign(winddown=winddown)
        except CheckpointRefused:
            continue  # checkpoint_sign logged an error and recorded the refusal in the chain
