"""Archive pages (included by destruction/urls.py)."""

from django.urls import path

from destruction.views import archives

urlpatterns = [
    path("archives/", archives.ArchiveListView.as_view(), name="archive-list"),
    path("archives/upload/", archives.ArchiveUploadView.as_view(), name="archive-upload"),
    path(
        "archives/keys/", archives.CustodianKeyRegisterView.as_view(), name="custodian-key-register"
    ),
    path(
        "archives/keys/<int:pk>/retire/",
        archives.CustodianKeyRetireView.as_view(),
        name="custodian-key-retire",
    ),
    path("archives/<int:pk>/", archives.ArchiveDetailView.as_view(), name="archive-detail"),
    path("archives/<int:pk>/verify/", archives.ArchiveVerifyView.as_view(), name="archive-verify"),
    path(
        "archives/<int:pk>/manifest.json",
        archives.ArchiveManifestView.as_view(),
        name="archive-manifest",
    ),
]
