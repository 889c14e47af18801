"""The audit trail service: the only way audit events are written, and how the chain is verified.

Every event carries the hash of the previous event of its wind-down, so editing or deleting any
row later breaks the chain. Writers are serialised per wind-down by locking the chain's head row
(SELECT ... FOR UPDATE on PostgreSQL; SQLite runs IMMEDIATE transactions, which serialise all
writers), and a unique (wind-down, seq) constraint makes a fork impossible even if that failed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction

from windown.models import AuditEvent, AuditHead, User, WindDown
from windown.webhooks.publish import event_publish

GENESIS_HASH = "0" * 64


class AuditJSONEncoder(DjangoJSONEncoder):
    """Encode dates, decimals, model instances (by pk), countries (by code) and sets."""

    def default(self, o: Any) -> Any:
        if isinstance(o, models.Model):
            return o.pk
        if isinstance(o, set | frozenset):
            return sorted(o)
        if hasattr(o, "code") and type(o).__name__ == "Country":
            return o.code
        return super().default(o)


def canonical_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    """Return the payload as it will read back from the JSON column (dates as ISO strings)."""
    return json.loads(json.dumps(payload or {}, cls=AuditJSONEncoder, sort_keys=True))


def event_hash(
    *,
    winddown_id: int,
    seq: int,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    payload: dict[str, Any],
    created_at: datetime,
    prev_hash: str,
) -> str:
    """Hash an event's content together with the previous event's hash (SHA-256, hex)."""
    document = {
        "winddown": winddown_id,
        "seq": seq,
        "actor": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "payload": payload,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "prev_hash": prev_hash,
    }
    serialised = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(serialised.encode("utf-8")).hexdigest()


def _hash_of(event: AuditEvent) -> str:
    return event_hash(
        winddown_id=event.winddown_id,
        seq=event.seq,
        actor_label=event.actor_label,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        payload=event.payload,
        created_at=event.created_at,
        prev_hash=event.prev_hash,
    )


def _locked_head(winddown: WindDown) -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(winddown=winddown).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditHead.objects.create(winddown=winddown)
    except IntegrityError:
        pass  # another writer created it first; lock theirs
    return AuditHead.objects.select_for_update().get(winddown=winddown)


def audit_record(
    *,
    winddown: WindDown,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    payload: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event to the wind-down's audit chain, in the caller's transaction."""
    label = actor_label or (actor.email if actor is not None else "system")
    clean_payload = canonical_payload(payload)
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    with transaction.atomic():
        head = _locked_head(winddown)
        created_at = datetime.now(UTC)
        seq = head.seq + 1
        prev_hash = head.hash or GENESIS_HASH
        digest = event_hash(
            winddown_id=winddown.pk,
            seq=seq,
            actor_label=label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            payload=clean_payload,
            created_at=created_at,
            prev_hash=prev_hash,
        )
        event = AuditEvent.objects.create(
            winddown=winddown,
            seq=seq,
            actor=actor,
            actor_label=label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            payload=clean_payload,
            created_at=created_at,
            prev_hash=prev_hash,
            hash=digest,
        )
        AuditHead.objects.filter(pk=head.pk).update(seq=seq, hash=digest)
        # partners' webhooks: delivery rows in this transaction, sent by Celery after commit
        event_publish(event)
    return event


@dataclass(frozen=True)
class ChainReport:
    winddown: WindDown
    checked: int
    problem: str = ""
    bad_event: AuditEvent | None = None

    @property
    def ok(self) -> bool:
        return not self.problem


def audit_position(winddown_id: int) -> tuple[int, str]:
    """Where the wind-down's audit chain is (its head's seq and hash, one query): it moves with
    every state change, so a figure read at one position is still true while it stays."""
    head = AuditHead.objects.filter(winddown_id=winddown_id).values_list("seq", "hash")
    return next(iter(head), (0, ""))


def _walk(winddown: WindDown) -> Iterator[AuditEvent]:
    return AuditEvent.objects.filter(winddown=winddown).order_by("seq").iterator(chunk_size=2000)


def audit_verify(winddown: WindDown) -> ChainReport:
    """Walk the wind-down's chain and report the first event whose hash or link is wrong."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for event in _walk(winddown):
        if event.seq != expected_seq:
            problem = (
                f"event #{event.seq} follows #{expected_seq - 1}: event #{expected_seq} is missing"
            )
            return ChainReport(winddown, checked, problem, event)
        if event.prev_hash != prev_hash:
            problem = f"event #{event.seq} does not link to the hash of event #{event.seq - 1}"
            return ChainReport(winddown, checked, problem, event)
        if _hash_of(event) != event.hash:
            problem = f"event #{event.seq} ({event.action}) was altered: its hash does not match"
            return ChainReport(winddown, checked, problem, event)
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(winddown=winddown).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, "")
    if head_seq != checked or (checked and head_hash != prev_hash):
        problem = (
            f"the chain ends at event #{checked} but its head records #{head_seq}: "
            "events were removed"
        )
        return ChainReport(winddown, checked, problem)
    return ChainReport(winddown, checked)
