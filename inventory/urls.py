from django.urls import path

from inventory.views import PhaseIndexView

app_name = "inventory"

urlpatterns = [
    path("", PhaseIndexView.as_view(), name="index"),
]
