"""Read-only admin of the webhooks: changes go through the services (audited)."""

from django.contrib import admin

from windown.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ["url", "winddown", "is_active", "created_at"]
    list_filter = ["is_active"]
    exclude = ["secret_encrypted"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "winddown", "created_at"]
    list_filter = ["type"]
    search_fields = ["event_id"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["event", "endpoint", "status", "attempts", "response_code", "next_attempt_at"]
    list_filter = ["status"]
    list_select_related = ["event", "endpoint"]
