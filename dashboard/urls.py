from django.urls import path

from dashboard.views import DashboardView, LiveFiguresView, ProgressReportView

app_name = "dashboard"

urlpatterns = [
    path("", DashboardView.as_view(), name="home"),
    path("live/", LiveFiguresView.as_view(), name="live"),
    path("progress-report.pdf", ProgressReportView.as_view(), name="progress-report"),
]
