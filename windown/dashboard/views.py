"""The director's dashboard: one page over every phase.

It sits above the phase apps and reads their selectors (see panels.py); the core modules of
`windown` never import a phase app.
"""

from django.utils import timezone
from django.views.generic import TemplateView

from windown.access import WindDownMixin
from windown.dashboard.panels import panels_for


class WindDownDashboardView(WindDownMixin, TemplateView):
    template_name = "windown/winddown_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["days_to_deadline"] = (self.winddown.deletion_deadline - today).days
        context["dashboard_panels"] = panels_for(self.membership)
        return context
