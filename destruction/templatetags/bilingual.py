"""`{% bi "Text" %}`: the English text and its Simplified Chinese translation, side by side."""

from django import template
from django.utils import translation
from django.utils.html import format_html

register = template.Library()


def both(text) -> tuple[str, str]:
    """Return `text` (a msgid or lazy string) in English and in Simplified Chinese."""
    with translation.override("en"):
        english = str(translation.gettext(str(text)))
    with translation.override("zh-hans"):
        chinese = str(translation.gettext(str(text)))
    return english, chinese


@register.simple_tag
def bi(text):
    english, chinese = both(text)
    if english == chinese:
        return english
    return format_html('<span class="zh">{}</span> <span class="en">{}</span>', chinese, english)
