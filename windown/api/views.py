from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from windown import roles, services
from windown.api.scoping import WindDownScopedMixin
from windown.api.serializers import (
    AuditEventSerializer,
    ChainReportSerializer,
    MembershipSerializer,
    RoleChangeSerializer,
    WindDownSerializer,
    WindDownStatusSerializer,
)
from windown.audit import audit_verify
from windown.models import AuditEvent, Membership, WindDown
from windown.selectors import audit_events_of, membership_for, team_of, winddowns_for_user


def service_call(fn, **kwargs):
    """Run a service and turn its Django ValidationError into a 400 response."""
    try:
        return fn(**kwargs)
    except DjangoValidationError as error:
        raise ValidationError(
            error.message_dict if hasattr(error, "error_dict") else error.messages
        ) from error


class WindDownViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Wind-downs the caller is a member of; creating one makes the caller its director."""

    queryset = WindDown.objects.none()  # typed for the schema; get_queryset scopes it
    serializer_class = WindDownSerializer
    lookup_field = "slug"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return winddowns_for_user(self.request.user)

    def get_object(self):
        membership = membership_for(self.request.user, self.kwargs["slug"])
        changing = self.action in ("update", "partial_update", "status")
        if changing and not roles.holds(membership, "winddown.change"):
            raise PermissionDenied("Your role may not winddown.change.")
        self.membership = membership
        return membership.winddown

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = service_call(
            services.winddown_create,
            creator=self.request.user,
            slug=data.pop("slug"),
            **{k: str(v) if k == "registration_country" else v for k, v in data.items()},
        )

    def perform_update(self, serializer):
        serializer.instance = service_call(
            services.winddown_update, by=self.membership, **serializer.validated_data
        )

    @extend_schema(request=WindDownStatusSerializer, responses=WindDownSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, slug):
        """Move the wind-down to planning, in progress or closed."""
        self.get_object()
        data = WindDownStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        winddown = service_call(
            services.winddown_status_change, by=self.membership, **data.validated_data
        )
        return Response(WindDownSerializer(winddown, context={"request": request}).data)


class MembershipViewSet(WindDownScopedMixin, viewsets.ModelViewSet):
    """The team of a wind-down. Creating a membership invites the person by email."""

    queryset = Membership.objects.none()
    serializer_class = MembershipSerializer
    permissions = {"read": "team.view", "write": "team.manage"}
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return team_of(self.winddown)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = service_call(
            services.membership_invite,
            by=self.membership,
            email=data["user"]["email"],
            role=data["role"],
            department=data.get("department", ""),
        )

    @extend_schema(request=RoleChangeSerializer, responses=MembershipSerializer)
    def partial_update(self, request, *args, **kwargs):
        change = RoleChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        membership = service_call(
            services.membership_change_role,
            by=self.membership,
            membership=self.get_object(),
            **change.validated_data,
        )
        return Response(MembershipSerializer(membership).data)

    def perform_destroy(self, instance):
        service_call(services.membership_remove, by=self.membership, membership=instance)


class AuditEventViewSet(WindDownScopedMixin, viewsets.ReadOnlyModelViewSet):
    """The wind-down's hash-chained audit trail, newest first."""

    queryset = AuditEvent.objects.none()
    serializer_class = AuditEventSerializer
    permissions = {"read": "audit.view", "verify": "audit.view"}
    lookup_field = "seq"

    def get_queryset(self):
        return audit_events_of(self.winddown)

    @extend_schema(responses=ChainReportSerializer)
    @action(detail=False, methods=["get"])
    def verify(self, request, winddown_slug):
        report = audit_verify(self.winddown)
        body = {
            "ok": report.ok,
            "checked": report.checked,
            "problem": report.problem,
            "bad_event_seq": report.bad_event.seq if report.bad_event else None,
        }
        return Response(body, status=status.HTTP_200_OK)
