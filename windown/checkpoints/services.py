"""Sign checkpoints (never two inconsistent ones) and record their downloads."""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import UTC, datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from windown import merkle
from windown.audit import audit_record
from windown.checkpoints.notes import log_origin, note_sign, validly_signed
from windown.checkpoints.tree import LogMismatch, consistency_check, log_size
from windown.models import Checkpoint, WindDown
from windown.roles import roles_with

logger = logging.getLogger(__name__)


class CheckpointRefused(Exception):
    """Signing would contradict an earlier checkpoint: the log was rewritten."""


def _refuse(winddown: WindDown, tree_size: int, problem: str) -> CheckpointRefused:
    logger.error("Refused to sign a checkpoint of %s: %s", winddown.slug, problem)
    with transaction.atomic():
        audit_record(
            winddown=winddown,
            actor=None,
            actor_label="system:checkpoint_sign",
            action="audit.checkpoint_refused",
            payload={"tree_size": tree_size, "problem": problem},
        )
    _alert(winddown, problem)
    return CheckpointRefused(problem)


def _alert(winddown: WindDown, problem: str) -> None:
    """Email everyone who watches the audit trail that the log was rewritten."""
    recipients = list(
        winddown.memberships.filter(role__in=roles_with("audit.view")).values_list(
            "user__email", flat=True
        )
    )
    context = {
        "winddown": winddown,
        "origin": log_origin(winddown),
        "problem": problem,
        "link": settings.SITE_URL
        + reverse("windown:checkpoint-list", kwargs={"slug": winddown.slug}),
    }
    with translation.override(settings.LANGUAGE_CODE):  # a task has no reader's language
        subject = _("The audit log of %(company)s was rewritten: no checkpoint signed") % {
            "company": winddown.company_legal_name
        }
        body = render_to_string("windown/email/checkpoint_refused.txt", context)
    send_mail(subject, body, None, recipients, fail_silently=True)  # the refusal stands anyway


def checkpoint_sign(*, winddown: WindDown) -> Checkpoint:
    """Sign a checkpoint of every event committed so far, if it extends the previous one.

    Refuses (records "audit.checkpoint_refused", logs an error, emails the members who watch
    the audit trail and raises CheckpointRefused) when the log does not extend the latest
    checkpoint: a log never signs two inconsistent ones.
    """
    size = log_size(winddown)
    existing = Checkpoint.objects.filter(winddown=winddown, tree_size=size).first()
    if existing is not None:
        return existing
    previous = Checkpoint.objects.filter(winddown=winddown).order_by("-tree_size").first()
    old_size, old_root = 0, merkle.EMPTY_ROOT
    if previous is not None:
        note = validly_signed(previous)
        if note is None:
            raise _refuse(winddown, size, f"checkpoint {previous.tree_size} is not validly signed")
        if previous.tree_size > size:
            raise _refuse(
                winddown,
                size,
                f"the log has {size} events but checkpoint {previous.tree_size} covered more: "
                "events were removed",
            )
        old_size, old_root = previous.tree_size, note.root_hash
    try:
        root, _proof, consistent = consistency_check(
            winddown=winddown, old_size=old_size, old_root=old_root, new_size=size
        )
    except LogMismatch as gap:
        raise _refuse(winddown, size, str(gap)) from None
    if not consistent:
        raise _refuse(
            winddown, size, f"events #1..#{old_size} no longer hash to checkpoint {old_size}"
        )
    now = datetime.now(UTC).replace(microsecond=0)
    text = note_sign(origin=log_origin(winddown), tree_size=size, root_hash=root, time=now)
    checkpoint = Checkpoint(
        winddown=winddown, tree_size=size, root_hash=root.hex(), signed_text=text, created_at=now
    )
    checkpoint.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            checkpoint.save()
            audit_record(
                winddown=winddown,
                actor=None,
                actor_label="system:checkpoint_sign",
                action="audit.checkpoint_signed",
                obj=checkpoint,
                payload={"tree_size": size, "root_hash": checkpoint.root_hash},
            )
    except IntegrityError:  # signed concurrently at the same size: the same tree, keep theirs
        return Checkpoint.objects.get(winddown=winddown, tree_size=size)
    return checkpoint


def checkpoint_record_download(*, winddown: WindDown, actor, tree_sizes: list[int]) -> None:
    """Record in the audit trail who downloaded which checkpoints."""
    with transaction.atomic():
        audit_record(
            winddown=winddown,
            actor=actor,
            action="audit.checkpoint_downloaded",
            payload={"tree_sizes": tree_sizes[:20], "count": len(tree_sizes)},
        )


def checkpoints_archive(winddown: WindDown) -> tuple[bytes, list[int]]:
    """Zip every checkpoint of the wind-down, one `<slug>-checkpoint-<size>.txt` each."""
    buffer, sizes = io.BytesIO(), []
    rows = Checkpoint.objects.filter(winddown=winddown).order_by("tree_size")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for size, text in rows.values_list("tree_size", "signed_text").iterator(chunk_size=500):
            archive.writestr(checkpoint_filename(winddown, size), text)
            sizes.append(size)
    return buffer.getvalue(), sizes


def checkpoint_filename(winddown: WindDown, tree_size: int) -> str:
    return f"{winddown.slug}-checkpoint-{tree_size}.txt"
