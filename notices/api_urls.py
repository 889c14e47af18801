"""Wind-down scoped API endpoints of the notices phase (under /api/v1/winddowns/<slug>/)."""

from rest_framework.routers import SimpleRouter

from notices.api import (
    CampaignViewSet,
    RecipientImportViewSet,
    RecipientViewSet,
    SubjectRequestViewSet,
)

router = SimpleRouter()
router.register("notices/recipients", RecipientViewSet, basename="notices-recipient")
router.register("notices/imports", RecipientImportViewSet, basename="notices-import")
router.register("notices/campaigns", CampaignViewSet, basename="notices-campaign")
router.register("notices/requests", SubjectRequestViewSet, basename="notices-request")

urlpatterns = router.urls
