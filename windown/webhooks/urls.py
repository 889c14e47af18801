from django.urls import path

from windown.webhooks.views import (
    DeliveryResendView,
    EndpointDetailView,
    EndpointListView,
    EndpointRotateView,
)

urlpatterns = [
    path("", EndpointListView.as_view(), name="webhook-list"),
    path("<int:pk>/", EndpointDetailView.as_view(), name="webhook-detail"),
    path("<int:pk>/secret/", EndpointRotateView.as_view(), name="webhook-rotate"),
    path(
        "<int:pk>/deliveries/<int:delivery_pk>/resend/",
        DeliveryResendView.as_view(),
        name="webhook-resend",
    ),
]
