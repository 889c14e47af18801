"""API representations of the compliance objects."""

from rest_framework import serializers

from compliance import reasons, services
from compliance.models import Decision, LegalHold, OpenMatter, Rule, Ruleset
from compliance.models.decisions import Disposition
from inventory.models import DataCategory, DataSystem
from windown.api.serializers import RefuseUnknownFieldsMixin


class RulesetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ruleset
        fields = ["id", "version", "effective", "source", "based_on", "published", "published_at"]
        read_only_fields = fields  # written only by services (load, publish); its relation
        # to a ruleset would otherwise reach every wind-down's rulesets


class RuleSerializer(RefuseUnknownFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Rule
        fields = ["id", "ruleset", "position", "key", *services.rulesets.EDITABLE_RULE_FIELDS]
        read_only_fields = ["id", "ruleset", "position", "key"]


class DecisionSerializer(serializers.ModelSerializer):
    system = serializers.CharField(source="holding.system.name", read_only=True)
    category = serializers.CharField(source="holding.category.key", read_only=True)
    jurisdiction = serializers.CharField(source="holding.jurisdiction", read_only=True)
    records_total = serializers.IntegerField(source="holding.records_total", read_only=True)
    ruleset_version = serializers.CharField(source="ruleset.version", read_only=True)
    citations = serializers.ListField(child=serializers.CharField(), read_only=True)
    effective_disposition = serializers.CharField(read_only=True)
    # the active holds over it (prefetched by decisions_visible_to): "held by LH-…"
    held_by = serializers.ListField(
        child=serializers.CharField(), source="holding.active_holds", read_only=True
    )
    override_disposition = serializers.CharField(read_only=True)
    # the engine's texts in the request's language; *_reasons are the stored codes + parameters
    basis = serializers.CharField(read_only=True)
    conflict_reason = serializers.CharField(read_only=True)
    review_note = serializers.CharField(read_only=True)
    considered = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id", "holding", "system", "category", "jurisdiction", "records_total", "status",
            "disposition", "retain_until", "delete_by", "basis", "citations", "considered",
            "keep_fields", "drop_fields", "conflict", "conflict_reason", "fingerprint",
            "ruleset_version", "as_of", "review_note", "reviewed_by", "approved_by",
            "basis_reasons", "conflict_reasons",
            "override_disposition", "override_retain_until", "override_delete_by",
            "override_reason", "overridden_by", "second_approver", "effective_disposition",
            "held_by",
        ]  # fmt: skip
        read_only_fields = fields

    def get_considered(self, decision: Decision) -> list[dict]:
        """Return the rules considered, each reason worded (reason) and as stored (reasons)."""
        return [
            {**o, "reason": reasons.render(o["reason"]), "reasons": o["reason"]}
            for o in decision.considered
        ]


class ApproveSerializer(serializers.Serializer):
    fingerprint = serializers.CharField(help_text="the fingerprint of the proposal you reviewed")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class NoteSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OverrideSerializer(serializers.Serializer):
    disposition = serializers.ChoiceField(
        choices=Disposition.choices, help_text="delete_now, delete or archive"
    )
    retain_until = serializers.DateField(required=False, allow_null=True, default=None)
    delete_by = serializers.DateField()
    reason = serializers.CharField()


class GroupApproveSerializer(serializers.Serializer):
    category_id = serializers.IntegerField()
    jurisdiction = serializers.CharField()
    disposition = serializers.CharField()
    signature = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CountSerializer(serializers.Serializer):
    approved = serializers.IntegerField()


class LegalHoldSerializer(serializers.ModelSerializer):
    systems = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=DataSystem.objects.none()
    )
    categories = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=DataCategory.objects.none()
    )

    class Meta:
        model = LegalHold
        fields = [
            "id", "reference", "case_reference", "reason", "systems", "categories",
            "jurisdictions", "customer_references", "review_on", "status", "placed_by",
            "placed_at", "released_by", "released_at", "release_reason",
        ]  # fmt: skip
        read_only_fields = [
            "id", "status", "placed_by", "placed_at", "released_by", "released_at",
            "release_reason",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        membership = self.context.get("membership")
        if membership is not None:
            winddown = membership.winddown
            self.fields["systems"].child_relation.queryset = winddown.data_systems.all()
            self.fields["categories"].child_relation.queryset = winddown.data_categories.all()


class OpenMatterSerializer(serializers.ModelSerializer):
    system = serializers.IntegerField(write_only=True, required=False, allow_null=True)
    category = serializers.IntegerField(write_only=True, required=False, allow_null=True)
    jurisdiction = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = OpenMatter
        fields = [
            "id", "reference", "matter_type", "customer_reference", "description", "holdings",
            "opened_on", "resolved_on", "resolution", "system", "category", "jurisdiction",
        ]  # fmt: skip
        read_only_fields = ["id", "holdings", "resolved_on", "resolution"]


class ResolveSerializer(serializers.Serializer):
    resolved_on = serializers.DateField()
    resolution = serializers.CharField(required=False, allow_blank=True, default="")


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
