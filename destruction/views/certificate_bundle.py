"""The verification bundle download on a certificate's page (audited)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from destruction.models import Certificate
from destruction.services.certificate_bundle import bundle_filename, certificate_bundle_download
from windown.access import WindDownMixin


def bundle_response(bundle: bytes, certificate: Certificate) -> HttpResponse:
    response = HttpResponse(bundle, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{bundle_filename(certificate)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class CertificateBundleView(WindDownMixin, View):
    permission = "destruction.certificate.download"

    def get(self, request, slug, serial):
        certificate = get_object_or_404(Certificate, winddown=self.winddown, serial=serial)
        bundle = certificate_bundle_download(certificate=certificate, actor=self.membership)
        return bundle_response(bundle, certificate)
