"""The dashboard page; figures come from the phases' panels (see panels.py)."""

from django.utils import timezone
from django.views.generic import TemplateView

from dashboard.overview import overview_for
from windown.access import WindDownMixin


class DashboardView(WindDownMixin, TemplateView):
    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, **overview_for(self.membership, today=timezone.localdate())}
