from rest_framework import serializers

from notices.models import (
    Campaign,
    Delivery,
    Language,
    NoticeTemplate,
    Recipient,
    RecipientImport,
    SubjectRequest,
)
from windown import textencoding
from windown.api.serializers import RefuseUnknownFieldsMixin
from windown.models import Membership


class RecipientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recipient
        fields = [
            "id",
            "email",
            "name",
            "language",
            "jurisdiction",
            "customer_ref",
            "has_open_order",
            "unsubscribed_at",
            "created_at",
        ]
        read_only_fields = fields


class RecipientUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    skip_invalid = serializers.BooleanField(default=False)
    encoding = serializers.ChoiceField(
        choices=textencoding.CHOICES,
        required=False,
        default="",
        help_text="a CSV file's text encoding; empty: recognised (UTF-8, then GB18030, …)",
    )


class RecipientImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecipientImport
        fields = [
            "id",
            "filename",
            "skip_invalid",
            "encoding",
            "status",
            "phase",
            "rows_done",
            "report",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class CampaignSerializer(RefuseUnknownFieldsMixin, serializers.ModelSerializer):
    audience_jurisdictions = serializers.ListField(
        child=serializers.CharField(max_length=10), required=False
    )
    audience_languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), required=False
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "audience_jurisdictions",
            "audience_languages",
            "audience_open_order",
            "scheduled_at",
            "rate_limit",
            "from_email",
            "reply_to",
            "support_email",
            "support_phone",
            "status",
            "short_lead_reason",
            "started_at",
            "finished_at",
            "created_at",
            "kind",
            "receipt_jurisdiction",
            "appeal_until",
        ]
        read_only_fields = [
            "id",
            "kind",
            "receipt_jurisdiction",
            "appeal_until",
            "status",
            "short_lead_reason",
            "started_at",
            "finished_at",
            "created_at",
            "scheduled_at",
        ]


class StartSerializer(serializers.Serializer):
    confirm_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ScheduleSerializer(StartSerializer):
    scheduled_at = serializers.DateTimeField()


class CampaignStatusSerializer(serializers.Serializer):
    status = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()
    remaining = serializers.IntegerField()
    rate = serializers.FloatField()
    eta_seconds = serializers.IntegerField(allow_null=True)
    complaint_rate = serializers.FloatField(allow_null=True)


class NoticeTemplateSerializer(serializers.ModelSerializer):
    language = serializers.ChoiceField(choices=Language.choices)

    class Meta:
        model = NoticeTemplate
        fields = ["language", "subject", "text_body", "html_body", "updated_at"]
        read_only_fields = ["updated_at"]


class DeliverySerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="recipient.email", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "email",
            "message_id",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "sent_at",
        ]
        read_only_fields = fields


class SubjectRequestSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="recipient.email", read_only=True)
    assignee = serializers.EmailField(
        source="assignee.user.email", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = SubjectRequest
        fields = [
            "id",
            "type",
            "email",
            "jurisdiction",
            "message",
            "due_date",
            "status",
            "assignee",
            "resolution",
            "created_at",
            "resolved_at",
            "compliance_ref",
        ]
        read_only_fields = fields


class AssignSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=Membership.objects.none(), allow_null=True, help_text="Membership id, or null"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        membership = self.context.get("membership")
        if membership is not None:  # another wind-down's member is a 400, not ignored
            self.fields["assignee"].queryset = membership.winddown.memberships.all()


class ReplySerializer(serializers.Serializer):
    body = serializers.CharField()


class RequestResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField()
