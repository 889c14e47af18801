from django import template

from notices.selectors import days_left as _days_left

register = template.Library()


@register.simple_tag
def days_left(due) -> int:
    """Days until a request is due (negative once overdue)."""
    return _days_left(due)
