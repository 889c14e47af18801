"""Project URLs: the UI under /w/<slug>/, the API under /api/v1/, admin, auth and i18n.

This module sits above every app: it is where the phase apps' URLs are mounted.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from windown.api.urls import scoped_urlpatterns as core_api
from windown.api.urls import urlpatterns as winddown_api
from windown.security.views import ObtainTokenView, SecondFactorEnrolView, SecondFactorVerifyView

PHASES = ["inventory", "compliance", "notices", "destruction"]


def esp_webhooks() -> list:
    """The webhooks of the ESP that EMAIL_BACKEND names, and no other: every other ESP's
    endpoint, lacking its credentials (or SDK), answered anyone with a server error."""
    from anymail.urls import urlpatterns

    backend = settings.EMAIL_BACKEND
    if not backend.startswith("anymail.backends."):
        return []
    esp = backend.split(".")[2]
    return [p for p in urlpatterns if p.name and p.name.startswith(f"{esp}_")]


# Every phase app mounts its wind-down scoped API endpoints from <app>/api_urls.py.
scoped_api = [path("", include(core_api))] + [
    path("", include(f"{app}.api_urls")) for app in PHASES
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="windown:winddown-list"), name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/2fa/enrol/", SecondFactorEnrolView.as_view(), name="second-factor-enrol"),
    path("accounts/2fa/verify/", SecondFactorVerifyView.as_view(), name="second-factor-verify"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("w/", include("windown.core_urls")),
    path("w/<slug:slug>/", include("dashboard.urls")),
    *[path(f"w/<slug:slug>/{app}/", include(f"{app}.urls")) for app in PHASES],
    # The public certificate verification page (no account; a certificate's QR code points here).
    path("verify/", include("destruction.verify_urls")),
    path("api/v1/auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("api/v1/", include(winddown_api)),
    # ESP delivery/bounce/complaint webhooks (django-anymail); notices applies the events.
    path("anymail/", include((esp_webhooks(), "anymail"))),
    path("api/v1/winddowns/<slug:winddown_slug>/", include(scoped_api)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
