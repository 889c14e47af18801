"""Serializers of the archive API."""

from rest_framework import serializers

from destruction.models import Archive, CustodianKey


class CustodianKeySerializer(serializers.ModelSerializer):
    registered_by = serializers.CharField(source="registered_by.email", read_only=True)

    class Meta:
        model = CustodianKey
        fields = [
            "id",
            "custodian_name",
            "custodian_email",
            "recipient",
            "registered_by",
            "registered_at",
            "retired_at",
            "retire_reason",
        ]
        read_only_fields = ["id", "registered_by", "registered_at", "retired_at", "retire_reason"]


class RetireSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ArchiveSerializer(serializers.ModelSerializer):
    decision = serializers.PrimaryKeyRelatedField(read_only=True)
    holding = serializers.CharField(source="decision.holding", read_only=True)

    class Meta:
        model = Archive
        fields = [
            "id",
            "reference",
            "decision",
            "holding",
            "status",
            "retain_until",
            "row_count",
            "columns_kept",
            "columns_dropped",
            "source_name",
            "source_sha256",
            "plaintext_sha256",
            "ciphertext_sha256",
            "ciphertext_size",
            "recipients",
            "created_at",
            "verified_at",
            "verified_custodian",
            "verification_method",
            "due_noticed_at",
            "shredded_at",
            "backups_hold_envelope_until",
            "shred_record",
            "exports",
            "manifest",
        ]
        read_only_fields = fields


class ArchiveUploadSerializer(serializers.Serializer):
    decision = serializers.IntegerField(help_text="id of an effective archive decision")
    file = serializers.FileField(help_text="the export: CSV (UTF-8 or GB18030) or XLSX")


class ArchiveVerifySerializer(serializers.Serializer):
    custodian_name = serializers.CharField()
    plaintext_sha256 = serializers.CharField(help_text="SHA-256 of the decrypted file")
