"""The dashboard page; figures come from the phases' panels (see panels.py)."""

from django.utils import timezone
from django.views.generic import TemplateView

from dashboard.panels import panels_for
from windown.access import WindDownMixin


class DashboardView(WindDownMixin, TemplateView):
    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["days_to_deadline"] = (self.winddown.deletion_deadline - today).days
        context["dashboard_panels"] = panels_for(self.membership)
        return context
