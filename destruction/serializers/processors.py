"""API shapes of processor deletion requests and the revocation checklist."""

from __future__ import annotations

from rest_framework import serializers

from destruction.models import (
    ProcessorEmail,
    ProcessorRequest,
    ProcessorRequestItem,
    RevocationItem,
)
from inventory.models import DataSystem
from windown.api.serializers import RefuseUnknownFieldsMixin, WindDownScopedRelationsMixin


class ProcessorRequestItemSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.key", read_only=True)

    class Meta:
        model = ProcessorRequestItem
        fields = [
            "id",
            "category",
            "jurisdictions",
            "records_total",
            "answer",
            "retention_basis",
            "refusal_reason",
        ]
        read_only_fields = fields


class ProcessorEmailSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessorEmail
        fields = ["kind", "number", "message_id", "to", "link_expires", "created_at", "sent_at"]
        read_only_fields = fields


class ProcessorRequestSerializer(
    WindDownScopedRelationsMixin, RefuseUnknownFieldsMixin, serializers.ModelSerializer
):
    reference = serializers.CharField(read_only=True)
    system_name = serializers.CharField(source="system.name", read_only=True)
    items = ProcessorRequestItemSerializer(many=True, read_only=True)
    emails = ProcessorEmailSerializer(many=True, read_only=True)

    class Meta:
        model = ProcessorRequest
        fields = [
            "id",
            "reference",
            "system",
            "system_name",
            "status",
            "processor_name",
            "processor_email",
            "contact_name",
            "language",
            "legal_basis",
            "deadline",
            "message",
            "sent_at",
            "last_contacted_at",
            "reminders_sent",
            "escalated_at",
            "answered_at",
            "cancelled_at",
            "cancel_reason",
            "attester_name",
            "attester_role",
            "attester_email",
            "attested",
            "answer_remarks",
            "certificate_name",
            "certificate_size",
            "certificate_sha256",
            "certificate_content_type",
            "items",
            "emails",
        ]
        read_only_fields = [
            name
            for name in fields
            if name
            not in (
                "system",
                "processor_name",
                "processor_email",
                "contact_name",
                "language",
                "legal_basis",
                "deadline",
                "message",
            )
        ]
        extra_kwargs = {
            "processor_name": {"required": False},
            "processor_email": {"required": False},
            "legal_basis": {"required": False},
        }
        create_only_fields = ["system"]  # a request stays with its system
        validators: list = []


class ProcessorRequestCreateSerializer(ProcessorRequestSerializer):
    categories = serializers.ListField(
        child=serializers.CharField(), required=False, write_only=True
    )

    class Meta(ProcessorRequestSerializer.Meta):
        fields = [*ProcessorRequestSerializer.Meta.fields, "categories"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        membership = self.context.get("membership")
        winddown_id = membership.winddown_id if membership else None
        self.fields["system"].queryset = DataSystem.objects.filter(winddown_id=winddown_id)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField()


class RevocationItemSerializer(serializers.ModelSerializer):
    system_name = serializers.CharField(source="system.name", read_only=True)

    class Meta:
        model = RevocationItem
        fields = [
            "id",
            "system",
            "system_name",
            "kind",
            "status",
            "note",
            "done_by_label",
            "done_at",
        ]
        read_only_fields = fields


class RevocationRecordSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RevocationItem.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
