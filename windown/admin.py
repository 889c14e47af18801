from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from windown.models import AuditEvent, AuditHead, Checkpoint, Membership, User, WindDown


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "display_name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(WindDown)
class WindDownAdmin(admin.ModelAdmin):
    list_display = [
        "company_legal_name",
        "slug",
        "registration_country",
        "deletion_deadline",
        "status",
    ]
    list_filter = ["status", "registration_country"]
    search_fields = ["company_legal_name", "company_local_name", "slug"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "winddown", "role", "department"]
    list_filter = ["role", "winddown"]
    search_fields = ["user__email", "department"]
    autocomplete_fields = ["user", "winddown"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit trail is append-only: the admin may read it, never change it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "winddown",
        "seq",
        "created_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
    ]
    list_filter = ["winddown", "action"]
    search_fields = ["action", "actor_label", "object_id"]


@admin.register(AuditHead)
class AuditHeadAdmin(ReadOnlyAdmin):
    list_display = ["winddown", "seq", "hash"]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ["winddown", "tree_size", "root_hash", "created_at"]
    list_filter = ["winddown"]


from windown.webhooks import admin as webhooks_admin  # noqa: E402, F401 (registers them)
