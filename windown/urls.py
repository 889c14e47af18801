"""Project URLs: the UI under /w/<slug>/, the API under /api/v1/, admin, auth and i18n.

This module sits above every app: it is where the phase apps' URLs are mounted.
"""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from windown.api.urls import scoped_urlpatterns as core_api
from windown.api.urls import urlpatterns as winddown_api

PHASES = ["inventory", "compliance", "notices", "destruction"]

# Every phase app mounts its wind-down scoped API endpoints from <app>/api_urls.py.
scoped_api = [path("", include(core_api))] + [
    path("", include(f"{app}.api_urls")) for app in PHASES
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="windown:winddown-list"), name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("w/", include("windown.core_urls")),
    *[path(f"w/<slug:slug>/{app}/", include(f"{app}.urls")) for app in PHASES],
    # The public certificate verification page (no account; a certificate's QR code points here).
    path("verify/", include("destruction.verify_urls")),
    path("api/v1/auth/token/", obtain_auth_token, name="api-token"),
    path("api/v1/", include(winddown_api)),
    # ESP delivery/bounce/complaint webhooks (django-anymail); notices applies the events.
    path("anymail/", include("anymail.urls")),
    path("api/v1/winddowns/<slug:winddown_slug>/", include(scoped_api)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
