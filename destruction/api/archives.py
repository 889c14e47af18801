"""The archive API: custodian keys, archives (upload, verify) and those due for shredding."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from compliance.models import Decision
from destruction.models import Archive, CustodianKey
from destruction.selectors.archives import (
    archives_due_for_shredding,
    archives_of,
    custodian_keys_of,
)
from destruction.serializers.archives import (
    ArchiveSerializer,
    ArchiveUploadSerializer,
    ArchiveVerifySerializer,
    CustodianKeySerializer,
    RetireSerializer,
)
from destruction.services.archives import (
    archive_create,
    archive_verify,
    custodian_key_register,
    custodian_key_retire,
)
from windown.api.scoping import WindDownScopedMixin
from windown.api.views import service_call


class CustodianKeyViewSet(
    WindDownScopedMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Custodians' age public keys; every new archive's key is encrypted to the active ones."""

    queryset = CustodianKey.objects.none()
    serializer_class = CustodianKeySerializer
    permissions = {"read": "destruction.view", "write": "destruction.custodian_key.manage"}

    def get_queryset(self):
        return custodian_keys_of(self.winddown)

    def perform_create(self, serializer):
        serializer.instance = service_call(
            custodian_key_register, by=self.membership, **serializer.validated_data
        )

    @extend_schema(request=RetireSerializer, responses=CustodianKeySerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, winddown_slug, pk):
        """Stop encrypting new archives to this key (a reason is required)."""
        payload = RetireSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        key = service_call(
            custodian_key_retire,
            by=self.membership,
            key=self.get_object(),
            reason=payload.validated_data["reason"],
        )
        return Response(CustodianKeySerializer(key).data)


class ArchiveViewSet(WindDownScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Encrypted archives with their manifests; `POST` uploads an export (multipart)."""

    queryset = Archive.objects.none()
    serializer_class = ArchiveSerializer
    permissions = {
        "read": "destruction.view",
        "due": "destruction.view",
        "create": "destruction.archive.manage",
        "verify": "destruction.archive.verify",
    }
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return archives_of(self.winddown)

    @extend_schema(request=ArchiveUploadSerializer, responses={201: ArchiveSerializer})
    def create(self, request, winddown_slug):
        """Apply the decision's field plan to the export while encrypting it; 400 names the
        row and column of a refused file (nothing is stored then)."""
        payload = ArchiveUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        decision = get_object_or_404(
            Decision, pk=payload.validated_data["decision"], winddown=self.winddown
        )
        upload = payload.validated_data["file"]
        archive = service_call(
            archive_create,
            by=self.membership,
            decision=decision,
            upload=upload,
            filename=upload.name,
        )
        return Response(ArchiveSerializer(archive).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ArchiveVerifySerializer, responses=ArchiveSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, winddown_slug, pk):
        """Record the custodian's read-back: the SHA-256 must equal the manifest's."""
        payload = ArchiveVerifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        archive = service_call(
            archive_verify, by=self.membership, archive=self.get_object(), **payload.validated_data
        )
        return Response(ArchiveSerializer(archive).data)

    @extend_schema(responses=ArchiveSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def due(self, request, winddown_slug):
        """Archives whose retention has ended and that no legal hold covers."""
        archives = archives_due_for_shredding(self.winddown)
        return Response(ArchiveSerializer(archives, many=True).data)
