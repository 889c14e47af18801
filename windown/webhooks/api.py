"""API of the webhooks: endpoints (the secret in the create and rotate answers only), their
delivery log and "resend"."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from windown.api.scoping import WindDownScopedMixin
from windown.api.serializers import RefuseUnknownFieldsMixin
from windown.api.views import service_call
from windown.webhooks import services
from windown.webhooks.events import event_choices
from windown.webhooks.models import WebhookDelivery, WebhookEndpoint
from windown.webhooks.selectors import deliveries_of, endpoints_of

PERMISSIONS = {"read": "webhooks.view", "write": "webhooks.manage"}


class WebhookEndpointSerializer(RefuseUnknownFieldsMixin, serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=event_choices()))

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "description", "events", "is_active", "secret_prefix", "created_at"]
        read_only_fields = ["id", "secret_prefix", "created_at"]


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown in this answer only.")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(read_only=True)


class WebhookEventObjectSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()


class WebhookEventBodySerializer(serializers.Serializer):
    """The JSON body POSTed to endpoints (docs/webhooks/event-v1.schema.json)."""

    version = serializers.IntegerField()
    id = serializers.CharField(help_text="Idempotency id, equal to the webhook-id header.")
    type = serializers.ChoiceField(choices=event_choices())
    timestamp = serializers.DateTimeField()
    winddown = serializers.SlugField()
    sequence = serializers.IntegerField(help_text="The audit trail's sequence number.")
    object = WebhookEventObjectSerializer()
    data = serializers.DictField()


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event_id = serializers.CharField(source="event.event_id")
    type = serializers.CharField(source="event.type")
    body = WebhookEventBodySerializer(source="event.body")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "event_id", "type", "status", "attempts", "response_code", "duration_ms",
            "last_error", "last_attempt_at", "next_attempt_at", "delivered_at", "body",
        ]  # fmt: skip


class WebhookEndpointViewSet(
    WindDownScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Endpoints that receive the wind-down's events; disable one instead of deleting it."""

    queryset = WebhookEndpoint.objects.none()
    serializer_class = WebhookEndpointSerializer
    permissions = PERMISSIONS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return endpoints_of(self.winddown)

    @extend_schema(responses={201: WebhookEndpointCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k != "is_active"}
        endpoint, secret = service_call(services.endpoint_create, by=self.membership, **data)
        body = WebhookEndpointSerializer(endpoint).data
        return Response({**body, "secret": secret}, status=201)

    def perform_update(self, serializer):
        serializer.instance = service_call(
            services.endpoint_update,
            by=self.membership,
            endpoint=serializer.instance,
            **serializer.validated_data,
        )

    @extend_schema(request=None, responses=WebhookSecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, winddown_slug, pk):
        """Replace the signing secret; the new one is in this answer only."""
        secret = services.endpoint_rotate_secret(by=self.membership, endpoint=self.get_object())
        return Response({"secret": secret})

    @extend_schema(responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, winddown_slug, pk):
        """The endpoint's delivery log, newest first (`?status=failed` for one status)."""
        log = deliveries_of(self.get_object(), request.query_params.get("status", ""))
        page = self.paginate_queryset(log)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)


class WebhookDeliveryViewSet(
    WindDownScopedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """One delivery of the log; `resend` sends its event again with the same id."""

    queryset = WebhookDelivery.objects.none()
    serializer_class = WebhookDeliverySerializer
    permissions = PERMISSIONS

    def get_queryset(self):
        return WebhookDelivery.objects.filter(endpoint__winddown=self.winddown).select_related(
            "event"
        )

    @extend_schema(request=None, responses=WebhookDeliverySerializer)
    @action(detail=True, methods=["post"])
    def resend(self, request, winddown_slug, pk):
        delivery = services.delivery_resend(by=self.membership, delivery=self.get_object())
        return Response(WebhookDeliverySerializer(delivery).data)
