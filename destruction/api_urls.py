"""Wind-down scoped API endpoints of the destruction phase (under /api/v1/winddowns/<slug>/)."""

urlpatterns: list = []
