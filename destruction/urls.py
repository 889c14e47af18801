from django.urls import include, path

from destruction.views import PhaseIndexView

app_name = "destruction"

urlpatterns = [
    path("", PhaseIndexView.as_view(), name="index"),
    path("", include("destruction.urls_processors")),
]
