"""Wind-down scoped API endpoints of the destruction phase (under /api/v1/winddowns/<slug>/)."""

from django.urls import include, path

urlpatterns: list = [path("", include("destruction.api_urls_processors"))]
