"""API endpoints of the processor deletion requests (included by destruction/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from destruction.api_processors import ProcessorRequestViewSet, RevocationItemViewSet

router = SimpleRouter()
router.register(
    "destruction/processor-requests",
    ProcessorRequestViewSet,
    basename="destruction-processor-request",
)
router.register(
    "destruction/revocation-items", RevocationItemViewSet, basename="destruction-revocation-item"
)

urlpatterns = router.urls
