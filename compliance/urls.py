from django.urls import path

from compliance.views import PhaseIndexView

app_name = "compliance"

urlpatterns = [
    path("", PhaseIndexView.as_view(), name="index"),
]
