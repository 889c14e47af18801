"""The certificate API: list, retrieve, download the signed PDF, issue, revoke, re-issue."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from destruction.api.certificate_bundle import CertificateBundleMixin
from destruction.models import Certificate, DestructionJob
from destruction.selectors.certificates import certificates_for
from destruction.serializers.certificates import (
    CertificateDetailSerializer,
    CertificateIssueSerializer,
    CertificateReissueSerializer,
    CertificateRevokeSerializer,
    CertificateSerializer,
)
from destruction.services.certificates import (
    certificate_download,
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
)
from windown.api.scoping import WindDownScopedMixin
from windown.api.views import id_param, service_call


def pdf_response(certificate: Certificate, pdf: bytes) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.pdf"'
    response["Digest"] = f"sha-256={certificate.sha256}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=Certificate.Status.values),
        OpenApiParameter("job", int),
        OpenApiParameter("serial", str, description="part of a serial number"),
    ]
)
class CertificateViewSet(
    WindDownScopedMixin, CertificateBundleMixin, viewsets.ReadOnlyModelViewSet
):
    """Signed destruction certificates (PDF/A-3b, PAdES); `POST` issues one for a verified job."""

    queryset = Certificate.objects.none()
    serializer_class = CertificateSerializer
    lookup_field = "serial"
    lookup_value_regex = r"[A-Za-z0-9-]+"
    permissions = {
        "read": "destruction.view",
        "pdf": "destruction.certificate.download",
        "bundle": "destruction.certificate.download",
        "create": "destruction.certificate.issue",
        "reissue": "destruction.certificate.issue",
        "revoke": "destruction.certificate.revoke",
    }

    def get_queryset(self):
        params = self.request.query_params
        return certificates_for(
            self.winddown,
            status=params.get("status", ""),
            job=id_param(self.request, "job"),
            serial=params.get("serial", ""),
        )

    def get_serializer_class(self):
        return CertificateDetailSerializer if self.action == "retrieve" else CertificateSerializer

    @extend_schema(request=CertificateIssueSerializer, responses={201: CertificateSerializer})
    def create(self, request, winddown_slug):
        """Issue the certificate of a verified job; the job becomes certified."""
        payload = CertificateIssueSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        job = get_object_or_404(
            DestructionJob, pk=payload.validated_data["job"], winddown=self.winddown
        )
        certificate = service_call(certificate_issue, job=job, actor=self.membership)
        return Response(CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, winddown_slug, serial):
        """The signed PDF exactly as issued (the download is audited)."""
        certificate = self.get_object()
        pdf = certificate_download(certificate=certificate, actor=self.membership, via="api")
        return pdf_response(certificate, pdf)

    @extend_schema(request=CertificateRevokeSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, winddown_slug, serial):
        """Revoke a certificate (director; a reason is required)."""
        payload = CertificateRevokeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        certificate = service_call(
            certificate_revoke,
            certificate=self.get_object(),
            actor=self.membership,
            reason=payload.validated_data["reason"],
        )
        return Response(CertificateSerializer(certificate).data)

    @extend_schema(request=CertificateReissueSerializer, responses={201: CertificateSerializer})
    @action(detail=True, methods=["post"])
    def reissue(self, request, winddown_slug, serial):
        """Issue a new certificate (new serial) that names this one as replaced."""
        payload = CertificateReissueSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        certificate = service_call(
            certificate_reissue,
            certificate=self.get_object(),
            actor=self.membership,
            reason=payload.validated_data.get("reason", ""),
        )
        return Response(CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)
