"""Admin: rules are edited through the same service as the UI (a published version is never
changed; the edit goes into a draft, audited); decisions, holds and matters are read-only here
because their changes must go through legal's audited workflow."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from compliance import services
from compliance.models import Decision, LegalHold, OpenMatter, Rule, Ruleset, ScheduleExport
from windown import roles
from windown.models import Membership


def _membership(request, winddown_id: int, perm: str) -> Membership:
    membership = (
        Membership.objects.select_related("winddown", "user")
        .filter(user=request.user, winddown_id=winddown_id)
        .first()
    )
    roles.require(membership, perm)
    return membership


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["position", "key", "jurisdiction", "effect", "period_months", "start"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ruleset)
class RulesetAdmin(admin.ModelAdmin):
    list_display = ["version", "winddown", "effective", "published", "published_at"]
    list_filter = ["published", "winddown"]
    readonly_fields = [
        "winddown", "version", "effective", "source", "based_on", "treat_as", "not_mapped",
        "published", "published_at", "published_by",
    ]  # fmt: skip
    inlines = [RuleInline]
    actions = ["publish"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Publish the selected drafts")
    def publish(self, request, queryset):
        for ruleset in queryset.filter(published=False):
            try:
                by = _membership(request, ruleset.winddown_id, "compliance.ruleset.change")
                services.ruleset_publish(by=by, ruleset=ruleset)
                self.message_user(request, f"{ruleset.version} published.")
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"{ruleset.version}: {error}", messages.ERROR)


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["key", "ruleset", "jurisdiction", "binds", "effect", "period_months"]
    list_filter = ["effect", "binds", "ruleset__winddown"]
    search_fields = ["key", "instrument", "article"]
    readonly_fields = ["ruleset", "position", "key"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        by = _membership(request, obj.ruleset.winddown_id, "compliance.ruleset.change")
        original = Rule.objects.get(pk=obj.pk)
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        edited = services.rule_update(by=by, rule=original, **changes)
        obj.pk = edited.pk
        self.message_user(
            request, f"Saved in draft {edited.ruleset.version}: publish it to apply it."
        )


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["holding", "disposition", "status", "conflict", "retain_until", "delete_by"]
    list_filter = ["status", "disposition", "conflict", "winddown"]
    list_select_related = ["holding__system", "holding__category"]
    raw_id_fields = ["holding"]


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ["reference", "winddown", "status", "placed_at", "review_on"]
    list_filter = ["status", "winddown"]
    exclude = ["holdings"]  # tens of thousands: the hold's page in the app counts them


@admin.register(ScheduleExport)
class ScheduleExportAdmin(ReadOnlyAdmin):
    list_display = ["winddown", "requested_by", "status", "progress", "decisions", "created_at"]
    list_filter = ["status", "winddown"]


@admin.register(OpenMatter)
class OpenMatterAdmin(ReadOnlyAdmin):
    list_display = ["reference", "matter_type", "customer_reference", "opened_on", "resolved_on"]
    list_filter = ["matter_type", "winddown"]
    search_fields = ["reference", "customer_reference"]
