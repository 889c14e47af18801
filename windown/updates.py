"""The one audited field update: snapshot, apply whitelisted fields, validate, save, audit the diff.

Every `<entity>_update` service calls `update_audited` with the fields its callers may edit.
State changes (status, approvals, transitions) are not editable fields: they happen only through
their transition services, which check their preconditions and audit themselves. A field outside
the whitelist is a ValidationError (a 400 in the API, a form error in the UI), never a TypeError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from windown.audit import audit_record
from windown.models import User, WindDown

M = TypeVar("M", bound=models.Model)


def refuse_unknown_fields(changes: Mapping[str, Any], editable: Iterable[str]) -> None:
    """Raise a ValidationError naming every field of `changes` that is not editable."""
    unknown = sorted(set(changes) - set(editable))
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})


@transaction.atomic
def update_audited(
    *,
    instance: M,
    changes: Mapping[str, Any],
    editable: Iterable[str],
    winddown: WindDown,
    actor: User | None,
    action: str,
    payload: Mapping[str, Any] | None = None,
    validate: Callable[[M], None] | None = None,
) -> dict[str, list[Any]]:
    """Apply `changes` to `instance`, save it and audit what changed; return the diff.

    The diff maps each changed field to `[before, after]`; nothing is audited when it is empty.
    `payload` adds context (e.g. the object's name) to the audit event. `validate` replaces
    `instance.full_clean()` where a service words a model's errors for its users.
    """
    editable = list(editable)
    refuse_unknown_fields(changes, editable)
    before = {name: getattr(instance, name) for name in editable}
    for name, value in changes.items():
        setattr(instance, name, value)
    (validate or type(instance).full_clean)(instance)
    instance.save()
    after = {name: getattr(instance, name) for name in editable}
    diff = {name: [before[name], after[name]] for name in editable if before[name] != after[name]}
    if diff:
        audit_record(
            winddown=winddown,
            actor=actor,
            action=action,
            obj=instance,
            payload={**(payload or {}), "changes": diff},
        )
    return diff
