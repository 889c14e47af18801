"""The destruction API: jobs with items, gates and status; transitions; evidence; vendors."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from destruction.models import DestructionJob, Vendor
from destruction.selectors.jobs import evidence_of, jobs_of, vendors_of
from destruction.serializers.jobs import (
    CertificationUploadSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    GateSerializer,
    HandoverSerializer,
    JobCreateSerializer,
    JobItemSerializer,
    JobReasonSerializer,
    JobScheduleSerializer,
    JobSerializer,
    PerformSerializer,
    VendorOverrideSerializer,
    VendorSerializer,
    VerifySerializer,
)
from destruction.services import evidence as evidence_service
from destruction.services import jobs as service
from destruction.services import vendors as vendor_service
from destruction.services.certificates import certificate_issue
from destruction.services.gates import gates_evaluate
from windown.api.scoping import WindDownScopedMixin
from windown.api.views import service_call


class VendorViewSet(WindDownScopedMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Destruction vendors with their certifications; `certifications` records one (with its
    uploaded copy, hashed like evidence)."""

    queryset = Vendor.objects.none()
    serializer_class = VendorSerializer
    permissions = {"read": "destruction.view", "write": "destruction.vendor.manage"}
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return vendors_of(self.winddown)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("certifications", None)
        serializer.instance = service_call(vendor_service.vendor_create, by=self.membership, **data)

    @extend_schema(request=CertificationUploadSerializer, responses={201: VendorSerializer})
    @action(detail=True, methods=["post"])
    def certifications(self, request, winddown_slug, pk):
        vendor = self.get_object()
        payload = CertificationUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        service_call(
            vendor_service.certification_add,
            by=self.membership,
            vendor=vendor,
            **payload.validated_data,
        )
        return Response(
            VendorSerializer(vendors_of(self.winddown).get(pk=vendor.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class JobViewSet(WindDownScopedMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Destruction jobs; actions evaluate gates, move the status, list and upload evidence."""

    queryset = DestructionJob.objects.none()
    serializer_class = JobSerializer
    permissions = {
        "read": "destruction.view",
        "write": "destruction.perform",
        "gates": "destruction.view",
        "evidence": "destruction.view",
        "certify": "destruction.certificate.issue",
        "vendor_override": "destruction.vendor.override",
    }
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return jobs_of(self.winddown).prefetch_related("items", "handovers")

    def _done(self, job):
        job.refresh_from_db()
        return Response(JobSerializer(job).data)

    @extend_schema(request=JobCreateSerializer, responses={201: JobSerializer})
    def create(self, request, winddown_slug):
        payload = JobCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        vendor_id = data.pop("vendor", None)
        vendor = (
            get_object_or_404(Vendor, pk=vendor_id, winddown=self.winddown) if vendor_id else None
        )
        job = service_call(service.job_create, by=self.membership, vendor=vendor, **data)
        return Response(JobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=GateSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def gates(self, request, winddown_slug, pk):
        """Evaluate every gate now, for the scheduled date (or today)."""
        job = self.get_object()
        day = (job.scheduled_for or timezone.now()).date()
        return Response(gates_evaluate(job=job, on=day).as_list())

    @extend_schema(request=JobItemSerializer, responses={201: JobSerializer})
    @action(detail=True, methods=["post"])
    def items(self, request, winddown_slug, pk):
        """Add an item to a planned job (a holding, an archived original, media, a request…)."""
        job = self.get_object()
        payload = JobItemSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = {k: v for k, v in payload.validated_data.items() if v not in (None, "")}
        service_call(service.job_item_add, by=self.membership, job=job, **data)
        job.refresh_from_db()
        return Response(JobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HandoverSerializer, responses={201: JobSerializer})
    @action(detail=True, methods=["post"])
    def handovers(self, request, winddown_slug, pk):
        """Record a handover in the job's chain of custody."""
        job = self.get_object()
        payload = HandoverSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        service_call(service.handover_add, by=self.membership, job=job, **payload.validated_data)
        job.refresh_from_db()
        return Response(JobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VendorOverrideSerializer, responses=JobSerializer)
    @action(detail=True, methods=["post"], url_path="vendor-override")
    def vendor_override(self, request, winddown_slug, pk):
        """Let a vendor whose certification expired take the job (director, written reason)."""
        job = self.get_object()
        payload = VendorOverrideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        vendor = get_object_or_404(
            Vendor, pk=payload.validated_data["vendor"], winddown=self.winddown
        )
        service_call(
            vendor_service.job_vendor_override,
            by=self.membership,
            job=job,
            vendor=vendor,
            reason=payload.validated_data["reason"],
        )
        return self._done(job)

    @extend_schema(request=JobScheduleSerializer, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request, winddown_slug, pk):
        payload = JobScheduleSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        job = self.get_object()
        service_call(service.job_schedule, by=self.membership, job=job, **payload.validated_data)
        return self._done(job)

    @extend_schema(request=PerformSerializer, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def perform(self, request, winddown_slug, pk):
        job = self.get_object()
        payload = PerformSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        outcomes = {o.pop("item"): o for o in data.pop("outcomes")}
        service_call(service.job_perform, by=self.membership, job=job, outcomes=outcomes, **data)
        return self._done(job)

    @extend_schema(request=VerifySerializer, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, winddown_slug, pk):
        job = self.get_object()
        payload = VerifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        service_call(service.job_verify, by=self.membership, job=job, **payload.validated_data)
        return self._done(job)

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def certify(self, request, winddown_slug, pk):
        """Issue the job's certificate (as POST certificates/ does); the job becomes certified."""
        job = self.get_object()
        service_call(certificate_issue, job=job, actor=self.membership)
        return self._done(job)

    def _with_reason(self, request, fn):
        job = self.get_object()
        payload = JobReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        service_call(fn, by=self.membership, job=job, **payload.validated_data)
        return self._done(job)

    @extend_schema(request=JobReasonSerializer, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def fail(self, request, winddown_slug, pk):
        return self._with_reason(request, service.job_fail)

    @extend_schema(request=JobReasonSerializer, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, winddown_slug, pk):
        return self._with_reason(request, service.job_cancel)

    @extend_schema(
        request=EvidenceUploadSerializer,
        responses={200: EvidenceSerializer(many=True), 201: EvidenceSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def evidence(self, request, winddown_slug, pk):
        """List the job's evidence (name, size, type, SHA-256, uploader, time), or upload a file."""
        job = self.get_object()
        if request.method == "GET":
            return Response(EvidenceSerializer(evidence_of(job), many=True).data)
        self.check_write()
        payload = EvidenceUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        evidence = service_call(
            evidence_service.evidence_add,
            by=self.membership,
            job=job,
            upload=data["file"],
            kind=data["kind"],
            description=data.get("description", ""),
        )
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    def check_write(self):
        from rest_framework.exceptions import PermissionDenied

        from windown import roles

        if not roles.holds(self.membership, "destruction.perform"):
            raise PermissionDenied(roles.refusal(self.membership, "destruction.perform"))
