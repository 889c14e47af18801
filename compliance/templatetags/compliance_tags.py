"""Template filters of the compliance pages: stored reasons and effects in the reader's words."""

from django import template

from compliance import reasons

register = template.Library()


@register.filter
def reasons_text(stored) -> str:
    """Word stored reasons in the active language: {{ outcome.reason|reasons_text }}."""
    return reasons.render(stored)


@register.filter
def effect_label(effect: str) -> str:
    return reasons.effect_label(effect)
