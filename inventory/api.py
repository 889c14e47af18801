"""The inventory's API: systems, holdings, categories, attestations, and the data-map import.

Every write goes through the same service as the browser; department scope is checked there.
"""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from inventory import selectors, services
from inventory.datamap.writing import rows_of, write_csv, write_xlsx
from inventory.models import Attestation, DataCategory, DataMapImport, DataSystem, Holding
from inventory.serializers import (
    DataCategorySerializer,
    DataMapImportJobSerializer,
    DataMapImportSerializer,
    DataSystemSerializer,
    DepartmentAttestationSerializer,
    HoldingSerializer,
    SystemStatusSerializer,
)
from inventory.services.datamap_jobs import datamap_job_apply, datamap_job_create
from windown.api.scoping import WindDownScopedMixin
from windown.api.views import id_param, service_call
from windown.downloads import download_record

WRITE_METHODS = ["get", "post", "patch", "delete", "head", "options"]
SYSTEM_FILTERS = ("kind", "department", "status", "risk", "q")


class DataSystemViewSet(WindDownScopedMixin, viewsets.ModelViewSet):
    """Places customer data lives. Filters: kind, department, status, risk (high|normal), q."""

    queryset = DataSystem.objects.none()
    serializer_class = DataSystemSerializer
    permissions = {"read": "inventory.view", "write": "inventory.change"}
    http_method_names = WRITE_METHODS

    @extend_schema(parameters=[OpenApiParameter(name, OpenApiTypes.STR) for name in SYSTEM_FILTERS])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        chosen = {name: self.request.query_params.get(name, "") for name in SYSTEM_FILTERS}
        return selectors.systems_of(self.winddown, **chosen)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.with_totals(page)

    def get_object(self):
        return selectors.with_totals([super().get_object()])[0]

    def perform_create(self, serializer):
        system = service_call(
            services.system_create, by=self.membership, **serializer.validated_data
        )
        serializer.instance = selectors.with_totals([system])[0]  # the schema promises them

    def perform_update(self, serializer):
        system = service_call(
            services.system_update,
            by=self.membership,
            system=DataSystem.objects.get(pk=serializer.instance.pk),
            **serializer.validated_data,
        )
        serializer.instance = selectors.with_totals([system])[0]

    def perform_destroy(self, instance):
        service_call(services.system_delete, by=self.membership, system=instance)

    @extend_schema(request=SystemStatusSerializer, responses=DataSystemSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, winddown_slug, pk):
        """Mark the system declared, verified, cleaned or destroyed."""
        data = SystemStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service_call(
            services.system_status_change,
            by=self.membership,
            system=DataSystem.objects.get(pk=self.get_object().pk),
            **data.validated_data,
        )
        return Response(self.get_serializer(self.get_object()).data)


class HoldingViewSet(WindDownScopedMixin, viewsets.ModelViewSet):
    """Slices of data. Filters: system (id), category (key), jurisdiction, department."""

    queryset = Holding.objects.none()
    serializer_class = HoldingSerializer
    permissions = {"read": "inventory.view", "write": "inventory.change"}
    http_method_names = WRITE_METHODS
    filters = {
        "system": "system_id",
        "category": "category__key",
        "jurisdiction": "jurisdiction",
        "department": "system__department",
    }

    @extend_schema(parameters=[OpenApiParameter(name, OpenApiTypes.STR) for name in filters])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        holdings = Holding.objects.filter(winddown=self.winddown).select_related(
            "system", "category"
        )
        for param, lookup in self.filters.items():
            if lookup.endswith("_id"):
                value = id_param(self.request, param)
            else:
                value = self.request.query_params.get(param)
            if value:
                holdings = holdings.filter(**{lookup: value})
        return holdings.order_by("pk")

    def perform_create(self, serializer):
        serializer.instance = service_call(
            services.holding_create, by=self.membership, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = service_call(
            services.holding_update,
            by=self.membership,
            holding=Holding.objects.select_related("system", "category").get(
                pk=serializer.instance.pk
            ),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        service_call(services.holding_delete, by=self.membership, holding=instance)


class DataCategoryViewSet(
    WindDownScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The wind-down's data-category taxonomy; legal edits labels, sensitivity, record type."""

    queryset = DataCategory.objects.none()
    serializer_class = DataCategorySerializer
    permissions = {"read": "inventory.view", "write": "inventory.taxonomy.change"}
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return DataCategory.objects.filter(winddown=self.winddown).order_by("key")

    def perform_update(self, serializer):
        serializer.instance = service_call(
            services.category_update,
            by=self.membership,
            category=serializer.instance,
            **serializer.validated_data,
        )


class AttestationViewSet(WindDownScopedMixin, viewsets.GenericViewSet):
    """Each department's attestation state; a custodian signs their department's (POST)."""

    queryset = Attestation.objects.none()
    serializer_class = DepartmentAttestationSerializer
    permissions = {"read": "inventory.view", "write": "inventory.attest"}
    pagination_class = None

    def list(self, request, winddown_slug):
        departments = selectors.department_overview(self.winddown)
        return Response(self.get_serializer(departments, many=True).data)

    def create(self, request, winddown_slug):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        department = body.validated_data["department"]
        service_call(services.attestation_sign, by=self.membership, department=department)
        row = next(
            d for d in selectors.department_overview(self.winddown) if d.department == department
        )
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)


class DataMapViewSet(WindDownScopedMixin, viewsets.GenericViewSet):
    """Import the data map from an XLSX/CSV file (a worker reads it; poll the import), export it."""

    queryset = Holding.objects.none()
    serializer_class = DataMapImportSerializer
    permissions = {"import_file": "inventory.import", "export": "inventory.view"}

    @extend_schema(
        request={"multipart/form-data": DataMapImportSerializer},
        responses={202: DataMapImportJobSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request, winddown_slug):
        """Queue the check (dry_run) or the import of a file; poll the returned import."""
        body = DataMapImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = service_call(
            datamap_job_create,
            by=self.membership,
            upload=body.validated_data["file"],
            encoding=body.validated_data["encoding"],
            preview=body.validated_data["dry_run"],
        )
        return Response(DataMapImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[OpenApiParameter("file_format", OpenApiTypes.STR, enum=["csv", "xlsx"])],
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"])
    def export(self, request, winddown_slug):
        rows = rows_of(selectors.datamap_export_values(self.winddown))
        fmt = "xlsx" if request.query_params.get("file_format") == "xlsx" else "csv"
        download_record(by=self.membership, what="inventory.datamap", payload={"format": fmt})
        if fmt == "xlsx":
            xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            response = HttpResponse(write_xlsx(rows), content_type=xlsx)
        else:
            response = HttpResponse(write_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="datamap-{winddown_slug}.{fmt}"'
        return response


class DataMapImportViewSet(WindDownScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Your data-map imports: status, then the report (what would change, or every problem)."""

    queryset = DataMapImport.objects.none()
    serializer_class = DataMapImportJobSerializer
    permissions = {"read": "inventory.import", "write": "inventory.import"}

    def get_queryset(self):
        return DataMapImport.objects.filter(winddown=self.winddown, requested_by=self.membership)

    @extend_schema(request=None, responses={202: DataMapImportJobSerializer})
    @action(detail=True, methods=["post"])
    def apply(self, request, winddown_slug, pk):
        """Import a checked file whose report you have read."""
        job = self.get_object()
        service_call(datamap_job_apply, by=self.membership, job=job)
        job.refresh_from_db()
        return Response(DataMapImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
