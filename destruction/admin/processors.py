"""Admin of the processor requests: read-only records (changes go through the services)."""

from django.contrib import admin

from destruction.models import (
    ProcessorEmail,
    ProcessorRequest,
    ProcessorRequestItem,
    RevocationItem,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Answers, emails and checklist entries are evidence: the admin shows them, never edits."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ItemInline(admin.TabularInline):
    model = ProcessorRequestItem
    extra = 0
    can_delete = False
    readonly_fields = [
        "category",
        "jurisdictions",
        "records_total",
        "answer",
        "retention_basis",
        "refusal_reason",
    ]

    def has_add_permission(self, request, obj=None):
        return False


class EmailInline(admin.TabularInline):
    model = ProcessorEmail
    extra = 0
    can_delete = False
    readonly_fields = [
        "kind",
        "number",
        "message_id",
        "to",
        "link_expires",
        "created_at",
        "sent_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProcessorRequest)
class ProcessorRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "processor_name", "system", "status", "deadline", "answered_at"]
    list_filter = ["status", "language", "winddown"]
    search_fields = ["processor_name", "processor_email", "system__name", "attester_email"]
    list_select_related = ["system"]
    inlines = [ItemInline, EmailInline]


@admin.register(ProcessorEmail)
class ProcessorEmailAdmin(ReadOnlyAdmin):
    list_display = ["request", "kind", "number", "to", "created_at", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["message_id", "to"]


@admin.register(RevocationItem)
class RevocationItemAdmin(ReadOnlyAdmin):
    list_display = ["system", "kind", "status", "done_by_label", "done_at"]
    list_filter = ["status", "kind", "winddown"]
    search_fields = ["system__name"]
    list_select_related = ["system"]


@admin.register(ProcessorRequestItem)
class ProcessorRequestItemAdmin(ReadOnlyAdmin):
    list_display = ["request", "category", "answer"]
    list_filter = ["answer"]
    list_select_related = ["request", "category"]
