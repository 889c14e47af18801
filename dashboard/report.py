"""The progress report: the dashboard as a PDF for the board, the liquidator or a regulator.

It prints the same overview as the page, in the reader's language, with the audit log's latest
signed checkpoint (or, before the first one, the chain head) so a reader can later show that the
log the report was drawn from has not been rewritten since.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from dashboard.overview import overview_for
from windown.audit import audit_record
from windown.models import AuditHead, Checkpoint, Membership
from windown.pdf import html_to_pdf

LANGUAGES = ("en", "zh-hans")


def report_html(membership: Membership, *, language: str, now: dt.datetime) -> str:
    winddown = membership.winddown
    with translation.override(language):
        return render_to_string(
            "dashboard/report_pdf.html",
            {
                "winddown": winddown,
                "membership": membership,
                "generated": now,
                "language": language,
                "checkpoint": Checkpoint.objects.filter(winddown=winddown).first(),
                "head": AuditHead.objects.filter(winddown=winddown).first(),
                **overview_for(membership, today=timezone.localdate(now)),
            },
        )


def progress_report_pdf(membership: Membership, *, language: str) -> bytes:
    """Render the report and record in the audit trail who took it, in which language."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    pdf = html_to_pdf(report_html(membership, language=language, now=timezone.now()))
    with transaction.atomic():
        audit_record(
            winddown=membership.winddown,
            actor=membership.user,
            action="dashboard.progress_report_downloaded",
            payload={"language": language},
        )
    return pdf
