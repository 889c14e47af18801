"""Wind-down scoped API endpoints of the inventory phase (under /api/v1/winddowns/<slug>/)."""

from rest_framework.routers import SimpleRouter

from inventory.api import (
    AttestationViewSet,
    DataCategoryViewSet,
    DataMapImportViewSet,
    DataMapViewSet,
    DataSystemViewSet,
    HoldingViewSet,
)

router = SimpleRouter()
router.register("systems", DataSystemViewSet, basename="datasystem")
router.register("holdings", HoldingViewSet, basename="holding")
router.register("categories", DataCategoryViewSet, basename="datacategory")
router.register("attestations", AttestationViewSet, basename="attestation")
router.register("datamap/imports", DataMapImportViewSet, basename="datamap-import")
router.register("datamap", DataMapViewSet, basename="datamap")

urlpatterns = router.urls
