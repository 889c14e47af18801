"""The notices API: recipients (with import), campaigns and their actions, requests."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from notices.models import Campaign, Recipient, RecipientImport, SubjectRequest
from notices.selectors import campaign_progress, campaigns_of, deliveries_of, recipients_of
from notices.serializers import (
    AssignSerializer,
    CampaignSerializer,
    CampaignStatusSerializer,
    DeliverySerializer,
    NoticeTemplateSerializer,
    RecipientImportSerializer,
    RecipientSerializer,
    RecipientUploadSerializer,
    ReplySerializer,
    RequestResolveSerializer,
    ScheduleSerializer,
    StartSerializer,
    SubjectRequestSerializer,
)
from notices.services import campaigns as campaign_service
from notices.services import requests as request_service
from notices.services.import_jobs import import_job_confirm_skip, import_job_create
from windown.api.scoping import WindDownScopedMixin
from windown.api.views import service_call


class RecipientViewSet(WindDownScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Recipients of the wind-down; `import` uploads a CSV or XLSX file."""

    queryset = Recipient.objects.none()
    serializer_class = RecipientSerializer
    permissions = {"read": "notices.view", "write": "notices.manage"}
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return recipients_of(self.winddown, query=self.request.query_params.get("q", ""))

    @extend_schema(request=RecipientUploadSerializer, responses={202: RecipientImportSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request, winddown_slug):
        """Queue the import of a CSV or XLSX file; poll the returned import for its report."""
        payload = RecipientUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        job = service_call(
            import_job_create,
            by=self.membership,
            upload=payload.validated_data["file"],
            skip_invalid=payload.validated_data["skip_invalid"],
            encoding=payload.validated_data["encoding"],
        )
        return Response(RecipientImportSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class RecipientImportViewSet(WindDownScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Recipient imports with their progress and report (invalid rows with row numbers)."""

    queryset = RecipientImport.objects.none()
    serializer_class = RecipientImportSerializer
    permissions = {"read": "notices.view", "write": "notices.manage"}

    def get_queryset(self):
        return RecipientImport.objects.filter(winddown=self.winddown)

    @extend_schema(request=None, responses={202: RecipientImportSerializer})
    @action(detail=True, methods=["post"], url_path="confirm-skip-invalid")
    def confirm(self, request, winddown_slug, pk):
        """Import a refused file after all, skipping its invalid rows."""
        job = self.get_object()
        service_call(import_job_confirm_skip, by=self.membership, job=job)
        job.refresh_from_db()
        return Response(RecipientImportSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class CampaignViewSet(
    WindDownScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Notice campaigns; actions start, schedule, pause, resume, cancel and status."""

    queryset = Campaign.objects.none()
    serializer_class = CampaignSerializer
    permissions = {
        "read": "notices.view",
        "write": "notices.manage",
        "status": "notices.view",
        "deliveries": "notices.view",
    }
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_queryset(self):
        return campaigns_of(self.winddown)

    def perform_create(self, serializer):
        serializer.instance = service_call(
            campaign_service.campaign_create, by=self.membership, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = service_call(
            campaign_service.campaign_update,
            by=self.membership,
            campaign=serializer.instance,
            **serializer.validated_data,
        )

    def _respond(self, campaign):
        return Response(CampaignSerializer(campaign).data)

    @extend_schema(request=StartSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, winddown_slug, pk):
        data = StartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            service_call(
                campaign_service.campaign_start,
                by=self.membership,
                campaign=self.get_object(),
                **data.validated_data,
            )
        )

    @extend_schema(request=ScheduleSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request, winddown_slug, pk):
        data = ScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            service_call(
                campaign_service.campaign_schedule,
                by=self.membership,
                campaign=self.get_object(),
                **data.validated_data,
            )
        )

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, winddown_slug, pk):
        return self._respond(
            service_call(
                campaign_service.campaign_pause, by=self.membership, campaign=self.get_object()
            )
        )

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, winddown_slug, pk):
        return self._respond(
            service_call(
                campaign_service.campaign_resume, by=self.membership, campaign=self.get_object()
            )
        )

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, winddown_slug, pk):
        return self._respond(
            service_call(
                campaign_service.campaign_cancel, by=self.membership, campaign=self.get_object()
            )
        )

    @extend_schema(responses=CampaignStatusSerializer)
    @action(detail=True, methods=["get"])
    def status(self, request, winddown_slug, pk):
        campaign = self.get_object()
        progress = campaign_progress(campaign)
        body = {
            "status": campaign.status,
            "counts": progress.counts,
            "total": progress.total,
            "remaining": progress.remaining,
            "rate": round(progress.rate, 2),
            "eta_seconds": progress.eta_seconds,
            "complaint_rate": progress.complaint_rate,
        }
        return Response(CampaignStatusSerializer(body).data)

    @extend_schema(request=NoticeTemplateSerializer, responses=NoticeTemplateSerializer)
    @action(detail=True, methods=["put"])
    def notice(self, request, winddown_slug, pk):
        data = NoticeTemplateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = service_call(
            campaign_service.template_save,
            by=self.membership,
            campaign=self.get_object(),
            **data.validated_data,
        )
        return Response(NoticeTemplateSerializer(template).data)

    @extend_schema(responses=DeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, winddown_slug, pk):
        rows = deliveries_of(
            self.get_object(),
            query=request.query_params.get("q", ""),
            status=request.query_params.get("status", ""),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)


class SubjectRequestViewSet(WindDownScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Customers' requests; the support team assigns, replies and resolves."""

    queryset = SubjectRequest.objects.none()
    serializer_class = SubjectRequestSerializer
    permissions = {"read": "notices.view", "write": "notices.requests.handle"}

    def get_queryset(self):
        return SubjectRequest.objects.filter(winddown=self.winddown).select_related(
            "recipient", "assignee__user"
        )

    def _respond(self, subject_request):
        return Response(SubjectRequestSerializer(subject_request).data)

    @extend_schema(request=AssignSerializer, responses=SubjectRequestSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, winddown_slug, pk):
        data = AssignSerializer(data=request.data, context={"membership": self.membership})
        data.is_valid(raise_exception=True)
        assignee = data.validated_data["assignee"]
        return self._respond(
            service_call(
                request_service.request_assign,
                by=self.membership,
                request=self.get_object(),
                assignee=assignee,
            )
        )

    @extend_schema(request=ReplySerializer, responses=SubjectRequestSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, winddown_slug, pk):
        data = ReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subject_request = self.get_object()
        service_call(
            request_service.request_reply,
            by=self.membership,
            request=subject_request,
            **data.validated_data,
        )
        subject_request.refresh_from_db()
        return self._respond(subject_request)

    @extend_schema(request=RequestResolveSerializer, responses=SubjectRequestSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, winddown_slug, pk):
        data = RequestResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            service_call(
                request_service.request_resolve,
                by=self.membership,
                request=self.get_object(),
                **data.validated_data,
            )
        )
