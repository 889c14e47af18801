"""Wind-down scoped API endpoints of the destruction phase (under /api/v1/winddowns/<slug>/)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from destruction.api import JobViewSet, VendorViewSet

router = SimpleRouter()
router.register("destruction/jobs", JobViewSet, basename="destruction-job")
router.register("destruction/vendors", VendorViewSet, basename="destruction-vendor")

urlpatterns = [
    *router.urls,
    path("", include("destruction.api_urls_archives")),
    path("", include("destruction.api_urls_processors")),
]
