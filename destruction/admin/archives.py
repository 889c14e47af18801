"""Admin for archives and custodian keys: read-only, because every change is a service that
audits it (an archive is made, verified and shredded only through its workflow)."""

from django.contrib import admin

from destruction.models import Archive, ArchiveKeyEnvelope, CustodianKey


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CustodianKey)
class CustodianKeyAdmin(ReadOnlyAdmin):
    list_display = ["custodian_name", "recipient", "winddown", "registered_at", "retired_at"]
    list_filter = ["winddown"]
    search_fields = ["custodian_name", "custodian_email", "recipient"]


@admin.register(Archive)
class ArchiveAdmin(ReadOnlyAdmin):
    list_display = ["reference", "winddown", "status", "row_count", "retain_until", "created_at"]
    list_filter = ["status", "winddown"]
    search_fields = ["reference", "plaintext_sha256", "ciphertext_sha256"]


@admin.register(ArchiveKeyEnvelope)
class ArchiveKeyEnvelopeAdmin(ReadOnlyAdmin):
    list_display = ["archive", "sha256", "created_at"]
    exclude = ["envelope"]  # ciphertext either way, but nobody needs it on a page
