"""Archive API endpoints (included by destruction/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from destruction.api_archives import ArchiveViewSet, CustodianKeyViewSet

router = SimpleRouter()
router.register("destruction/archives", ArchiveViewSet, basename="destruction-archive")
router.register(
    "destruction/custodian-keys", CustodianKeyViewSet, basename="destruction-custodian-key"
)

urlpatterns = router.urls
