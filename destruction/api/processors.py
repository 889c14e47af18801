"""The processor requests API: create, change a draft, send, cancel; the revocation checklist."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from destruction.models import ProcessorRequest, RevocationItem
from destruction.selectors.processors import processor_requests_of
from destruction.serializers.processors import (
    CancelSerializer,
    ProcessorRequestCreateSerializer,
    ProcessorRequestSerializer,
    RevocationItemSerializer,
    RevocationRecordSerializer,
)
from destruction.services import processors as service
from destruction.services.processor_common import MANAGE
from destruction.services.revocations import revocation_item_record
from windown.api.scoping import WindDownScopedMixin
from windown.api.views import service_call

PERMISSIONS = {"read": "destruction.view", "write": MANAGE}


class ProcessorRequestViewSet(
    WindDownScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Processor deletion requests with their categories, answers and emails."""

    queryset = ProcessorRequest.objects.none()
    serializer_class = ProcessorRequestSerializer
    permissions = PERMISSIONS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return processor_requests_of(self.winddown).prefetch_related("items__category", "emails")

    def get_serializer_class(self):
        if self.action == "create":
            return ProcessorRequestCreateSerializer
        return ProcessorRequestSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = service_call(
            service.processor_request_create, by=self.membership, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = service_call(
            service.processor_request_update,
            by=self.membership,
            request=serializer.instance,
            **data,
        )

    def _respond(self, processor_request):
        fresh = self.get_queryset().get(pk=processor_request.pk)
        return Response(ProcessorRequestSerializer(fresh).data)

    @extend_schema(request=None, responses=ProcessorRequestSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, winddown_slug, pk):
        """Send the instruction email (the deadline defaults to the configured days)."""
        sent = service_call(
            service.processor_request_send, by=self.membership, request=self.get_object()
        )
        return self._respond(sent)

    @extend_schema(request=CancelSerializer, responses=ProcessorRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, winddown_slug, pk):
        """Withdraw an unanswered request, with a reason."""
        payload = CancelSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        cancelled = service_call(
            service.processor_request_cancel,
            by=self.membership,
            request=self.get_object(),
            reason=payload.validated_data["reason"],
        )
        return self._respond(cancelled)


class RevocationItemViewSet(WindDownScopedMixin, viewsets.ReadOnlyModelViewSet):
    """The revocation checklist of every processor's system; `record` marks an item."""

    queryset = RevocationItem.objects.none()
    serializer_class = RevocationItemSerializer
    permissions = PERMISSIONS

    def get_queryset(self):
        items = RevocationItem.objects.filter(winddown=self.winddown).select_related("system")
        system = self.request.query_params.get("system", "")
        return items.filter(system_id=system) if system.isdigit() else items

    @extend_schema(parameters=[OpenApiParameter("system", int, required=False)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=RevocationRecordSerializer, responses=RevocationItemSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, winddown_slug, pk):
        """Record an access as revoked or not applicable (with a note), or reopen it."""
        payload = RevocationRecordSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        item = service_call(
            revocation_item_record,
            by=self.membership,
            item=self.get_object(),
            **payload.validated_data,
        )
        return Response(RevocationItemSerializer(item).data)
