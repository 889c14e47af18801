from django.urls import include, path

from windown.security.views import MembershipUnlockView
from windown.views.audit import (
    AuditExportView,
    AuditTrailView,
    CheckpointArchiveView,
    CheckpointDownloadView,
    CheckpointListView,
)
from windown.views.team import MembershipChangeView, MembershipRemoveView, TeamView
from windown.views.winddowns import WindDownCreateView, WindDownListView, WindDownSettingsView

app_name = "windown"

urlpatterns = [
    path("", WindDownListView.as_view(), name="winddown-list"),
    path("new/", WindDownCreateView.as_view(), name="winddown-create"),
    path("<slug:slug>/settings/", WindDownSettingsView.as_view(), name="winddown-settings"),
    path("<slug:slug>/team/", TeamView.as_view(), name="team"),
    path(
        "<slug:slug>/team/<int:pk>/role/", MembershipChangeView.as_view(), name="membership-change"
    ),
    path(
        "<slug:slug>/team/<int:pk>/remove/",
        MembershipRemoveView.as_view(),
        name="membership-remove",
    ),
    path(
        "<slug:slug>/team/<int:pk>/unlock/",
        MembershipUnlockView.as_view(),
        name="membership-unlock",
    ),
    path("<slug:slug>/audit/", AuditTrailView.as_view(), name="audit-trail"),
    path("<slug:slug>/audit/export.<str:fmt>", AuditExportView.as_view(), name="audit-export"),
    path("<slug:slug>/audit/checkpoints/", CheckpointListView.as_view(), name="checkpoint-list"),
    path(
        "<slug:slug>/audit/checkpoints/all.zip",
        CheckpointArchiveView.as_view(),
        name="checkpoint-archive",
    ),
    path(
        "<slug:slug>/audit/checkpoints/<int:tree_size>.txt",
        CheckpointDownloadView.as_view(),
        name="checkpoint-download",
    ),
    path("<slug:slug>/webhooks/", include("windown.webhooks.urls")),
]
