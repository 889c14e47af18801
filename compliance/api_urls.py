"""Wind-down scoped API endpoints of the compliance phase (under /api/v1/winddowns/<slug>/)."""

urlpatterns: list = []
