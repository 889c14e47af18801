"""API representations of the inventory's objects."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inventory.models import DataCategory, DataMapImport, DataSystem, Holding
from inventory.services.datamap_jobs import datamap_job_report
from windown import textencoding
from windown.api.serializers import RefuseUnknownFieldsMixin
from windown.models import Membership


class DataSystemSerializer(RefuseUnknownFieldsMixin, serializers.ModelSerializer):
    # a plain code, not an enum: the schema already has the country list once (WindDown)
    storage_country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, help_text="ISO 3166-1 alpha-2 code"
    )
    custodian = serializers.PrimaryKeyRelatedField(
        queryset=Membership.objects.none(), required=False, allow_null=True
    )
    is_high_risk = serializers.BooleanField(read_only=True)
    holding_count = serializers.IntegerField(read_only=True)
    record_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = DataSystem
        fields = [
            "id",
            "name",
            "kind",
            "department",
            "custodian",
            "status",
            "hosting_provider",
            "hosting_region",
            "storage_country",
            "processor_name",
            "processor_email",
            "description",
            "make",
            "model",
            "serial_number",
            "asset_number",
            "is_high_risk",
            "holding_count",
            "record_total",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        create_only_fields = ["status"]  # later changes go through the status action
        validators: list = []  # the service checks uniqueness within the wind-down

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        membership = self.context.get("membership")
        if membership is not None:
            self.fields["custodian"].queryset = membership.winddown.memberships.all()


class SystemStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=DataSystem.Status.choices)


class HoldingSerializer(RefuseUnknownFieldsMixin, serializers.ModelSerializer):
    system = serializers.PrimaryKeyRelatedField(queryset=DataSystem.objects.none())
    category = serializers.SlugRelatedField(slug_field="key", queryset=DataCategory.objects.none())
    fields = serializers.ListField(child=serializers.CharField(), required=False)
    department = serializers.CharField(source="system.department", read_only=True)
    is_high_risk = serializers.BooleanField(source="system.is_high_risk", read_only=True)

    class Meta:
        model = Holding
        fields = [
            "id",
            "system",
            "department",
            "is_high_risk",
            "category",
            "source",
            "jurisdiction",
            "records_total",
            "records_active",
            "records_dormant",
            "oldest_record",
            "newest_record",
            "fields",
            "notes",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        create_only_fields = ["system"]  # a holding stays with its system
        validators: list = []  # the service checks the slice is unique and the counts add up

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        membership = self.context.get("membership")
        if membership is not None:
            self.fields["system"].queryset = membership.winddown.data_systems.all()
            self.fields["category"].queryset = membership.winddown.data_categories.all()


class DataCategorySerializer(RefuseUnknownFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = DataCategory
        fields = ["id", "key", "label_en", "label_zh", "sensitivity", "record_type", "description"]
        read_only_fields = ["key"]


class DepartmentAttestationSerializer(serializers.Serializer):
    department = serializers.CharField()
    state = serializers.ChoiceField(choices=["attested", "changed", "missing"], read_only=True)
    systems = serializers.IntegerField(read_only=True)
    high_risk_systems = serializers.IntegerField(read_only=True)
    records = serializers.IntegerField(read_only=True)
    attested_by = serializers.CharField(
        source="attestation.attested_by_label", read_only=True, default=None, allow_null=True
    )
    attested_at = serializers.DateTimeField(
        source="attestation.attested_at", read_only=True, default=None, allow_null=True
    )
    statement = serializers.CharField(
        source="attestation.statement", read_only=True, default=None, allow_null=True
    )
    changed_at = serializers.DateTimeField(
        source="attestation.invalidated_at", read_only=True, default=None, allow_null=True
    )
    what_changed = serializers.CharField(
        source="attestation.invalidated_reason", read_only=True, default=None, allow_null=True
    )


class DataMapImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False)
    encoding = serializers.ChoiceField(
        choices=textencoding.CHOICES,
        required=False,
        default="",
        help_text="a CSV file's text encoding; empty: recognised (UTF-8, then GB18030, …)",
    )


class TallySerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class ProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ChangeSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    action = serializers.CharField()
    system = serializers.CharField()
    category = serializers.CharField()
    source = serializers.CharField()
    jurisdiction = serializers.CharField()
    changed = serializers.ListField(child=serializers.CharField())


class SystemChangeSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    action = serializers.CharField()
    system = serializers.CharField()
    changed = serializers.ListField(child=serializers.CharField())


class ImportReportSerializer(serializers.Serializer):
    filename = serializers.CharField()
    sha256 = serializers.CharField()
    dry_run = serializers.BooleanField()
    applied = serializers.BooleanField()
    ok = serializers.BooleanField()
    rows = serializers.IntegerField()
    encoding = serializers.CharField(help_text="the codec a CSV file was read with")
    encoding_chosen = serializers.BooleanField()
    preview = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True)),
        help_text="the header and the first rows as decoded",
    )
    problem_count = serializers.IntegerField()
    problems = ProblemSerializer(many=True)
    systems = TallySerializer()
    holdings = TallySerializer()
    changes = ChangeSerializer(many=True)
    system_changes = SystemChangeSerializer(many=True)


class DataMapImportJobSerializer(serializers.ModelSerializer):
    """A data-map import a worker reads: its status, then its report (or why it failed)."""

    report = serializers.SerializerMethodField()
    errors = serializers.SerializerMethodField()

    class Meta:
        model = DataMapImport
        fields = ["id", "filename", "encoding", "status", "report", "errors"]
        fields += ["created_at", "finished_at"]
        read_only_fields = fields

    @extend_schema_field(ImportReportSerializer(allow_null=True))
    def get_report(self, job) -> dict | None:
        report = datamap_job_report(job)
        return None if report is None else ImportReportSerializer(report).data

    def get_errors(self, job) -> list[str]:
        """Why a file could not be read at all (status failed)."""
        return [str(e) for e in job.report.get("errors", [])]
