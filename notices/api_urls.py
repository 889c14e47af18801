"""Wind-down scoped API endpoints of the notices phase (under /api/v1/winddowns/<slug>/)."""

urlpatterns: list = []
