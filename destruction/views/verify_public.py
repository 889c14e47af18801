"""The public verification page (no account): upload a certificate, or give serial + SHA-256.

`/verify/<serial>/` is where a certificate's QR code points: it shows that serial's status and
the same form. Too many requests from one client get 429 (DESTRUCTION_VERIFY_PAGE_RATE).
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.views import View

from destruction.forms.verification import VerifyForm
from destruction.models import Certificate
from destruction.services.certificate_verification import (
    certificate_verify,
    certificate_verify_serial,
)
from windown.ratelimit import over_rate

TEMPLATE = "destruction/verify/verify.html"


class VerifyView(View):
    """Show the form; verify what was posted and say green or red, line by line."""

    def dispatch(self, request, *args, **kwargs):
        if over_rate(
            request, scope="destruction:verify", rate=settings.DESTRUCTION_VERIFY_PAGE_RATE
        ):
            return render(request, TEMPLATE, {"limited": True, "form": VerifyForm()}, status=429)
        return super().dispatch(request, *args, **kwargs)

    def _certificate(self, serial: str | None) -> Certificate | None:
        if not serial:
            return None
        return (
            Certificate.objects.select_related("winddown", "job", "replaced_by")
            .filter(serial=serial.upper())
            .first()
        )

    def get(self, request, serial: str | None = None):
        certificate = self._certificate(serial)
        context = {
            "form": VerifyForm(initial={"serial": serial or ""}),
            "serial": serial,
            "certificate": certificate,
        }
        return render(request, TEMPLATE, context, status=404 if serial and not certificate else 200)

    def post(self, request, serial: str | None = None):
        form = VerifyForm(request.POST, request.FILES)
        context = {"form": form, "serial": serial, "certificate": self._certificate(serial)}
        if not form.is_valid():
            return render(request, TEMPLATE, context, status=400)
        upload = form.cleaned_data["pdf"]
        if upload:
            report = certificate_verify(upload.read())
        else:
            report = certificate_verify_serial(
                serial=form.cleaned_data["serial"], sha256=form.cleaned_data["sha256"]
            )
        context["report"] = report
        return render(request, TEMPLATE, context)
