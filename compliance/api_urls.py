"""Wind-down scoped API endpoints of the compliance phase (under /api/v1/winddowns/<slug>/)."""

from rest_framework.routers import SimpleRouter

from compliance.api import (
    DecisionViewSet,
    LegalHoldViewSet,
    OpenMatterViewSet,
    RulesetViewSet,
    RuleViewSet,
)

router = SimpleRouter()
router.register("rulesets", RulesetViewSet, basename="compliance-ruleset")
router.register("rules", RuleViewSet, basename="compliance-rule")
router.register("decisions", DecisionViewSet, basename="compliance-decision")
router.register("legal-holds", LegalHoldViewSet, basename="compliance-legalhold")
router.register("open-matters", OpenMatterViewSet, basename="compliance-openmatter")

urlpatterns = router.urls
