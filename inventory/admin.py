from django.contrib import admin

from inventory.models import (
    Attestation,
    DataCategory,
    DataMapImport,
    DataSystem,
    Holding,
    HoldingTally,
)


@admin.register(DataCategory)
class DataCategoryAdmin(admin.ModelAdmin):
    list_display = ["key", "label_en", "label_zh", "sensitivity", "record_type", "winddown"]
    list_filter = ["sensitivity", "record_type", "winddown"]
    search_fields = ["key", "label_en", "label_zh"]


class HoldingInline(admin.TabularInline):
    model = Holding
    extra = 0
    autocomplete_fields = ["category"]
    fields = [
        "category",
        "source",
        "jurisdiction",
        "records_total",
        "records_active",
        "records_dormant",
        "oldest_record",
        "newest_record",
    ]


@admin.register(DataSystem)
class DataSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "department", "status", "storage_country", "winddown"]
    list_filter = ["kind", "status", "winddown"]
    search_fields = ["name", "department", "serial_number", "asset_number"]
    raw_id_fields = ["custodian"]
    inlines = [HoldingInline]


@admin.register(Holding)
class HoldingAdmin(admin.ModelAdmin):
    list_display = ["system", "category", "source", "jurisdiction", "records_total", "updated_at"]
    list_filter = ["source", "jurisdiction", "winddown"]
    search_fields = ["system__name", "category__key"]
    raw_id_fields = ["system", "category"]
    list_select_related = ["system", "category"]


@admin.register(Attestation)
class AttestationAdmin(admin.ModelAdmin):
    list_display = ["department", "winddown", "attested_by_label", "attested_at", "invalidated_at"]
    list_filter = ["winddown"]
    raw_id_fields = ["attested_by"]


@admin.register(DataMapImport)
class DataMapImportAdmin(admin.ModelAdmin):
    """Read-only: a data map is imported through its service (checked, confirmed, audited)."""

    list_display = ["filename", "winddown", "status", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in DataMapImport._meta.fields]


@admin.register(HoldingTally)
class HoldingTallyAdmin(admin.ModelAdmin):
    """Read-only: the database's triggers keep the tally (migration inventory 0005)."""

    list_display = ["winddown", "department", "category", "jurisdiction", "holdings", "records"]
    list_filter = ["winddown"]
    readonly_fields = [f.name for f in HoldingTally._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
