from rest_framework.routers import DefaultRouter, SimpleRouter

from windown.api.views import (
    AuditEventViewSet,
    CheckpointViewSet,
    MembershipViewSet,
    WindDownViewSet,
)
from windown.webhooks.api import WebhookDeliveryViewSet, WebhookEndpointViewSet

router = DefaultRouter()
router.register("winddowns", WindDownViewSet, basename="winddown")

scoped = SimpleRouter()
scoped.register("memberships", MembershipViewSet, basename="membership")
scoped.register("audit-events", AuditEventViewSet, basename="auditevent")
scoped.register("audit-checkpoints", CheckpointViewSet, basename="auditcheckpoint")
scoped.register("webhook-endpoints", WebhookEndpointViewSet, basename="webhookendpoint")
scoped.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhookdelivery")

urlpatterns = router.urls
scoped_urlpatterns = scoped.urls
