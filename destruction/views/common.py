"""Helpers shared by the destruction views."""

from django.shortcuts import get_object_or_404

from destruction.models import DestructionJob


def job_of(view, pk) -> DestructionJob:
    return get_object_or_404(
        DestructionJob.objects.select_related("vendor"), pk=pk, winddown=view.winddown
    )
