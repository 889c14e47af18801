"""Helpers shared by the destruction views."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import get_object_or_404

from destruction.models import DestructionJob


def job_of(view, pk) -> DestructionJob:
    return get_object_or_404(
        DestructionJob.objects.select_related("vendor"), pk=pk, winddown=view.winddown
    )


def stored_file_response(handle, *, filename: str, content_type: str, sha256: str) -> FileResponse:
    """Stream a stored upload (evidence, a vendor's or a processor's certificate) as a download:
    its sniffed type, never re-sniffed by the browser, and its SHA-256 for the receiver to check.
    The caller has audited the download (in the service, or with audit_record before calling)."""
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["Content-Type"] = content_type or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    response["Digest"] = f"sha-256={sha256}"
    return response
