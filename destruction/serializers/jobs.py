"""Serializers of the destruction API (jobs, items, gates, evidence, vendors)."""

from rest_framework import serializers

from destruction.models import (
    CustodyHandover,
    DestructionJob,
    Evidence,
    JobItem,
    Vendor,
    VendorCertification,
)
from destruction.services.jobs import PERFORM_FIELDS, VERIFY_FIELDS
from windown.api.serializers import WindDownScopedRelationsMixin


class VendorCertificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = VendorCertification
        fields = [
            "id",
            "scheme",
            "number",
            "issuer",
            "valid_from",
            "expires_on",
            "copy_name",
            "copy_size",
            "copy_sha256",
            "copy_content_type",
        ]


class VendorSerializer(serializers.ModelSerializer):
    certifications = VendorCertificationSerializer(many=True, read_only=True)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2)

    class Meta:
        model = Vendor
        fields = [
            "id",
            "name",
            "contact_name",
            "contact_email",
            "contact_phone",
            "country",
            "certifications",
        ]


class JobItemSerializer(WindDownScopedRelationsMixin, serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = JobItem
        fields = [
            "id",
            "kind",
            "label",
            "holding",
            "system",
            "archive",
            "processor_request",
            "manufacturer",
            "model",
            "serial_number",
            "asset_number",
            "media_type",
            "outcome",
            "exception_text",
            "notes",
            "result",
        ]
        read_only_fields = ["outcome", "exception_text", "notes", "result"]


class HandoverSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustodyHandover
        fields = ["id", "from_party", "to_party", "handed_over_at", "place", "seal_ids", "notes"]


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.EmailField(source="uploaded_by.email", read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "kind",
            "original_name",
            "size",
            "sha256",
            "content_type",
            "description",
            "uploaded_by",
            "uploaded_at",
        ]


class GateSerializer(serializers.Serializer):
    gate = serializers.IntegerField()
    name = serializers.CharField()
    passed = serializers.BooleanField()
    message = serializers.CharField()
    item_id = serializers.IntegerField(allow_null=True)
    item = serializers.CharField()
    holding_id = serializers.IntegerField(allow_null=True)
    holding = serializers.CharField()
    fix_url = serializers.CharField()


class JobSerializer(serializers.ModelSerializer):
    items = JobItemSerializer(many=True, read_only=True)
    handovers = HandoverSerializer(many=True, read_only=True)
    gates_at_performance = GateSerializer(many=True, read_only=True)

    class Meta:
        model = DestructionJob
        exclude = [
            "winddown",
            "gates_at_schedule",
            "created_by",
            "performed_by",
            "verified_by",
            "vendor_override_by",
        ]
        read_only_fields = [
            f
            for f in (
                "reference",
                "status",
                *PERFORM_FIELDS,
                *VERIFY_FIELDS,
                "vendor_override_reason",
                "vendor_override_at",
                "created_at",
                "verified_at",
            )
        ]


class JobCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    vendor = serializers.IntegerField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class JobScheduleSerializer(serializers.Serializer):
    scheduled_for = serializers.DateTimeField()


class OutcomeSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=JobItem.Outcome.choices)
    exception_text = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class PerformSerializer(serializers.ModelSerializer):
    outcomes = OutcomeSerializer(many=True)

    class Meta:
        model = DestructionJob
        fields = [*PERFORM_FIELDS, "outcomes"]


class VerifySerializer(serializers.ModelSerializer):
    class Meta:
        model = DestructionJob
        fields = list(VERIFY_FIELDS)


class JobReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=Evidence.Kind.choices)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)


class VendorOverrideSerializer(serializers.Serializer):
    vendor = serializers.IntegerField()
    reason = serializers.CharField()


class CertificationUploadSerializer(serializers.Serializer):
    scheme = serializers.ChoiceField(choices=VendorCertification.Scheme.choices)
    number = serializers.CharField(max_length=100)
    issuer = serializers.CharField(max_length=200)
    valid_from = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField()
    copy = serializers.FileField(required=False)
