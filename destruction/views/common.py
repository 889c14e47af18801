"""Helpers shared by the destruction views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from destruction.models import DestructionJob


def report_error(request, error: ValidationError) -> None:
    """Show a service's refusal as messages (action views redirect back)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            prefix = "" if field == "__all__" else f"{field}: "
            for text in errors:
                messages.error(request, prefix + text)
    else:
        for text in error.messages:
            messages.error(request, text)


def job_of(view, pk) -> DestructionJob:
    return get_object_or_404(
        DestructionJob.objects.select_related("vendor"), pk=pk, winddown=view.winddown
    )
