from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from windown.models import (
    AuditEvent,
    Checkpoint,
    CompanyAttribute,
    Membership,
    TaxRegistration,
    WindDown,
)
from windown.roles import Role
from windown.updates import refuse_unknown_fields


class WindDownScopedRelationsMixin:
    """Limit every writable relation to the caller's wind-down (context["membership"]): the id
    of another wind-down's object is then a 400 naming the field, never another tenant's row.
    Without a membership in the context no object is accepted at all."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        membership = self.context.get("membership")
        for field in self.fields.values():
            relation = getattr(field, "child_relation", field)
            queryset = getattr(relation, "queryset", None)
            if field.read_only or queryset is None:
                continue
            if membership is None:
                relation.queryset = queryset.none()
            elif any(f.name == "winddown" for f in queryset.model._meta.fields):
                relation.queryset = queryset.filter(winddown=membership.winddown)


class RefuseUnknownFieldsMixin:
    """Answer 400 to a body naming a field the caller may not write, instead of ignoring it.

    Read-only fields (statuses, timestamps) change only through their actions; fields listed in
    `Meta.create_only_fields` are writable on create only.
    """

    def validate(self, attrs):
        writable = {name for name, field in self.fields.items() if not field.read_only}
        if self.instance is not None:
            writable -= set(getattr(self.Meta, "create_only_fields", ()))
        refuse_unknown_fields(self.initial_data, writable)
        return super().validate(attrs)


class WindDownSerializer(RefuseUnknownFieldsMixin, serializers.ModelSerializer):
    registration_country = CountryField()
    tax_registrations = serializers.ListField(
        child=serializers.ChoiceField(choices=TaxRegistration.choices), required=False
    )
    company_attributes = serializers.ListField(
        child=serializers.ChoiceField(choices=CompanyAttribute.choices), required=False
    )
    my_role = serializers.SerializerMethodField()

    class Meta:
        model = WindDown
        fields = [
            "slug",
            "company_legal_name",
            "company_local_name",
            "registration_country",
            "company_form",
            "tax_registrations",
            "company_attributes",
            "fiscal_year_end_month",
            "fiscal_year_end_day",
            "decision_date",
            "customer_notice_date",
            "operations_end_date",
            "deletion_deadline",
            "certificate_retention_years",
            "notice_lead_days",
            "support_email",
            "support_phone",
            "status",
            "created_at",
            "my_role",
        ]
        read_only_fields = ["status", "created_at", "my_role"]
        create_only_fields = ["slug"]

    def get_my_role(self, winddown: WindDown) -> str | None:
        request = self.context.get("request")
        membership = winddown.memberships.filter(user=request.user).first() if request else None
        return membership.role if membership else None


class WindDownStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=WindDown.Status.choices)


class MembershipSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email")
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["id", "email", "role", "department", "created_at"]
        read_only_fields = ["id", "created_at"]


class RoleChangeSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    department = serializers.CharField(required=False, allow_blank=True, default="")


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "created_at",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "payload",
            "prev_hash",
            "hash",
        ]


class ChainReportSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    checked = serializers.IntegerField()
    problem = serializers.CharField()
    bad_event_seq = serializers.IntegerField(allow_null=True)


class CheckpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = Checkpoint
        fields = ["tree_size", "root_hash", "created_at", "signed_text"]
        read_only_fields = fields


class InclusionProofSerializer(serializers.Serializer):
    """RFC 9162 inclusion proof of one event (leaf index = seq - 1) in a signed checkpoint."""

    seq = serializers.IntegerField()
    leaf_index = serializers.IntegerField()
    tree_size = serializers.IntegerField()
    event_hash = serializers.CharField()
    leaf_hash = serializers.CharField()
    root_hash = serializers.CharField()
    path = serializers.ListField(child=serializers.CharField())
    checkpoint = serializers.CharField(help_text="The signed checkpoint text.")
