from rest_framework.routers import DefaultRouter, SimpleRouter

from windown.api.views import AuditEventViewSet, MembershipViewSet, WindDownViewSet

router = DefaultRouter()
router.register("winddowns", WindDownViewSet, basename="winddown")

scoped = SimpleRouter()
scoped.register("memberships", MembershipViewSet, basename="membership")
scoped.register("audit-events", AuditEventViewSet, basename="auditevent")

urlpatterns = router.urls
scoped_urlpatterns = scoped.urls
