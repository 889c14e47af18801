from django.contrib import admin

from notices.models import (
    Campaign,
    Delivery,
    DeliveryTally,
    NoticeTemplate,
    RateLimitSlot,
    ReceiptTemplate,
    Recipient,
    RecipientImport,
    RequestExport,
    RequestReply,
    SubjectRequest,
    TrackingEvent,
)


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "language", "jurisdiction", "has_open_order", "winddown"]
    list_filter = ["language", "has_open_order", "winddown"]
    search_fields = ["email", "name", "customer_ref"]
    readonly_fields = ["unsubscribed_at", "created_at", "updated_at"]


class NoticeTemplateInline(admin.StackedInline):
    model = NoticeTemplate
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "winddown", "status", "scheduled_at", "started_at"]
    list_filter = ["kind", "status", "winddown"]
    search_fields = ["name"]
    # Status changes go through the services (audited); the admin shows them.
    readonly_fields = [
        "status",
        "started_at",
        "finished_at",
        "short_lead_reason",
        "created_at",
        "kind",
        "receipt_jurisdiction",
        "receipt_facts",
        "appeal_until",
    ]
    inlines = [NoticeTemplateInline]


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(admin.ModelAdmin):
    list_display = ["campaign", "language", "subject", "updated_at"]
    list_filter = ["language"]


@admin.register(ReceiptTemplate)
class ReceiptTemplateAdmin(admin.ModelAdmin):
    """Read-only: the receipt is edited on its page (notices:receipt-edit), which audits it."""

    list_display = ["winddown", "language", "subject", "updated_at"]
    list_filter = ["language"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["message_id", "campaign", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["message_id", "recipient__email", "provider_message_id"]
    list_select_related = ["campaign", "recipient"]
    raw_id_fields = ["campaign", "recipient"]
    readonly_fields = ["message_id", "claimed_by", "lease_expires_at", "updated_at"]


@admin.register(TrackingEvent)
class TrackingEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "event_type", "delivery", "received_at"]
    list_filter = ["event_type"]
    raw_id_fields = ["delivery"]


class RequestReplyInline(admin.TabularInline):
    model = RequestReply
    extra = 0
    readonly_fields = ["author", "body", "sent_at"]


@admin.register(RequestReply)
class RequestReplyAdmin(admin.ModelAdmin):
    """Replies are emails already sent: readable, never editable."""

    list_display = ["request", "author", "sent_at"]
    search_fields = ["request__recipient__email", "body"]
    readonly_fields = ["request", "author", "body", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SubjectRequest)
class SubjectRequestAdmin(admin.ModelAdmin):
    list_display = ["pk", "type", "recipient", "status", "due_date", "assignee", "created_at"]
    list_filter = ["type", "status", "winddown"]
    search_fields = ["recipient__email", "message"]
    raw_id_fields = ["recipient", "assignee"]
    inlines = [RequestReplyInline]


@admin.register(RecipientImport)
class RecipientImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "winddown", "status", "rows_done", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["report", "rows_done", "phase", "finished_at"]


@admin.register(RateLimitSlot)
class RateLimitSlotAdmin(admin.ModelAdmin):
    list_display = ["campaign", "next_at"]


@admin.register(RequestExport)
class RequestExportAdmin(admin.ModelAdmin):
    """Read-only: a copy is handed over and downloaded through windown's services (audited)."""

    list_display = ["request", "filename", "size", "expires_at", "downloads", "uploaded_by"]
    readonly_fields = [f.name for f in RequestExport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DeliveryTally)
class DeliveryTallyAdmin(admin.ModelAdmin):
    """Read-only: the database's triggers keep the tally (migration notices 0009)."""

    list_display = ["campaign_id", "status", "sent_period", "deliveries"]
    readonly_fields = [f.name for f in DeliveryTally._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
