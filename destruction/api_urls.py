"""Wind-down scoped API endpoints of the destruction phase (under /api/v1/winddowns/<slug>/)."""

from rest_framework.routers import SimpleRouter

from destruction.api.archives import ArchiveViewSet, CustodianKeyViewSet
from destruction.api.certificates import CertificateViewSet
from destruction.api.jobs import JobViewSet, VendorViewSet
from destruction.api.processors import ProcessorRequestViewSet, RevocationItemViewSet

router = SimpleRouter()
router.register("destruction/jobs", JobViewSet, basename="destruction-job")
router.register("certificates", CertificateViewSet, basename="destruction-certificate")
router.register("destruction/vendors", VendorViewSet, basename="destruction-vendor")
router.register("destruction/archives", ArchiveViewSet, basename="destruction-archive")
router.register(
    "destruction/custodian-keys", CustodianKeyViewSet, basename="destruction-custodian-key"
)
router.register(
    "destruction/processor-requests",
    ProcessorRequestViewSet,
    basename="destruction-processor-request",
)
router.register(
    "destruction/revocation-items", RevocationItemViewSet, basename="destruction-revocation-item"
)

urlpatterns = router.urls
