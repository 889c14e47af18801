"""Pages of the processor deletion requests (included by destruction/urls.py)."""

from django.urls import path

from destruction.views import processor_public, processors

urlpatterns = [
    path(
        "processor-requests/",
        processors.ProcessorRequestListView.as_view(),
        name="processor-request-list",
    ),
    path(
        "processor-requests/<int:pk>/",
        processors.ProcessorRequestDetailView.as_view(),
        name="processor-request-detail",
    ),
    path(
        "processor-requests/<int:pk>/certificate",
        processors.CertificateDownloadView.as_view(),
        name="processor-certificate",
    ),
    path(
        "processor-requests/<int:pk>/<slug:action>/",
        processors.ProcessorRequestActionView.as_view(),
        name="processor-request-action",
    ),
    path(
        "revocation/<int:pk>/", processors.RevocationRecordView.as_view(), name="revocation-record"
    ),
    # The processor's side: no account, a signed expiring token.
    path(
        "processor-confirm/<str:token>/",
        processor_public.ProcessorConfirmView.as_view(),
        name="processor-confirm",
    ),
]
