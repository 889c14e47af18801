"""Admin of vendors, jobs, their items, custody handovers and evidence."""

from django.contrib import admin

from destruction.models import (
    CustodyHandover,
    DestructionJob,
    Evidence,
    JobItem,
    Vendor,
    VendorCertification,
)


class CertificationInline(admin.TabularInline):
    model = VendorCertification
    extra = 0
    readonly_fields = ["copy_sha256", "copy_size", "copy_content_type"]


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "winddown", "country"]
    list_filter = ["winddown"]
    inlines = [CertificationInline]


@admin.register(VendorCertification)
class VendorCertificationAdmin(admin.ModelAdmin):
    list_display = ["vendor", "scheme", "number", "issuer", "expires_on"]
    readonly_fields = ["copy_sha256", "copy_size", "copy_content_type"]


class ItemInline(admin.TabularInline):
    model = JobItem
    extra = 0
    raw_id_fields = ["holding", "system", "archive", "processor_request"]


@admin.register(DestructionJob)
class DestructionJobAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "winddown", "status", "vendor", "finished_at"]
    list_filter = ["status", "winddown"]
    readonly_fields = ["status", "gates_at_schedule", "gates_at_performance"]
    inlines = [ItemInline]


@admin.register(JobItem)
class JobItemAdmin(admin.ModelAdmin):
    list_display = ["job", "kind", "outcome"]
    raw_id_fields = ["holding", "system", "archive", "processor_request"]


@admin.register(CustodyHandover)
class CustodyHandoverAdmin(admin.ModelAdmin):
    list_display = ["job", "from_party", "to_party", "handed_over_at", "place", "seal_ids"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    """Read-only: evidence changes only through the service (and never after verification)."""

    list_display = ["original_name", "job", "kind", "size", "sha256", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
