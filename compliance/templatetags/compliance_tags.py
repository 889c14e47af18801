"""Template filters of the compliance pages: stored reasons and effects in the reader's words."""

from django import template
from django.utils.translation import gettext_lazy as _

from compliance import reasons
from compliance.engine.types import ALL_PERSONAL_DATA
from inventory.models import RecordType

register = template.Library()


@register.filter
def reasons_text(stored) -> str:
    """Word stored reasons in the active language: {{ outcome.reason|reasons_text }}."""
    return reasons.render(stored)


@register.filter
def ruleset_text(text: str) -> str:
    """Word a ruleset's text in the active language: {{ rule.summary|ruleset_text }}."""
    return reasons.ruleset_text(text)


@register.filter
def citation(text: str) -> str:
    """Word citations with their instruments in the active language: {{ o.citation|citation }}."""
    return reasons.citation(text)


@register.filter
def effect_label(effect: str) -> str:
    return reasons.effect_label(effect)


@register.filter
def record_type_labels(keys) -> str:
    """A rule's record types by their labels in the active language, comma-separated."""
    labels = {**dict(RecordType.choices), ALL_PERSONAL_DATA: _("all personal data")}
    return ", ".join(str(labels.get(key, key)) for key in keys or ())
