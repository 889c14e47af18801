"""Serializers of the certificate API."""

from rest_framework import serializers

from destruction.models import Certificate
from windown.api.serializers import RefuseUnknownFieldsMixin


class CertificateSerializer(serializers.ModelSerializer):
    job_reference = serializers.CharField(source="job.reference", read_only=True)
    issued_by = serializers.CharField(source="issued_by.user.email", read_only=True)
    revoked_by = serializers.CharField(source="revoked_by.user.email", read_only=True, default="")
    replaces = serializers.SlugRelatedField(slug_field="serial", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "serial",
            "job",
            "job_reference",
            "status",
            "issued_at",
            "issued_by",
            "sha256",
            "replaces",
            "retain_until",
            "revoked_at",
            "revoked_by",
            "revocation_reason",
        ]
        read_only_fields = fields


class CertificateDetailSerializer(CertificateSerializer):
    class Meta(CertificateSerializer.Meta):
        fields = [*CertificateSerializer.Meta.fields, "record"]
        read_only_fields = fields


class CertificateIssueSerializer(RefuseUnknownFieldsMixin, serializers.Serializer):
    job = serializers.IntegerField(help_text="id of a verified destruction job")


class CertificateRevokeSerializer(RefuseUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField()


class CertificateReissueSerializer(RefuseUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="required when the certificate is not revoked"
    )
