"""The compliance API: rulesets, rules, decisions (with legal's actions), holds, matters."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from compliance import services
from compliance.models import Decision, LegalHold, OpenMatter, Rule, Ruleset
from compliance.selectors import decisions_filtered, holdings_matching, holds_of, matters_of
from compliance.serializers import (
    ApproveSerializer,
    CountSerializer,
    DecisionSerializer,
    GroupApproveSerializer,
    ImportResultSerializer,
    ImportSerializer,
    LegalHoldSerializer,
    NoteSerializer,
    OpenMatterSerializer,
    OverrideSerializer,
    ReasonSerializer,
    ResolveSerializer,
    RuleSerializer,
    RulesetSerializer,
)
from windown.api.scoping import WindDownScopedMixin
from windown.api.views import service_call


class RulesetViewSet(WindDownScopedMixin, viewsets.ReadOnlyModelViewSet):
    """The wind-down's ruleset versions; legal publishes a draft."""

    queryset = Ruleset.objects.none()
    serializer_class = RulesetSerializer
    permissions = {"read": "compliance.view", "publish": "compliance.ruleset.change"}

    def get_queryset(self):
        return Ruleset.objects.filter(winddown=self.winddown)

    @extend_schema(request=None, responses=RulesetSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, winddown_slug, pk):
        ruleset = service_call(
            services.ruleset_publish, by=self.membership, ruleset=self.get_object()
        )
        return Response(RulesetSerializer(ruleset).data)


class RuleViewSet(
    WindDownScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Rules (filter with ?ruleset=ID). Editing a published rule puts the change in a draft."""

    queryset = Rule.objects.none()
    serializer_class = RuleSerializer
    permissions = {"read": "compliance.view", "write": "compliance.ruleset.change"}
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        queryset = Rule.objects.filter(ruleset__winddown=self.winddown).select_related("ruleset")
        ruleset = self.request.query_params.get("ruleset")
        return queryset.filter(ruleset_id=ruleset) if ruleset else queryset

    def perform_update(self, serializer):
        serializer.instance = service_call(
            services.rule_update,
            by=self.membership,
            rule=serializer.instance,
            **serializer.validated_data,
        )


class DecisionViewSet(WindDownScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Decisions (filters: disposition, status, conflict=yes|no, jurisdiction) and legal's
    actions; custodians see their department's decisions only."""

    queryset = Decision.objects.none()
    serializer_class = DecisionSerializer
    permissions = {
        "read": "compliance.view",
        "write": "compliance.decide",
    }

    def get_queryset(self):
        return decisions_filtered(self.membership, self.request.query_params).select_related(
            "approved_by", "overridden_by", "second_approver"
        )

    def _act(self, request, input_serializer, service):
        data = input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = get_object_or_404(Decision, pk=self.kwargs["pk"], winddown=self.winddown)
        decision = service_call(
            service, by=self.membership, decision=decision, **data.validated_data
        )
        return Response(DecisionSerializer(self.get_queryset().get(pk=decision.pk)).data)

    @extend_schema(request=ApproveSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, winddown_slug, pk):
        return self._act(request, ApproveSerializer, services.decision_approve)

    @extend_schema(request=OverrideSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def override(self, request, winddown_slug, pk):
        return self._act(request, OverrideSerializer, services.decision_override)

    @extend_schema(request=NoteSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"], url_path="second-approve")
    def second_approve(self, request, winddown_slug, pk):
        return self._act(request, NoteSerializer, services.decision_second_approve)

    @extend_schema(request=ReasonSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, winddown_slug, pk):
        return self._act(request, ReasonSerializer, services.decision_reject)

    @extend_schema(request=GroupApproveSerializer, responses=CountSerializer)
    @action(detail=False, methods=["post"], url_path="approve-group")
    def approve_group(self, request, winddown_slug):
        data = GroupApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        count = service_call(
            services.decisions_approve_group, by=self.membership, **data.validated_data
        )
        return Response({"approved": count})


class LegalHoldViewSet(
    WindDownScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Legal holds: placing one lays `hold` over the decisions it covers, keeping their review."""

    queryset = LegalHold.objects.none()
    serializer_class = LegalHoldSerializer
    permissions = {"read": "compliance.view", "write": "compliance.hold.manage"}

    def get_queryset(self):
        return holds_of(self.winddown)

    def perform_create(self, serializer):
        serializer.instance = service_call(
            services.hold_place, by=self.membership, **serializer.validated_data
        )

    @extend_schema(request=ReasonSerializer, responses=LegalHoldSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, winddown_slug, pk):
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hold = service_call(
            services.hold_release, by=self.membership, hold=self.get_object(), **data.validated_data
        )
        return Response(LegalHoldSerializer(hold, context=self.get_serializer_context()).data)


def _own(queryset, pk, field: str):
    """The wind-down's object `pk`, or a 400 naming the field (another wind-down's id too)."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [f"No such {field} in this wind-down."]})
    return found


class OpenMatterViewSet(
    WindDownScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Open matters; `system`, `category`, `jurisdiction` on create choose the holdings covered."""

    queryset = OpenMatter.objects.none()
    serializer_class = OpenMatterSerializer
    permissions = {"read": "compliance.view", "write": "compliance.matter.manage"}

    def get_queryset(self):
        return matters_of(self.winddown, self.request.query_params).prefetch_related("holdings")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        winddown = self.winddown
        system = data.pop("system", None)
        category = data.pop("category", None)
        holdings = list(
            holdings_matching(
                winddown,
                system=_own(winddown.data_systems, system, "system"),
                category=_own(winddown.data_categories, category, "category"),
                jurisdiction=data.pop("jurisdiction", "").upper(),
            )
        )
        serializer.instance = service_call(
            services.matter_create, by=self.membership, holdings=holdings, **data
        )

    @extend_schema(request=ResolveSerializer, responses=OpenMatterSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, winddown_slug, pk):
        data = ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        matter = service_call(
            services.matter_resolve,
            by=self.membership,
            matter=self.get_object(),
            **data.validated_data,
        )
        return Response(OpenMatterSerializer(matter).data)

    @extend_schema(
        request={"multipart/form-data": ImportSerializer}, responses=ImportResultSerializer
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_csv(self, request, winddown_slug):
        data = ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        result = service_call(
            services.matters_import_csv,
            by=self.membership,
            content=upload.read(),
            filename=upload.name,
        )
        body = {"rows": result.rows, "created": result.created, "updated": result.updated}
        return Response(body, status=status.HTTP_201_CREATED)
