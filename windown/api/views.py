from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from windown import roles, services
from windown.api.scoping import WindDownScopedMixin
from windown.api.serializers import (
    AuditEventSerializer,
    ChainReportSerializer,
    CheckpointSerializer,
    InclusionProofSerializer,
    MembershipSerializer,
    RoleChangeSerializer,
    WindDownSerializer,
    WindDownStatusSerializer,
)
from windown.audit import audit_verify
from windown.checkpoints import (
    LogMismatch,
    checkpoint_covering,
    checkpoint_filename,
    checkpoint_record_download,
    checkpoints_archive,
    inclusion_proof_for,
)
from windown.models import AuditEvent, Checkpoint, Membership, WindDown
from windown.selectors import (
    audit_events_of,
    checkpoints_of,
    membership_for,
    team_of,
    winddowns_for_user,
)


def id_param(request, name: str) -> str:
    """A query parameter that names an object by its id: "" when absent, else its digits; any
    other value is a 400 naming the parameter (never a database error)."""
    value = request.query_params.get(name, "")
    if value and not (value.isascii() and value.isdigit()):
        raise ValidationError({name: ["A number (the id) is required."]})
    return value


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
            raise PermissionDenied(roles.refusal(membership, "winddown.change"))
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
    def status(self, request, slug, format=None):  # format: DRF's suffix (.json)
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
    permissions = {"read": "audit.view", "verify": "audit.view", "inclusion_proof": "audit.view"}
    lookup_field = "seq"

    def get_queryset(self):
        return audit_events_of(self.winddown)

    @extend_schema(
        responses={200: InclusionProofSerializer, 409: OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter(
                "checkpoint",
                int,
                description="Tree size of the checkpoint (default: the first that covers it).",
            )
        ],
    )
    @action(detail=True, methods=["get"], url_path="inclusion-proof")
    def inclusion_proof(self, request, winddown_slug, seq):
        """Prove that this event is in a signed checkpoint of the log (RFC 9162 audit path)."""
        event = self.get_object()
        size = request.query_params.get("checkpoint")
        if size is not None and not size.isdigit():
            raise ValidationError({"checkpoint": "a tree size (a whole number)"})
        checkpoint = (
            checkpoints_of(self.winddown).filter(tree_size=int(size)).first()
            if size is not None
            else checkpoint_covering(event)
        )
        if checkpoint is None:
            raise NotFound("No signed checkpoint covers this event yet.")
        try:
            proof = inclusion_proof_for(event=event, checkpoint=checkpoint)
        except ValueError as outside:
            raise ValidationError({"checkpoint": str(outside)}) from None
        except LogMismatch as mismatch:
            return Response({"detail": str(mismatch)}, status=status.HTTP_409_CONFLICT)
        return Response(InclusionProofSerializer(proof.as_dict()).data)

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


def _attachment(content, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CheckpointViewSet(WindDownScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Signed checkpoints of the wind-down's audit log (C2SP signed notes), newest first."""

    queryset = Checkpoint.objects.none()
    serializer_class = CheckpointSerializer
    permissions = {"read": "audit.view", "text": "audit.view", "archive": "audit.view"}
    lookup_field = "tree_size"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return checkpoints_of(self.winddown)

    @extend_schema(responses={(200, "text/plain"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"])
    def text(self, request, winddown_slug, tree_size):
        """Download the signed text of one checkpoint (audited)."""
        checkpoint = self.get_object()
        checkpoint_record_download(
            winddown=self.winddown, actor=request.user, tree_sizes=[checkpoint.tree_size]
        )
        return _attachment(
            checkpoint.signed_text,
            checkpoint_filename(self.winddown, checkpoint.tree_size),
            "text/plain; charset=utf-8",
        )

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def archive(self, request, winddown_slug):
        """Download every checkpoint as a zip of signed texts (audited)."""
        content, sizes = checkpoints_archive(self.winddown)
        checkpoint_record_download(winddown=self.winddown, actor=request.user, tree_sizes=sizes)
        return _attachment(content, f"{self.winddown.slug}-checkpoints.zip", "application/zip")
