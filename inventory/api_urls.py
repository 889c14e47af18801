"""Wind-down scoped API endpoints of the inventory phase (under /api/v1/winddowns/<slug>/)."""

urlpatterns: list = []
