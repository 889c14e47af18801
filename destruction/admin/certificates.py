"""Admin for certificates: read-only (issuing, revoking and deleting are audited services; nothing
deletes a certificate before its retention ends)."""

from django.contrib import admin

from destruction.admin.archives import ReadOnlyAdmin
from destruction.models import Certificate, CertificateSerialCounter


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["serial", "winddown", "job", "status", "issued_at", "retain_until"]
    list_filter = ["status", "winddown"]
    search_fields = ["serial", "sha256", "job__reference"]
    exclude = ["record"]
    readonly_fields = ["replaces", "job", "issued_by", "revoked_by"]


admin.site.register(CertificateSerialCounter, ReadOnlyAdmin)
