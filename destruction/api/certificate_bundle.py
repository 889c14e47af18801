"""The `bundle` action of the certificates API: the verification bundle as a zip (audited)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action

from destruction.services.certificate_bundle import certificate_bundle_download
from destruction.views.certificate_bundle import bundle_response
from windown.api.views import service_call


class CertificateBundleMixin:
    """Add GET …/certificates/<serial>/bundle/ to the certificates viewset."""

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The PDF, record.json, root.pem, checkpoint, inclusion proof, "
                "SHA256SUMS, verify.py and VERIFY.txt (the commands that check it offline).",
            )
        }
    )
    @action(detail=True, methods=["get"])
    def bundle(self, request, *args, **kwargs):
        """Download the certificate's verification bundle (the download is audited)."""
        certificate = self.get_object()
        data = service_call(
            certificate_bundle_download, certificate=certificate, actor=self.membership
        )
        return bundle_response(data, certificate)
