from django.urls import path

from compliance import views

app_name = "compliance"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="index"),
    path("evaluate/", views.EvaluateView.as_view(), name="evaluate"),
    path("decisions/", views.DecisionListView.as_view(), name="decision-list"),
    path("decisions/<int:pk>/", views.DecisionDetailView.as_view(), name="decision-detail"),
    path(
        "decisions/<int:pk>/<slug:action>/",
        views.DecisionActionView.as_view(),
        name="decision-action",
    ),
    path("review/", views.ReviewQueueView.as_view(), name="review"),
    path("review/approve-group/", views.GroupApproveView.as_view(), name="review-approve-group"),
    path("schedule.<str:fmt>", views.ScheduleExportView.as_view(), name="schedule-export"),
    path("schedule/pdf/<int:pk>/", views.SchedulePdfView.as_view(), name="schedule-pdf"),
    path("holds/", views.HoldListView.as_view(), name="hold-list"),
    path("holds/<int:pk>/", views.HoldDetailView.as_view(), name="hold-detail"),
    path("holds/<int:pk>/release/", views.HoldReleaseView.as_view(), name="hold-release"),
    path("matters/", views.MatterListView.as_view(), name="matter-list"),
    path("matters/import/", views.MatterImportView.as_view(), name="matter-import"),
    path("matters/<int:pk>/", views.MatterDetailView.as_view(), name="matter-detail"),
    path("matters/<int:pk>/resolve/", views.MatterResolveView.as_view(), name="matter-resolve"),
    path("rulesets/", views.RulesetListView.as_view(), name="ruleset-list"),
    path("rulesets/<int:pk>/", views.RulesetDetailView.as_view(), name="ruleset-detail"),
    path("rulesets/<int:pk>/publish/", views.RulesetPublishView.as_view(), name="ruleset-publish"),
    path("rules/<int:pk>/edit/", views.RuleEditView.as_view(), name="rule-edit"),
]
