from django.urls import path

from destruction.views import PhaseIndexView

app_name = "destruction"

urlpatterns = [
    path("", PhaseIndexView.as_view(), name="index"),
]
