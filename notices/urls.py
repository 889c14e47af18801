from django.urls import path

from notices.views import PhaseIndexView

app_name = "notices"

urlpatterns = [
    path("", PhaseIndexView.as_view(), name="index"),
]
