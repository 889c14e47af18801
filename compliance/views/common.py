"""Helpers shared by the compliance views."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def report_error(request, error: ValidationError) -> None:
    """Show a service's refusal as a message (the action views redirect back)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            prefix = "" if field == "__all__" else f"{field}: "
            for text in errors:
                messages.error(request, prefix + text)
    else:
        for text in error.messages:
            messages.error(request, text)


def form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for text in errors:
            messages.error(request, f"{label}: {text}" if label else text)
