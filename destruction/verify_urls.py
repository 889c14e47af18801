"""The public certificate verification page, mounted at /verify/ by windown/urls.py."""

from django.urls import path

from destruction.views.verify_public import VerifyView

app_name = "verify"

urlpatterns = [
    path("", VerifyView.as_view(), name="verify"),
    path("<str:serial>/", VerifyView.as_view(), name="serial"),
]
